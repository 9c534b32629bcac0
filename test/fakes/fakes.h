// SPDX-License-Identifier: AGPL-3.0-or-later
// Fakes of the core interfaces for unit tests (leveldb memenv, Envoy test/mocks style).
#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/acl.h"
#include "core/authenticator.h"
#include "core/cookie_store.h"
#include "core/port_prober.h"

namespace x2gobroker::test {

class FakeGroupResolver final : public core::GroupResolver {
 public:
  void AddMember(const std::string& user, const std::string& group) { member_of_[user].push_back(group); }
  void SetPrimary(const std::string& user, const std::string& group) { primary_[user] = group; }
  std::vector<std::string> GroupsOf(const std::string& user, bool include_primary) const override {
    std::vector<std::string> groups;
    if (auto it = member_of_.find(user); it != member_of_.end()) groups = it->second;
    if (include_primary) {
      if (auto it = primary_.find(user); it != primary_.end()) groups.push_back(it->second);
    }
    return groups;
  }

 private:
  std::map<std::string, std::vector<std::string>> member_of_;
  std::map<std::string, std::string> primary_;
};

class FakePortProber final : public core::PortProber {
 public:
  void SetReachable(const std::string& host, int port) { reachable_.insert({host, port}); }
  bool IsReachable(const std::string& host, int port) const override {
    std::lock_guard<std::mutex> lock(mutex_);
    probed_.push_back(host + ":" + std::to_string(port));
    return reachable_.count({host, port}) > 0;
  }
  std::vector<std::string> probed() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return probed_;
  }

 private:
  std::set<std::pair<std::string, int>> reachable_;
  mutable std::mutex mutex_;
  mutable std::vector<std::string> probed_;
};

class FakeAuthenticator final : public core::Authenticator {
 public:
  explicit FakeAuthenticator(std::map<std::string, std::string> passwords) : passwords_(std::move(passwords)) {}
  core::Result<bool> Authenticate(const std::string& user, const std::string& password,
                                  const std::string&) const override {
    auto it = passwords_.find(user);
    return it != passwords_.end() && it->second == password;
  }

 private:
  std::map<std::string, std::string> passwords_;
};

class FakeCookieStore final : public core::CookieStore {
 public:
  core::Status Put(const std::string& token, const core::CookieRecord& record) override {
    records_[token] = record;
    return core::Status::Ok();
  }
  core::Result<core::CookieRecord> Take(const std::string& token, const std::string& user) override {
    auto it = records_.find(token);
    if (it == records_.end() || it->second.user != user) return core::NotFound("no such cookie");
    core::CookieRecord record = it->second;
    records_.erase(it);
    return record;
  }
  std::map<std::string, core::CookieRecord> records_;
};

}  // namespace x2gobroker::test
