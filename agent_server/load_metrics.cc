// SPDX-License-Identifier: AGPL-3.0-or-later
#include "agent_server/load_metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <optional>

#include "core/string_util.h"

namespace x2gobroker::agent_server {
namespace {

// A leading decimal number ("2445.986", "0.52"); nullopt if `s` does not start with a digit.
std::optional<double> LeadingNumber(std::string_view s) {
  size_t n = 0;
  bool digits = false, dot = false;
  while (n < s.size() && ((s[n] >= '0' && s[n] <= '9') || (s[n] == '.' && !dot))) {
    if (s[n] == '.') dot = true; else digits = true;
    ++n;
  }
  if (!digits) return std::nullopt;
  return std::strtod(std::string(s.substr(0, n)).c_str(), nullptr);
}

// "X.YZ" GHz as whole MHz, truncated, computed on the digits (no binary rounding: 2.40 → 2400).
std::optional<int64_t> GhzTextToMhz(std::string_view s) {
  int64_t whole = 0;
  size_t i = 0;
  bool any = false;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9' && i < 9; ++i, any = true) whole = whole * 10 + (s[i] - '0');
  int64_t frac = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    for (int k = 0; k < 3; ++k) {
      frac *= 10;
      if (i < s.size() && s[i] >= '0' && s[i] <= '9') { frac += s[i] - '0'; ++i; any = true; }
    }
  }
  if (!any) return std::nullopt;
  return whole * 1000 + frac;
}

// The kB value of a "Name:   12345 kB" line of /proc/meminfo; 0 if absent.
double MeminfoField(std::string_view meminfo, std::string_view name) {
  for (const std::string& line : core::Split(meminfo, '\n')) {
    std::string_view l(line);
    if (l.size() > name.size() && core::StartsWith(l, name) && l[name.size()] == ':') {
      auto v = LeadingNumber(core::Trim(l.substr(name.size() + 1)));
      return v ? *v : 0;
    }
  }
  return 0;
}

}  // namespace

core::Result<LoadMetrics> ComputeLoadMetrics(const ProcTexts& t) {
  LoadMetrics m;
  const auto fields = core::SplitWhitespace(core::Trim(t.loadavg));
  if (fields.size() < 3) return core::InvalidArgument("malformed /proc/loadavg");
  double sum = 0;
  for (int i = 0; i < 3; ++i) {
    auto v = LeadingNumber(fields[i]);
    if (!v) return core::InvalidArgument("malformed /proc/loadavg");
    sum += *v;
  }
  const double xx = sum * 100 / 3 + 1;
  m.loadavg_xx = xx < 1 ? 1 : static_cast<int64_t>(xx);

  m.mem_avail = static_cast<int64_t>(MeminfoField(t.meminfo, "MemAvailable") / 1000);
  // The kernel's MemAvailable estimate (fs/proc/meminfo.c, Linux 3.14), as the reference does it.
  const auto wm_value = LeadingNumber(core::Trim(t.min_free_kbytes));
  const double low_wm = wm_value ? *wm_value : 0;
  double avail = MeminfoField(t.meminfo, "MemFree") - low_wm;
  double pagecache = MeminfoField(t.meminfo, "Active(file)") + MeminfoField(t.meminfo, "Inactive(file)");
  pagecache -= std::min(pagecache / 2, low_wm);
  avail += pagecache;
  const double slab = MeminfoField(t.meminfo, "SReclaimable");
  avail += slab - std::min(slab / 2, low_wm);
  if (avail < 0) avail = 0;
  m.my_mem_avail = static_cast<int64_t>(avail / 1000);

  // CPUs: "model name : ... CPU ... @ 2.40GHz" lines first (the clock of the last one wins).
  const auto lines = core::Split(t.cpuinfo, '\n');
  for (const std::string& line : lines) {
    std::string_view l(line);
    const size_t model = l.find("model name");
    if (model == std::string_view::npos) continue;
    const size_t cpu = l.find("CPU", model);
    if (cpu == std::string_view::npos) continue;
    // The last "@ <number>" after "CPU", as the reference's greedy match takes it.
    size_t at = l.rfind("@ ");
    if (at == std::string_view::npos || at < cpu) continue;
    auto mhz = GhzTextToMhz(l.substr(at + 2));
    if (!mhz) continue;
    m.type_cpu = *mhz;
    ++m.num_cpu;
  }
  if (m.type_cpu == 0) {
    // Virtual machines: "cpu MHz\t\t: 2445.986" lines, the value rounded up.
    for (const std::string& line : lines) {
      std::string_view l(line);
      if (!core::StartsWith(l, "cpu MHz")) continue;
      const size_t colon = l.find(':');
      if (colon == std::string_view::npos) continue;
      auto v = LeadingNumber(core::Trim(l.substr(colon + 1)));
      if (!v) continue;
      m.type_cpu = static_cast<int64_t>(std::ceil(*v));
      ++m.num_cpu;
    }
  }
  return m;
}

std::string FormatLoadMetrics(const LoadMetrics& m) {
  return "loadavgXX:" + std::to_string(m.loadavg_xx) + "\nmemAvail:" + std::to_string(m.mem_avail) +
         "\nmyMemAvail:" + std::to_string(m.my_mem_avail) + "\nnumCPU:" + std::to_string(m.num_cpu) +
         "\ntypeCPU:" + std::to_string(m.type_cpu) + "\n";
}

core::Result<ProcTexts> ReadProcTexts() {
  ProcTexts t;
  if (!core::ReadFile("/proc/loadavg", &t.loadavg) || !core::ReadFile("/proc/meminfo", &t.meminfo) ||
      !core::ReadFile("/proc/cpuinfo", &t.cpuinfo) ||
      !core::ReadFile("/proc/sys/vm/min_free_kbytes", &t.min_free_kbytes)) {
    return core::Unavailable("cannot read /proc");
  }
  return t;
}

}  // namespace x2gobroker::agent_server
