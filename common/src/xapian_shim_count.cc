/*
 * xapian_shim_count.cc — counting the values of a slot over the matches
 * of a local search (cys_match_params.count_values): MatchCounter, the
 * spy that notes each match and gives the distinct values with their
 * counts once the match is over.  Part of the C++ shim
 * (xapian_shim_internal.hh); remote shards count with Xapian's own
 * ValueCountMatchSpy instead (xapian_shim_match.cc), which gives the same
 * counts.
 *
 * One index: the spy notes docids and the values are read afterwards from
 * the slots' value streams.  Document::get_value finds the value's chunk
 * in the B-tree and decodes it from its start, once per match and slot,
 * whereas a value stream decodes each chunk once, in docid order, which
 * is the order a match meets its documents in; a timeline over 100,000
 * articles cost a fifth less (tests/bench/timeline.sh).  Several local
 * shards: the spy reads each match's values from its document, because
 * Xapian 1.4 gives the spy a document whose get_docid() is its docid
 * within its shard, which names no entry of the combined value stream.
 *
 * Why a hash table: a story's copies give equal values (the collapse key
 * and date of a timeline), so only the distinct values need sorting into
 * the byte order CountedValues promises.
 */
#include <xapian.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "cysearch/schema.h"
#include "xapian_shim_internal.hh"

namespace {

/* Where a value goes in a ValueTable: std::hash mixed with a seed drawn
 * once per process (splitmix64's finaliser).  The values lead with
 * collapse keys, which hash the articles' ids, and ids come from whoever
 * wrote the feed: with a fixed hash, ids chosen to fill one run of slots
 * would make every search that matches them slow.  The counts do not
 * depend on the seed; only where values sit in the table does. */
uint64_t slot_hash(std::string_view value) {
  static const uint64_t seed = [] {
    std::random_device random;
    return uint64_t(random()) << 32 ^ random();
  }();
  uint64_t h = std::hash<std::string_view>{}(value) ^ seed;
  h = (h ^ h >> 30) * 0xbf58476d1ce4e5b9u;
  h = (h ^ h >> 27) * 0x94d049bb133111ebu;
  return h ^ h >> 31;
}

/* The values counted.  Found again by hash while that pays: each slot
 * holds what a count needs (hash, place of the bytes, count), so that a
 * value met again costs one slot and one comparison of bytes.  When
 * nearly every value is new (a facet value carries the article's source
 * and date as well as its story, so most are), the table only costs: past
 * HASH_TRIAL values of which nine in ten were new, later values are
 * listed as they come.  Either way the values are put in byte order once,
 * at the end, equal ones merged (sorted_into). */
class ValueTable {
public:
  ValueTable() : slots_(1024) {}

  void add(std::string_view value) {
    if (!hashing_) {
      listed_.push_back({bytes_.size(), value.size()});
      bytes_.append(value);
      return;
    }
    if (++added_ == HASH_TRIAL && used_ * 10 >= added_ * 9)
      hashing_ = false;
    uint64_t h = slot_hash(value);
    size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      Slot &slot = slots_[i];
      if (slot.count == 0) {
        slot = {h, bytes_.size(), value.size(), 1};
        bytes_.append(value);
        if (++used_ * 2 > slots_.size())
          grow();
        return;
      }
      if (slot.hash == h && slot.len == value.size() &&
          std::memcmp(bytes_.data() + slot.offset, value.data(),
                      value.size()) == 0) {
        slot.count++;
        return;
      }
    }
  }

  /* The values and their counts into out, in byte order of the values,
   * their bytes laid out in that order too (what reads them next goes
   * through them in order). */
  void sorted_into(CountedValues &out) const;

private:
  static constexpr size_t HASH_TRIAL = 4096;
  struct Slot {
    uint64_t hash;
    size_t offset, len;
    Xapian::doccount count; /* 0: an empty slot */
  };
  struct Listed {
    size_t offset, len;
  };
  void grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    size_t mask = slots_.size() - 1;
    for (const Slot &slot : old)
      if (slot.count != 0)
        for (size_t i = slot.hash & mask;; i = (i + 1) & mask)
          if (slots_[i].count == 0) {
            slots_[i] = slot;
            break;
          }
  }
  std::vector<Slot> slots_; /* a power of two, at most half used */
  size_t used_ = 0, added_ = 0;
  bool hashing_ = true;
  std::vector<Listed> listed_; /* values added once hashing stopped */
  std::string bytes_;
};

/* The first 8 bytes of a value, big-endian and zero-padded: most
 * comparisons of the sort end on them. */
uint64_t leading_bytes(const char *value, size_t len) {
  uint64_t lead = 0;
  for (size_t i = 0; i < 8; i++)
    lead = lead << 8 | (i < len ? (unsigned char)value[i] : 0);
  return lead;
}

void ValueTable::sorted_into(CountedValues &out) const {
  struct Keyed {
    uint64_t lead;
    size_t offset, len;
    Xapian::doccount count;
  };
  const char *base = bytes_.data();
  std::vector<Keyed> keyed;
  keyed.reserve(used_ + listed_.size());
  for (const Slot &slot : slots_)
    if (slot.count != 0)
      keyed.push_back({leading_bytes(base + slot.offset, slot.len),
                       slot.offset, slot.len, slot.count});
  for (const Listed &l : listed_)
    keyed.push_back({leading_bytes(base + l.offset, l.len), l.offset, l.len,
                     1});
  std::sort(keyed.begin(), keyed.end(), [base](const Keyed &a, const Keyed &b) {
    if (a.lead != b.lead)
      return a.lead < b.lead;
    int c = std::memcmp(base + a.offset, base + b.offset,
                        std::min(a.len, b.len));
    return c != 0 ? c < 0 : a.len < b.len;
  });
  out.clear();
  out.bytes.reserve(bytes_.size());
  out.entries.reserve(keyed.size());
  for (const Keyed &k : keyed) {
    if (!out.entries.empty()) {
      CountedValues::Entry &last = out.entries.back();
      if (last.len == k.len &&
          std::memcmp(out.bytes.data() + last.offset, base + k.offset,
                      k.len) == 0) {
        last.count += k.count;
        continue;
      }
    }
    out.entries.push_back({out.bytes.size(), k.len, k.count});
    out.bytes.append(base + k.offset, k.len);
  }
}

} // namespace

StreamReader::StreamReader(const Xapian::Database &db, Xapian::valueno slot)
    : it_(db.valuestream_begin(slot)), end_(db.valuestream_end(slot)) {}

std::string_view StreamReader::value_of(Xapian::docid did) {
  if (it_ == end_)
    return {};
  if (it_.get_docid() < did) {
    it_.skip_to(did);
    if (it_ == end_)
      return {};
  }
  if (it_.get_docid() != did)
    return {};
  value_ = *it_;
  return value_;
}

struct MatchCounter::Impl {
  Impl(const Xapian::Database &db, Xapian::valueno slot, bool dated,
       Xapian::valueno date_slot)
      : db(db), slot(slot), dated(dated), date_slot(date_slot),
        streams(db.size() == 1) {}
  /* Count value (with date when dated). */
  void add(std::string_view value, std::string_view date) {
    if (dated) {
      joined.assign(value);
      joined += CYS_DATE_SEPARATOR;
      joined.append(date);
      table.add(joined);
    } else if (!value.empty()) {
      table.add(value);
    }
  }
  Xapian::Database db;
  Xapian::valueno slot;
  bool dated;
  Xapian::valueno date_slot;
  bool streams; /* one index: docids now, values from the streams later */
  Xapian::doccount seen = 0;
  std::vector<Xapian::docid> docids;
  ValueTable table;
  std::string joined;
};

MatchCounter::MatchCounter(const Xapian::Database &db, Xapian::valueno slot,
                           bool dated, Xapian::valueno date_slot)
    : impl_(new Impl(db, slot, dated, date_slot)) {}

MatchCounter::~MatchCounter() = default;

void MatchCounter::operator()(const Xapian::Document &doc, double) {
  Impl &m = *impl_;
  m.seen++;
  if (m.streams)
    m.docids.push_back(doc.get_docid());
  else
    m.add(doc.get_value(m.slot),
          m.dated ? doc.get_value(m.date_slot) : std::string());
}

Xapian::doccount MatchCounter::seen() const { return impl_->seen; }

void MatchCounter::take_counts(CountedValues &out) {
  Impl &m = *impl_;
  if (m.streams) {
    if (!std::is_sorted(m.docids.begin(), m.docids.end()))
      std::sort(m.docids.begin(), m.docids.end());
    StreamReader values(m.db, m.slot);
    std::unique_ptr<StreamReader> dates;
    if (m.dated)
      dates.reset(new StreamReader(m.db, m.date_slot));
    for (Xapian::docid did : m.docids)
      m.add(values.value_of(did),
            dates ? dates->value_of(did) : std::string_view());
    m.docids.clear();
  }
  m.table.sorted_into(out);
}
