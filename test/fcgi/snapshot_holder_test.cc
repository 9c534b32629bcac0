// SPDX-License-Identifier: AGPL-3.0-or-later
#include "fcgi/snapshot_holder.h"

#include <doctest/doctest.h>

#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/log.h"
#include "test/fcgi/test_handler.h"

namespace x2gobroker::fcgi {
namespace {

std::string Tag(const HandlerPtr& handler) {
  core::HttpRequest request;
  request.method = "GET";
  request.path = "/";
  std::string body = handler->Handle(request).body;
  return body.substr(0, body.find(' '));
}

TEST_SUITE("fcgi/snapshot_holder") {
  TEST_CASE("a successful reload swaps; requests in flight keep the old snapshot") {
    int loads = 0;
    const core::RequestHandler* seen_previous = nullptr;
    auto first = std::make_shared<testing::EchoHandler>("v1");
    SnapshotHolder holder(first, [&](const core::RequestHandler& previous) -> core::Result<HandlerPtr> {
      seen_previous = &previous;
      return HandlerPtr(std::make_shared<testing::EchoHandler>("v" + std::to_string(++loads + 1)));
    });
    HandlerPtr in_flight = holder.Current();
    CHECK(holder.Reload());
    CHECK(seen_previous == first.get());
    CHECK(Tag(holder.Current()) == "v2");
    CHECK(Tag(in_flight) == "v1");  // still alive and answering
  }

  TEST_CASE("a failed reload keeps the running snapshot") {
    auto first = std::make_shared<testing::EchoHandler>("v1");
    SnapshotHolder holder(first, [](const core::RequestHandler&) -> core::Result<HandlerPtr> {
      return core::InvalidArgument("/etc/x2go/x2gobroker.conf:3: bad value");
    });
    CHECK_FALSE(holder.Reload());
    CHECK(holder.Current() == first);
  }

  TEST_CASE("a loader that throws or returns null is a refused reload") {
    auto first = std::make_shared<testing::EchoHandler>("v1");
    SnapshotHolder throwing(first, [](const core::RequestHandler&) -> core::Result<HandlerPtr> {
      throw std::runtime_error("boom");
    });
    CHECK_FALSE(throwing.Reload());
    CHECK(throwing.Current() == first);
    SnapshotHolder null(first, [](const core::RequestHandler&) -> core::Result<HandlerPtr> { return HandlerPtr(); });
    CHECK_FALSE(null.Reload());
    CHECK(null.Current() == first);
  }

  TEST_CASE("concurrent readers and reloads") {
    core::SetLogLevel(core::LogLevel::kError);  // 100 "configuration reloaded" lines are noise here
    std::atomic<int> loads{0};
    SnapshotHolder holder(std::make_shared<testing::EchoHandler>("v0"),
                          [&](const core::RequestHandler&) -> core::Result<HandlerPtr> {
                            return HandlerPtr(std::make_shared<testing::EchoHandler>("v" + std::to_string(++loads)));
                          });
    std::atomic<bool> stop{false};
    std::atomic<bool> saw_null{false};
    std::vector<std::thread> readers;
    for (int i = 0; i < 4; ++i) {
      readers.emplace_back([&] {
        while (!stop) {
          if (holder.Current() == nullptr) saw_null = true;
        }
      });
    }
    std::vector<std::thread> reloaders;
    for (int i = 0; i < 2; ++i) {
      reloaders.emplace_back([&] {
        for (int j = 0; j < 50; ++j) holder.Reload();
      });
    }
    for (auto& t : reloaders) t.join();
    stop = true;
    for (auto& t : readers) t.join();
    CHECK_FALSE(saw_null);
    CHECK(loads == 100);
    CHECK(Tag(holder.Current()) == "v100");
    core::SetLogLevel(core::LogLevel::kInfo);
  }
}

}  // namespace
}  // namespace x2gobroker::fcgi
