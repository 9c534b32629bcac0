// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/metrics.h"

#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>
#include <vector>

#include "core/broker_metrics.h"

using namespace x2gobroker::core;
using namespace x2gobroker::core::metrics;

TEST_SUITE("core/metrics") {
  TEST_CASE("counters and gauges render in the text format, label values escaped") {
    Registry r;
    Counter a = r.AddCounter("x_requests_total", "Requests.\nTwo \\ lines.", {{"code", "200"}});
    Counter b = r.AddCounter("x_requests_total", "", {{"code", "a\"b\\c\nd"}});
    Counter hidden = r.AddCounter("x_rare_total", "Rare.", {{"k", "v"}}, /*show_zero=*/false);
    Gauge g = r.AddGauge("x_idle", "Idle.", {});
    a.Inc();
    a.Inc(4);
    b.Inc();
    g.Add(3);
    g.Add(-5);
    CHECK(r.Render() ==
          "# HELP x_requests_total Requests.\\nTwo \\\\ lines.\n"
          "# TYPE x_requests_total counter\n"
          "x_requests_total{code=\"200\"} 5\n"
          "x_requests_total{code=\"a\\\"b\\\\c\\nd\"} 1\n"
          "# HELP x_rare_total Rare.\n"
          "# TYPE x_rare_total counter\n"
          "# HELP x_idle Idle.\n"
          "# TYPE x_idle gauge\n"
          "x_idle -2\n");
    hidden.Inc();
    CHECK(r.Render().find("x_rare_total{k=\"v\"} 1\n") != std::string::npos);
  }

  TEST_CASE("histogram buckets are cumulative, bounds inclusive, sum in seconds") {
    Registry r;
    Histogram h = r.AddHistogram("x_seconds", "Latency.", {{"f", "plain"}}, {0.01, 0.1, 1});
    h.Observe(0.01);   // le=0.01 (upper bounds are inclusive)
    h.Observe(0.05);   // le=0.1
    h.Observe(0.5);    // le=1
    h.Observe(30);     // +Inf only
    h.Observe(-1);     // counts as 0
    CHECK(r.Render() ==
          "# HELP x_seconds Latency.\n"
          "# TYPE x_seconds histogram\n"
          "x_seconds_bucket{f=\"plain\",le=\"0.01\"} 2\n"
          "x_seconds_bucket{f=\"plain\",le=\"0.1\"} 3\n"
          "x_seconds_bucket{f=\"plain\",le=\"1\"} 4\n"
          "x_seconds_bucket{f=\"plain\",le=\"+Inf\"} 5\n"
          "x_seconds_sum{f=\"plain\"} 30.56\n"
          "x_seconds_count{f=\"plain\"} 5\n");
  }

  TEST_CASE("an unlabelled histogram hidden while empty") {
    Registry r;
    Histogram h = r.AddHistogram("y_seconds", "Y.", {}, {1}, /*show_zero=*/false);
    CHECK(r.Render() == "# HELP y_seconds Y.\n# TYPE y_seconds histogram\n");
    h.Observe(2);
    CHECK(r.Render() ==
          "# HELP y_seconds Y.\n# TYPE y_seconds histogram\n"
          "y_seconds_bucket{le=\"1\"} 0\ny_seconds_bucket{le=\"+Inf\"} 1\ny_seconds_sum 2\ny_seconds_count 1\n");
  }

  TEST_CASE("a type mismatch or a full registry yields a handle that ignores updates") {
    Registry r;
    r.AddCounter("z", "Z.", {});
    Gauge wrong = r.AddGauge("z", "", {{"a", "b"}});
    wrong.Add(7);
    CHECK(r.Render() == "# HELP z Z.\n# TYPE z counter\nz 0\n");
    Registry full;
    for (size_t i = 0; i < kMaxCells; ++i) full.AddCounter("c", "", {{"i", std::to_string(i)}});
    Counter over = full.AddCounter("c", "", {{"i", "over"}});
    over.Inc();  // must not write out of bounds
    CHECK(full.Render().find("over") == std::string::npos);
  }

  TEST_CASE("declaring a series twice returns the same cells") {
    Registry r;
    r.AddCounter("d_total", "D.", {{"k", "v"}}).Inc();
    r.AddCounter("d_total", "D.", {{"k", "v"}}).Inc();
    CHECK(r.Render() == "# HELP d_total D.\n# TYPE d_total counter\nd_total{k=\"v\"} 2\n");
  }

  TEST_CASE("concurrent increments are not lost") {
    Registry r;
    Counter c = r.AddCounter("n_total", "N.", {});
    Histogram h = r.AddHistogram("n_seconds", "N.", {}, {1});
    constexpr int kThreads = 8;
    constexpr int kEach = 100000;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&] {
        for (int i = 0; i < kEach; ++i) {
          c.Inc();
          h.Observe(0.5);
        }
      });
    }
    for (auto& t : threads) t.join();
    std::string text = r.Render();
    CHECK(text.find("n_total 800000\n") != std::string::npos);
    CHECK(text.find("n_seconds_count 800000\n") != std::string::npos);
    CHECK(text.find("n_seconds_sum 400000\n") != std::string::npos);
  }

  TEST_CASE("shared across processes: a child's slot adds to the parent's render") {
    Registry r;
    Counter c = r.AddCounter("p_total", "P.", {});
    Gauge g = r.AddGauge("p_idle", "P.", {});
    c.Inc(2);  // before sharing: carried into slot 0
    REQUIRE(r.ShareAcrossProcesses(3).ok());
    r.UseSlot(2);
    c.Inc();
    g.Add(1);
    for (size_t slot : {0, 1}) {
      pid_t pid = fork();
      REQUIRE(pid >= 0);
      if (pid == 0) {
        r.UseSlot(slot);
        c.Inc(10);
        g.Add(4);
        _exit(0);
      }
      int status = 0;
      waitpid(pid, &status, 0);
    }
    CHECK(r.Render() == "# HELP p_total P.\n# TYPE p_total counter\np_total 23\n"
                        "# HELP p_idle P.\n# TYPE p_idle gauge\np_idle 9\n");
    // A replacement for the worker of slot 1: counters stay, its gauge restarts at 0.
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      r.UseSlot(1);
      _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(r.Render().find("p_total 23\n") != std::string::npos);
    CHECK(r.Render().find("p_idle 5\n") != std::string::npos);
  }

  TEST_CASE("broker metrics map label values onto closed sets") {
    RecordRequest("/plain/inifile/", "listsessions", 200, 0.002);
    RecordRequest("/x2gobroker/json/", "'; DROP", 401, 0.002);
    RecordRequest("/nowhere", "", 404, 0.002);
    RecordRequest("/uccs/x/api/5", "uccs", 299, 0.002);
    RecordAuthFailure("made-up");
    std::string text = BrokerMetrics().Render();
    CHECK(text.find("x2gobroker_http_requests_total{frontend=\"plain\",task=\"listsessions\",code=\"200\"} 1\n") !=
          std::string::npos);
    CHECK(text.find("x2gobroker_http_requests_total{frontend=\"json\",task=\"other\",code=\"401\"} 1\n") !=
          std::string::npos);
    CHECK(text.find("x2gobroker_http_requests_total{frontend=\"other\",task=\"none\",code=\"404\"} 1\n") !=
          std::string::npos);
    CHECK(text.find("x2gobroker_http_requests_total{frontend=\"uccs\",task=\"uccs\",code=\"other\"} 1\n") !=
          std::string::npos);
    CHECK(text.find("x2gobroker_auth_failures_total{mechanism=\"other\"} 1\n") != std::string::npos);
    CHECK(text.find("x2gobroker_config_reloads_total{result=\"failed\"} 0\n") != std::string::npos);
    CHECK(text.find("DROP") == std::string::npos);
  }
}
