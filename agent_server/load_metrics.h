// SPDX-License-Identifier: AGPL-3.0-or-later
// The `checkload` numbers (PROTOCOL.md §9.6), computed from the texts of /proc/loadavg,
// /proc/meminfo, /proc/cpuinfo and /proc/sys/vm/min_free_kbytes the same way the Debian agent
// does, so that the broker's load factor keeps its meaning. Parsing is separate from reading
// so it can be tested with sample texts. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace x2gobroker::agent_server {

struct ProcTexts {
  std::string loadavg;          // "0.52 0.48 0.40 1/123 4567"
  std::string meminfo;          // "MemTotal:  16318412 kB\n..."
  std::string cpuinfo;
  std::string min_free_kbytes;  // "67584\n"
};

struct LoadMetrics {
  int64_t loadavg_xx = 1;    // (1 + 5 + 15 min load average) * 100 / 3 + 1, at least 1
  int64_t mem_avail = 0;     // MemAvailable kB / 1000 (0 if the kernel has no MemAvailable)
  int64_t my_mem_avail = 0;  // the kernel's estimate recomputed (fs/proc/meminfo.c), / 1000
  int64_t num_cpu = 0;       // "model name ... @ X.XXGHz" lines, else "cpu MHz" lines
  int64_t type_cpu = 0;      // that clock in MHz (truncated), else the last cpu MHz rounded up
};

// InvalidArgument if /proc/loadavg does not start with three numbers. Missing meminfo fields
// count as 0 and missing cpuinfo lines give numCPU 0, as in the reference.
core::Result<LoadMetrics> ComputeLoadMetrics(const ProcTexts& texts);

// "loadavgXX:<n>\nmemAvail:<n>\nmyMemAvail:<n>\nnumCPU:<n>\ntypeCPU:<n>\n" (the data after OK).
std::string FormatLoadMetrics(const LoadMetrics& m);

// Reads the four files from /proc. Unavailable if one cannot be read.
core::Result<ProcTexts> ReadProcTexts();

}  // namespace x2gobroker::agent_server
