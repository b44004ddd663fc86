/*
 * search_brief.c — hits read briefly (cys_search_options.brief): each
 * hit's record holds the article's id, title, date, source and url, read
 * from the start of its stored article without inflating the body and the
 * entities after it, which are most of it.  For callers that list or
 * compare many hits and show few (cysearch --watch).
 */
#include "cysearch/store.h"
#include "search_results.h"

cys_status search_hit_read_brief(cys_searcher *s, const cys_mset_item *item,
                                 cys_hit *h) {
  cys_status st = cys_store_decode_head(item->data, item->data_len,
                                        &h->record);
  return st == CYS_CORRUPT ? search_damaged_article(s, item->docid) : st;
}
