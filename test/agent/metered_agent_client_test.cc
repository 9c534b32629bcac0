// SPDX-License-Identifier: AGPL-3.0-or-later
#include "agent/metered_agent_client.h"

#include <doctest/doctest.h>

#include <string>
#include <thread>
#include <vector>

#include "core/broker_metrics.h"

using namespace x2gobroker;

namespace {

// Answers every call with a fixed status.
class ScriptedClient final : public core::AgentClient {
 public:
  explicit ScriptedClient(core::Status status) : status_(std::move(status)) {}
  core::Result<core::AgentReply> Run(const core::AgentTarget&, core::AgentTask, const std::string&,
                                     const std::vector<std::string>&) const override {
    if (!status_.ok()) return status_;
    return core::AgentReply{{"line"}};
  }

 private:
  core::Status status_;
};

std::string Line(const std::string& series) {
  std::string text = core::BrokerMetrics().Render();
  size_t at = text.find(series + " ");
  if (at == std::string::npos) return "";
  return text.substr(at, text.find('\n', at) - at);
}

}  // namespace

TEST_SUITE("agent/metered_agent_client") {
  TEST_CASE("counts calls by task and result, passing replies through unchanged") {
    core::AgentTarget target{"h", "127.0.0.1", 22, "RejectPolicy"};
    agent::MeteredAgentClient ok(std::make_shared<ScriptedClient>(core::Status::Ok()), nullptr);
    agent::MeteredAgentClient slow(std::make_shared<ScriptedClient>(core::DeadlineExceeded("t")), nullptr);
    agent::MeteredAgentClient down(std::make_shared<ScriptedClient>(core::Unavailable("d")), nullptr);
    auto reply = ok.Run(target, core::AgentTask::kCheckLoad, "foo", {});
    REQUIRE(reply.ok());
    CHECK(reply->lines == std::vector<std::string>{"line"});
    CHECK(slow.Run(target, core::AgentTask::kCheckLoad, "foo", {}).status().code() ==
          core::StatusCode::kDeadlineExceeded);
    CHECK(down.Run(target, core::AgentTask::kCheckLoad, "foo", {}).status().code() == core::StatusCode::kUnavailable);
    CHECK(down.Run(target, core::AgentTask::kCheckLoad, "foo", {}).status().code() == core::StatusCode::kUnavailable);
    CHECK(Line("x2gobroker_agent_calls_total{task=\"checkload\",result=\"ok\"}") ==
          "x2gobroker_agent_calls_total{task=\"checkload\",result=\"ok\"} 1");
    CHECK(Line("x2gobroker_agent_calls_total{task=\"checkload\",result=\"timeout\"}") ==
          "x2gobroker_agent_calls_total{task=\"checkload\",result=\"timeout\"} 1");
    CHECK(Line("x2gobroker_agent_calls_total{task=\"checkload\",result=\"error\"}") ==
          "x2gobroker_agent_calls_total{task=\"checkload\",result=\"error\"} 2");
    CHECK(Line("x2gobroker_agent_call_duration_seconds_count{task=\"checkload\"}") ==
          "x2gobroker_agent_call_duration_seconds_count{task=\"checkload\"} 4");
  }

  TEST_CASE("AdvanceTo counts each increase once however publishers interleave") {
    std::atomic<uint64_t> published{0};
    std::atomic<uint64_t> total{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (uint64_t now = static_cast<uint64_t>(t); now <= 10000; now += 4) total += agent::AdvanceTo(&published, now);
      });
    }
    for (auto& thread : threads) thread.join();
    CHECK(published.load() == 10000);
    CHECK(total.load() == 10000);
    CHECK(agent::AdvanceTo(&published, 5) == 0);  // never backwards
  }
}
