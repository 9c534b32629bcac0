// SPDX-License-Identifier: AGPL-3.0-or-later
// Fakes of the agent-side interfaces (core/agent_client.h, core/agent_services.h) for unit
// tests of session selection: a scripted agent that records every call, a key generator and
// an in-memory deletion queue. Thread-safe (the selector asks agents from several threads).
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "core/agent_services.h"

namespace x2gobroker::test {

struct AgentCall {
  std::string hostname;
  std::string address;
  int port = 0;
  core::AgentTask task;
  std::string user;
  std::vector<std::string> args;
};

class FakeAgentClient final : public core::AgentClient {
 public:
  // The answer of `task` on any host; a host listed in Down() fails everything with Unavailable.
  void Answer(core::AgentTask task, std::vector<std::string> lines) { answers_[task] = std::move(lines); }
  void Down(const std::string& hostname) { down_.push_back(hostname); }
  // Called for every call after it was recorded; may change answers (e.g. suspend → S).
  void OnCall(std::function<void(const AgentCall&, FakeAgentClient&)> hook) { hook_ = std::move(hook); }

  core::Result<core::AgentReply> Run(const core::AgentTarget& target, core::AgentTask task, const std::string& user,
                                     const std::vector<std::string>& args) const override {
    std::lock_guard<std::mutex> lock(mutex_);
    AgentCall call{target.hostname, target.address, target.port, task, user, args};
    calls_.push_back(call);
    for (const std::string& d : down_) {
      if (d == target.hostname) return core::Unavailable("fake: " + d + " is down");
    }
    if (hook_) hook_(call, const_cast<FakeAgentClient&>(*this));
    auto it = answers_.find(task);
    if (it == answers_.end()) return core::AgentReply{};
    return core::AgentReply{it->second};
  }

  std::vector<AgentCall> calls() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return calls_;
  }
  std::vector<AgentCall> CallsOf(core::AgentTask task) const {
    std::vector<AgentCall> out;
    for (const AgentCall& c : calls()) {
      if (c.task == task) out.push_back(c);
    }
    return out;
  }

 private:
  mutable std::mutex mutex_;
  std::map<core::AgentTask, std::vector<std::string>> answers_;
  std::vector<std::string> down_;
  std::function<void(const AgentCall&, FakeAgentClient&)> hook_;
  mutable std::vector<AgentCall> calls_;
};

class FakeKeyPairGenerator final : public core::KeyPairGenerator {
 public:
  core::Result<core::GeneratedKeyPair> Generate() const override {
    core::GeneratedKeyPair pair;
    pair.private_pem = core::SecretString("-----BEGIN RSA PRIVATE KEY-----\nFAKE\n-----END RSA PRIVATE KEY-----\n");
    pair.public_type = "ssh-ed25519";  // a well-formed blob the key parser accepts
    pair.public_blob_base64 = "AAAAC3NzaC1lZDI1NTE5AAAAIAa/Lf7iw85CXkwp6e63WquM/4BaVrhniJ+ypz6aNCV2";
    return pair;
  }
};

class FakeKeyDeletionQueue final : public core::KeyDeletionQueue {
 public:
  core::Status Schedule(const core::PendingKeyDeletion& d) const override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (fail_) return core::Unavailable("fake: queue broken");
    scheduled_.push_back(d);
    return core::Status::Ok();
  }
  size_t RunDue(int64_t, const core::AgentClient*, const core::AgentClient*) const override { return 0; }
  void Fail() { fail_ = true; }
  std::vector<core::PendingKeyDeletion> scheduled() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return scheduled_;
  }

 private:
  mutable std::mutex mutex_;
  bool fail_ = false;
  mutable std::vector<core::PendingKeyDeletion> scheduled_;
};

}  // namespace x2gobroker::test
