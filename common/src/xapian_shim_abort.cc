/*
 * xapian_shim_abort.cc — cys_on_abort (status.h): a last word when
 * Xapian ends the process.  Part of the C++ shim.
 *
 * Why it exists: Xapian 1.4.22 can throw from a destructor while a commit
 * fails.  When the disk fills during the commit, Glass::ValueUpdater's
 * destructor (backends/glass/glass_values.cc) writes the last chunk of a
 * value stream, the write throws Xapian::DatabaseError, and a destructor
 * may not throw: C++ calls std::terminate, past every try/catch of the
 * shim.  The commit did not happen, so the index on disk is as of its last
 * commit, but the process would die of SIGABRT with "terminate called
 * after throwing an instance of 'Xapian::DatabaseError'".  Seen in
 * test_faults and test_index_threads (a small tmpfs, two writers filling
 * it) about one run in ten under load.
 */
#include <cstdlib>
#include <exception>
#include <string>

#include "xapian_shim_internal.hh"

extern "C" {
#include "cysearch/status.h"
}

namespace {

void (*abort_handler)(const char *what, void *ctx);
void *abort_ctx;

[[noreturn]] void on_terminate() {
  std::string what = "an error the program could not handle";
  try {
    if (std::exception_ptr p = std::current_exception())
      std::rethrow_exception(p);
  } catch (const Xapian::Error &e) {
    what = e.get_description(); /* as the shim's messages give it */
  } catch (const std::exception &e) {
    what = e.what();
  } catch (...) {
  }
  if (abort_handler)
    abort_handler(what.c_str(), abort_ctx);
  std::abort();
}

} /* namespace */

void cys_on_abort(void (*handler)(const char *what, void *ctx),
                         void *ctx) {
  abort_handler = handler;
  abort_ctx = ctx;
  std::set_terminate(handler ? on_terminate : nullptr);
}
