/* search.c — a complete program over libcysearch: open an index, run a
 * query, print each hit's id and title.
 *   cc search.c $(pkg-config --cflags --libs cysearch) -o search
 *   ./search INDEX 'china espionage' */
#include <stdio.h>

#include <cysearch/search.h>

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s INDEX QUERY\n", argv[0]);
    return 2;
  }
  cys_searcher *searcher = cys_searcher_new();
  cys_results *results = NULL;
  cys_search_options options;
  cys_search_options_init(&options); /* 10 hits, best first */
  cys_status st = searcher ? cys_searcher_open(searcher, argv[1]) : CYS_NOMEM;
  if (st == CYS_OK)
    st = cys_search(searcher, argv[2], &options, &results);
  if (st != CYS_OK) {
    fprintf(stderr, "%s: %s\n", cys_status_str(st),
            searcher ? cys_searcher_errmsg(searcher) : "");
    cys_searcher_free(searcher);
    return 1;
  }
  for (size_t i = 0; i < results->nhits; i++) {
    const cys_article *article = &results->hits[i].record->article;
    printf("%s\t%s\n", article->id, article->title ? article->title : "");
  }
  cys_results_free(results);
  cys_searcher_free(searcher);
  return 0;
}
