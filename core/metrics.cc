// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/metrics.h"

#include <sys/mman.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <new>

namespace x2gobroker::core::metrics {
namespace {

// Cells are shared between processes: the atomics must not hide a lock.
static_assert(std::atomic<uint64_t>::is_always_lock_free);

constexpr double kNanosPerSecond = 1e9;
// Larger observations are clamped so that the sum in nanoseconds stays far from overflowing.
constexpr double kMaxSeconds = 1e6;

std::string EscapeHelp(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string RenderLabels(const Labels& labels) {
  std::string out;
  for (const auto& [name, value] : labels) {
    if (!out.empty()) out += ',';
    out += name + "=\"" + EscapeLabelValue(value) + "\"";
  }
  return out;
}

// A bucket bound as Prometheus clients print it: "0.005", "1", "2.5".
std::string FormatBound(double bound) {
  char text[32];
  snprintf(text, sizeof text, "%g", bound);
  return text;
}

std::string FormatSeconds(uint64_t nanos) {
  char text[48];
  snprintf(text, sizeof text, "%.9g", static_cast<double>(nanos) / kNanosPerSecond);
  return text;
}

// name{labels} or name{labels,extra} or name{extra} or name.
std::string SeriesName(const std::string& name, const std::string& labels, const std::string& extra = {}) {
  std::string all = labels;
  if (!extra.empty()) all += (all.empty() ? "" : ",") + extra;
  return all.empty() ? name : name + "{" + all + "}";
}

}  // namespace

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

void Counter::Inc(uint64_t n) const {
  if (cell_ != kNoCell) registry_->cell(cell_).fetch_add(n, std::memory_order_relaxed);
}

void Gauge::Add(int64_t delta) const {
  // Two's complement: a negative delta wraps, and the sum over slots wraps back.
  if (cell_ != kNoCell) registry_->cell(cell_).fetch_add(static_cast<uint64_t>(delta), std::memory_order_relaxed);
}

void Histogram::Observe(double seconds) const {
  if (cell_ == kNoCell) return;
  if (!(seconds > 0)) seconds = 0;  // also NaN
  if (seconds > kMaxSeconds) seconds = kMaxSeconds;
  size_t bucket = 0;
  while (bucket < bounds_.size() && seconds > bounds_[bucket]) ++bucket;
  registry_->cell(cell_ + bucket).fetch_add(1, std::memory_order_relaxed);
  registry_->cell(cell_ + bounds_.size() + 1)
      .fetch_add(static_cast<uint64_t>(std::llround(seconds * kNanosPerSecond)), std::memory_order_relaxed);
}

Registry::Registry() : cells_(new std::atomic<uint64_t>[kMaxCells]()) {}

Registry::~Registry() {
  if (shared_) munmap(cells_, slots_ * kMaxCells * sizeof(std::atomic<uint64_t>));
  else delete[] cells_;
}

size_t Registry::Declare(std::string_view name, std::string_view help, Type type, const Labels& labels,
                         const std::vector<double>& bounds, bool show_zero, Family** family_out) {
  Family* family = nullptr;
  for (Family& f : families_) {
    if (f.name == name) family = &f;
  }
  if (family == nullptr) {
    families_.push_back(Family{std::string(name), std::string(help), type, bounds, show_zero, {}});
    family = &families_.back();
  } else if (family->type != type || family->bounds != bounds) {
    return kNoCell;
  }
  *family_out = family;
  std::string rendered = RenderLabels(labels);
  for (const Series& s : family->series) {
    if (s.labels == rendered) return s.cell;
  }
  size_t width = type == Type::kHistogram ? bounds.size() + 2 : 1;
  if (shared_ || used_ + width > kMaxCells) return kNoCell;
  family->series.push_back(Series{std::move(rendered), used_});
  used_ += width;
  return family->series.back().cell;
}

Counter Registry::AddCounter(std::string_view name, std::string_view help, const Labels& labels, bool show_zero) {
  Family* family = nullptr;
  return Counter(this, Declare(name, help, Type::kCounter, labels, {}, show_zero, &family));
}

Gauge Registry::AddGauge(std::string_view name, std::string_view help, const Labels& labels) {
  Family* family = nullptr;
  return Gauge(this, Declare(name, help, Type::kGauge, labels, {}, true, &family));
}

Histogram Registry::AddHistogram(std::string_view name, std::string_view help, const Labels& labels,
                                 const std::vector<double>& bounds, bool show_zero) {
  Family* family = nullptr;
  size_t cell = Declare(name, help, Type::kHistogram, labels, bounds, show_zero, &family);
  return Histogram(this, cell, bounds);
}

Status Registry::ShareAcrossProcesses(size_t slots) {
  if (shared_) return Internal("metrics: already shared");
  if (slots == 0) return InvalidArgument("metrics: no slots");
  size_t bytes = slots * kMaxCells * sizeof(std::atomic<uint64_t>);
  void* mapping = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (mapping == MAP_FAILED) return Internal(std::string("metrics: mmap: ") + strerror(errno));
  // Anonymous mappings are zero-filled; zero is a valid atomic<uint64_t> (lock-free, no state).
  auto* shared = static_cast<std::atomic<uint64_t>*>(mapping);
  for (size_t i = 0; i < slots * kMaxCells; ++i) new (&shared[i]) std::atomic<uint64_t>(0);
  for (size_t i = 0; i < kMaxCells; ++i) shared[i].store(cells_[i].load());
  delete[] cells_;
  cells_ = shared;
  slots_ = slots;
  slot_offset_ = 0;
  shared_ = true;
  return Status::Ok();
}

void Registry::UseSlot(size_t slot) {
  if (slot >= slots_) return;
  slot_offset_ = slot * kMaxCells;
  for (const Family& family : families_) {
    if (family.type != Type::kGauge) continue;
    for (const Series& s : family.series) cells_[slot_offset_ + s.cell].store(0);
  }
}

uint64_t Registry::Sum(size_t index) const {
  uint64_t sum = 0;
  for (size_t slot = 0; slot < slots_; ++slot) sum += cells_[slot * kMaxCells + index].load(std::memory_order_relaxed);
  return sum;
}

void Registry::RenderSeries(const Family& family, const Series& series, std::string* out) const {
  if (family.type != Type::kHistogram) {
    uint64_t value = Sum(series.cell);
    if (value == 0 && !family.show_zero) return;
    std::string text = family.type == Type::kGauge ? std::to_string(static_cast<int64_t>(value)) : std::to_string(value);
    *out += SeriesName(family.name, series.labels) + " " + text + "\n";
    return;
  }
  const size_t buckets = family.bounds.size() + 1;
  std::vector<uint64_t> counts(buckets);
  uint64_t total = 0;
  for (size_t i = 0; i < buckets; ++i) total += counts[i] = Sum(series.cell + i);
  if (total == 0 && !family.show_zero) return;
  uint64_t cumulative = 0;
  for (size_t i = 0; i < buckets; ++i) {
    cumulative += counts[i];
    std::string le = "le=\"" + (i < family.bounds.size() ? FormatBound(family.bounds[i]) : std::string("+Inf")) + "\"";
    *out += SeriesName(family.name + "_bucket", series.labels, le) + " " + std::to_string(cumulative) + "\n";
  }
  *out += SeriesName(family.name + "_sum", series.labels) + " " + FormatSeconds(Sum(series.cell + buckets)) + "\n";
  *out += SeriesName(family.name + "_count", series.labels) + " " + std::to_string(total) + "\n";
}

std::string Registry::Render() const {
  static constexpr const char* kTypeNames[] = {"counter", "gauge", "histogram"};
  std::string out;
  out.reserve(16 * 1024);
  for (const Family& family : families_) {
    out += "# HELP " + family.name + " " + EscapeHelp(family.help) + "\n";
    out += "# TYPE " + family.name + " " + kTypeNames[static_cast<int>(family.type)] + "\n";
    for (const Series& series : family.series) RenderSeries(family, series, &out);
  }
  return out;
}

}  // namespace x2gobroker::core::metrics
