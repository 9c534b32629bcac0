// SPDX-License-Identifier: AGPL-3.0-or-later
// A small metrics registry rendered in the Prometheus text exposition format, version 0.0.4.
//
// Declare, then use. Every series (a metric name with one set of label values) is declared up
// front, single-threaded, before worker threads start and before any fork(); each gets fixed
// cells in one flat array of 64-bit atomic counters. Updating a series is one relaxed atomic
// add on its cell: no lock, no allocation, safe from any thread.
//
// Multi-process: ShareAcrossProcesses(N) moves the cells into an anonymous MAP_SHARED mapping
// with N slots (one per pre-forked worker, plus one for the master) before the fork; each child
// then calls UseSlot(i) and adds only to its own slot. Render() sums every slot, so whichever
// process answers a scrape reports the totals of all of them. A respawned worker takes over
// its predecessor's slot: counters keep counting (never go backwards), gauges restart at 0.
//
// Label values are caller-chosen and must come from a closed set (never raw client input):
// cardinality is fixed at declaration, and a declaration beyond kMaxCells returns a handle
// that ignores updates.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace x2gobroker::core::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

// Cells per slot (64 KiB): far above the broker's ~1000 series.
inline constexpr size_t kMaxCells = 8192;
inline constexpr size_t kNoCell = static_cast<size_t>(-1);

class Registry;

// A monotonically increasing count. Copyable handle; valid while its registry lives.
class Counter {
 public:
  Counter() = default;
  void Inc(uint64_t n = 1) const;

 private:
  friend class Registry;
  Counter(Registry* registry, size_t cell) : registry_(registry), cell_(cell) {}
  Registry* registry_ = nullptr;
  size_t cell_ = kNoCell;
};

// A value that goes up and down (summed over processes).
class Gauge {
 public:
  Gauge() = default;
  void Add(int64_t delta) const;

 private:
  friend class Registry;
  Gauge(Registry* registry, size_t cell) : registry_(registry), cell_(cell) {}
  Registry* registry_ = nullptr;
  size_t cell_ = kNoCell;
};

// Observations counted in fixed buckets (upper bounds, ascending) plus their sum.
class Histogram {
 public:
  Histogram() = default;
  // Negative values (and NaN) count as 0; values above 1e6 s as 1e6 s.
  void Observe(double seconds) const;

 private:
  friend class Registry;
  Histogram(Registry* registry, size_t cell, std::vector<double> bounds)
      : registry_(registry), cell_(cell), bounds_(std::move(bounds)) {}
  Registry* registry_ = nullptr;
  size_t cell_ = kNoCell;  // first bucket; then the +Inf bucket, then the sum in nanoseconds
  std::vector<double> bounds_;
};

class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Declarations. REQUIRES: no other thread uses the registry yet, and ShareAcrossProcesses has
  // not been called (all processes must share one layout). `name` and label names must be valid
  // Prometheus names. A family's later series must have the same type (and bounds); otherwise,
  // or when the cells run out, the handle returned ignores updates. Declaring a series twice
  // returns the same cells. `show_zero`: render the family's series even while they are 0
  // (worth it for small families; large ones only show series that have counted something).
  Counter AddCounter(std::string_view name, std::string_view help, const Labels& labels, bool show_zero = true);
  Gauge AddGauge(std::string_view name, std::string_view help, const Labels& labels);
  Histogram AddHistogram(std::string_view name, std::string_view help, const Labels& labels,
                         const std::vector<double>& bounds, bool show_zero = true);

  // Moves the cells (and their values) into an anonymous shared mapping of `slots` slots;
  // this process keeps adding to slot 0. REQUIRES: single-threaded, called at most once.
  // Internal if mmap fails (the registry then stays per-process).
  Status ShareAcrossProcesses(size_t slots);
  // In a forked child: add to `slot` from now on and zero that slot's gauges (they described a
  // process that is gone). REQUIRES: single-threaded, slot < slots.
  void UseSlot(size_t slot);

  // The text exposition (version 0.0.4) of every family, in declaration order, summed over all
  // slots. Thread-safe with concurrent updates (each value is read once, atomically).
  std::string Render() const;

  std::atomic<uint64_t>& cell(size_t index) const { return cells_[slot_offset_ + index]; }

 private:
  enum class Type { kCounter, kGauge, kHistogram };
  struct Series {
    std::string labels;  // rendered: a="x",b="y" (empty without labels)
    size_t cell = 0;
  };
  struct Family {
    std::string name;
    std::string help;
    Type type = Type::kCounter;
    std::vector<double> bounds;  // histograms
    bool show_zero = true;
    std::vector<Series> series;
  };

  // The cell of a new or existing series; kNoCell on a type/bounds mismatch or when full.
  size_t Declare(std::string_view name, std::string_view help, Type type, const Labels& labels,
                 const std::vector<double>& bounds, bool show_zero, Family** family);
  uint64_t Sum(size_t index) const;
  void RenderSeries(const Family& family, const Series& series, std::string* out) const;

  std::atomic<uint64_t>* cells_ = nullptr;  // slots_ * kMaxCells
  size_t slots_ = 1;
  size_t slot_offset_ = 0;
  bool shared_ = false;
  size_t used_ = 0;
  std::vector<Family> families_;  // declaration order; never changes after the fork
};

// Label value escaping of the text format: backslash, double quote and newline.
std::string EscapeLabelValue(std::string_view value);

}  // namespace x2gobroker::core::metrics
