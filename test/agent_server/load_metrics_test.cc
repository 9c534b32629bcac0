// SPDX-License-Identifier: AGPL-3.0-or-later
#include "agent_server/load_metrics.h"

#include <doctest/doctest.h>

namespace x2gobroker::agent_server {
namespace {

const char* kMeminfo =
    "MemTotal:       16318412 kB\n"
    "MemFree:         8000000 kB\n"
    "MemAvailable:   23850123 kB\n"
    "Buffers:          100000 kB\n"
    "Active(file):    3000000 kB\n"
    "Inactive(file):  1000000 kB\n"
    "SReclaimable:     400000 kB\n";

const char* kVmCpuinfo =
    "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Common KVM processor\ncpu MHz\t\t: 2445.986\n\n"
    "processor\t: 1\nvendor_id\t: GenuineIntel\nmodel name\t: Common KVM processor\ncpu MHz\t\t: 2445.986\n";

const char* kBareMetalCpuinfo =
    "processor\t: 0\nmodel name\t: Intel(R) Xeon(R) CPU E5-2630 v3 @ 2.40GHz\ncpu MHz\t\t: 1200.000\n\n"
    "processor\t: 1\nmodel name\t: Intel(R) Xeon(R) CPU E5-2630 v3 @ 2.40GHz\ncpu MHz\t\t: 3200.000\n\n"
    "processor\t: 2\nmodel name\t: Intel(R) Xeon(R) CPU E5-2630 v3 @ 2.40GHz\ncpu MHz\t\t: 1200.000\n";

TEST_SUITE("agent_server/load_metrics") {
  TEST_CASE("a VM: cpu MHz lines, rounded up") {
    ProcTexts t{"1.00 1.50 2.00 2/345 6789\n", kMeminfo, kVmCpuinfo, "67584\n"};
    auto m = ComputeLoadMetrics(t);
    REQUIRE(m.ok());
    CHECK(m->loadavg_xx == 151);  // 4.5 * 100 / 3 + 1
    CHECK(m->mem_avail == 23850);
    // free 8000000 - 67584; pagecache 4000000 - min(2000000, 67584); slab 400000 - min(200000, 67584)
    CHECK(m->my_mem_avail == (8000000 - 67584 + 4000000 - 67584 + 400000 - 67584) / 1000);
    CHECK(m->num_cpu == 2);
    CHECK(m->type_cpu == 2446);
    CHECK(FormatLoadMetrics(*m) == "loadavgXX:151\nmemAvail:23850\nmyMemAvail:12197\nnumCPU:2\ntypeCPU:2446\n");
  }

  TEST_CASE("bare metal: model name @ GHz wins over cpu MHz") {
    ProcTexts t{"0.00 0.00 0.00 1/100 1\n", kMeminfo, kBareMetalCpuinfo, "67584"};
    auto m = ComputeLoadMetrics(t);
    REQUIRE(m.ok());
    CHECK(m->loadavg_xx == 1);
    CHECK(m->num_cpu == 3);
    CHECK(m->type_cpu == 2400);
  }

  TEST_CASE("small page cache and slab use half of themselves; never negative") {
    ProcTexts t{"0.5 0.5 0.5", "MemFree: 1000 kB\nActive(file): 100 kB\nInactive(file): 100 kB\nSReclaimable: 50 kB\n",
                "", "67584"};
    auto m = ComputeLoadMetrics(t);
    REQUIRE(m.ok());
    CHECK(m->loadavg_xx == 51);
    CHECK(m->mem_avail == 0);
    CHECK(m->my_mem_avail == 0);
    CHECK(m->num_cpu == 0);
    CHECK(m->type_cpu == 0);
  }

  TEST_CASE("malformed loadavg is an error") {
    CHECK_FALSE(ComputeLoadMetrics(ProcTexts{"", kMeminfo, kVmCpuinfo, "1"}).ok());
    CHECK_FALSE(ComputeLoadMetrics(ProcTexts{"a b c", kMeminfo, kVmCpuinfo, "1"}).ok());
  }

  TEST_CASE("this machine's /proc can be read and gives sane numbers") {
    auto t = ReadProcTexts();
    REQUIRE(t.ok());
    auto m = ComputeLoadMetrics(*t);
    REQUIRE(m.ok());
    CHECK(m->loadavg_xx >= 1);
  }
}

}  // namespace
}  // namespace x2gobroker::agent_server
