// SPDX-License-Identifier: AGPL-3.0-or-later
// RequestHooks: the optional scripts of PROTOCOL.md §1.7 (`pre_auth_scripts`,
// `post_auth_scripts`, `select_session_scripts`). The reference imports Python modules; ours
// runs external programs (backends/optional_scripts) that get the request's fields as JSON on
// stdin and may answer changed fields as JSON on stdout. Pure interface; thread-safe.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"

namespace x2gobroker::core {

enum class HookStage { kPreAuth, kPostAuth, kSelectSession };

// The reference's eight values of run_me(): what a script sees and may change.
struct HookFields {
  std::string username;
  std::string password;
  std::string task;
  std::string profile_id;
  std::string ip;
  std::string cookie;
  bool authed = false;
  std::string server;
};

class RequestHooks {
 public:
  virtual ~RequestHooks() = default;
  // Runs the scripts of `stage` in their configured order, each on the previous one's output.
  // On a failing script (time-out, crash, non-zero exit, bad output) the configured policy
  // decides: PermissionDenied ("deny"), or the fields unchanged by that script ("continue").
  virtual Result<HookFields> Run(HookStage stage, HookFields fields) const = 0;
  // Whether any script is configured for `stage` (so the broker skips the work otherwise).
  virtual bool Has(HookStage stage) const = 0;
};
using RequestHooksPtr = std::shared_ptr<const RequestHooks>;

}  // namespace x2gobroker::core
