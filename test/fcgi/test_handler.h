// SPDX-License-Identifier: AGPL-3.0-or-later
// EchoHandler: a core::RequestHandler for the fcgi tests, so that the transport is tested
// without the broker. Paths:
//   /throw         throws std::runtime_error (the worker must answer 500 and survive)
//   /slow?MS       sleeps MS milliseconds, then echoes
//   /denied        PermissionDenied with an internal message
//   anything else  200 text/plain "<tag> <METHOD> <path> q=<query> b=<body> a=<remote_addr>"
#pragma once

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/http.h"

namespace x2gobroker::fcgi::testing {

class EchoHandler final : public core::RequestHandler {
 public:
  explicit EchoHandler(std::string tag = "v1", std::vector<std::string> files = {})
      : tag_(std::move(tag)), files_(std::move(files)) {}

  // core::RequestHandler
  core::HttpResponse Handle(const core::HttpRequest& request) const override {
    ++calls;
    if (request.path == "/throw") throw std::runtime_error("handler exploded");
    if (request.path == "/denied") return core::ErrorResponse(core::PermissionDenied("internal: acl says no"));
    if (request.path == "/slow") std::this_thread::sleep_for(std::chrono::milliseconds(std::stoi(request.query)));
    core::HttpResponse response;
    response.content_type = "text/plain; charset=utf-8";
    response.body = tag_ + " " + request.method + " " + request.path + " q=" + request.query + " b=" + request.body +
                    " a=" + request.remote_addr;
    response.log_user = "tester";
    response.log_task = "echo";
    return response;
  }
  std::vector<std::string> WatchedFiles() const override { return files_; }

  mutable std::atomic<int> calls{0};

 private:
  std::string tag_;
  std::vector<std::string> files_;
};

}  // namespace x2gobroker::fcgi::testing
