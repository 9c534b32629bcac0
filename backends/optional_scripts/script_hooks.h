// SPDX-License-Identifier: AGPL-3.0-or-later
// ScriptHooks: core::RequestHooks with external programs (PROTOCOL.md §1.7, "our broker").
// Each configured entry is the absolute path of an executable. It is run with an argv of just
// its path (no shell), an environment of PATH only, and on stdin one JSON object:
//   {"stage": "pre_auth", "username": "...", "password": "...", "task": "...",
//    "profile_id": "...", "ip": "...", "cookie": "...", "authed": false, "server": "..."}
// It answers on stdout with a JSON object holding the fields it changes (any subset of the
// eight, same types; empty output or `{}` = no change) and exits 0. Anything else — a time-out,
// a crash, another exit status, output that is not such an object — is a failure, logged with
// the script's path and the reason (never the fields), and handled by the policy.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/broker_config.h"
#include "core/request_hooks.h"

namespace x2gobroker::backends::optional_scripts {

struct ScriptHooksOptions {
  std::vector<std::string> pre_auth;
  std::vector<std::string> post_auth;
  std::vector<std::string> select_session;
  std::chrono::milliseconds timeout{5000};
  bool deny_on_failure = true;
};

class ScriptHooks final : public core::RequestHooks {
 public:
  explicit ScriptHooks(ScriptHooksOptions options) : options_(std::move(options)) {}
  // The scripts of a configuration: entries that are absolute paths; the others (the
  // reference's Python module names) were already reported by the config validator.
  static std::shared_ptr<ScriptHooks> FromConfig(const core::BrokerConfig& config);

  // core::RequestHooks
  core::Result<core::HookFields> Run(core::HookStage stage, core::HookFields fields) const override;
  bool Has(core::HookStage stage) const override { return !Scripts(stage).empty(); }

 private:
  const std::vector<std::string>& Scripts(core::HookStage stage) const;
  ScriptHooksOptions options_;
};

// The JSON exchange, exposed for tests.
std::string EncodeHookFields(core::HookStage stage, const core::HookFields& fields);
// Applies a script's answer to `fields`; InvalidArgument (fields untouched) if it is not a
// JSON object of known keys with the right types.
core::Status ApplyHookAnswer(std::string_view answer, core::HookFields* fields);
const char* HookStageName(core::HookStage stage);

}  // namespace x2gobroker::backends::optional_scripts
