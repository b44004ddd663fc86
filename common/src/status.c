/* status.c — strings for the status table in status.h. */
#include "cysearch/status.h"

const char *cys_status_str(cys_status status) {
  switch (status) {
#define CYS_STATUS_CASE(name, value, text)                                   \
  case CYS_##name:                                                           \
    return text;
    CYS_STATUS_TABLE(CYS_STATUS_CASE)
#undef CYS_STATUS_CASE
  }
  return "unknown status";
}
