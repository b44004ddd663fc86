/* stix_id.c — see stix_id.h.  The SHA-1 and the UUID layout are
 * libuuid's (util-linux, Debian's uuid-dev, which Xapian already needs). */
#include "stix_id.h"

#include <stdio.h>
#include <uuid/uuid.h>

void stix_id(char out[STIX_ID_MAX], const char *type, const char *name,
             size_t len) {
  uuid_t ns, id;
  char text[37];
  /* A constant that parses: uuid_parse cannot fail on it. */
  uuid_parse(STIX_ID_NAMESPACE, ns);
  uuid_generate_sha1(id, ns, name, len);
  uuid_unparse_lower(id, text);
  snprintf(out, STIX_ID_MAX, "%s--%s", type, text);
}
