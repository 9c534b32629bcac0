// SPDX-License-Identifier: AGPL-3.0-or-later
// The frontend-independent part of a broker request: its fields (PROTOCOL.md §1.5), the access
// decision (§4.1), the profiles the user may see (§3.6, §4.5) and session selection (§10.2).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/broker_frontends.h"
#include "core/profile_renderer.h"
#include "core/session_selector.h"

namespace x2gobroker::core {

struct BrokerFields {
  std::string user;
  std::string login;  // `login`, or `user` when empty
  std::string password;
  std::string authid;
  std::string pubkey;
  std::string task;
  std::string profile_id;
};

// One profile as it will be rendered for this request (keeps the profile set alive).
struct VisibleProfile {
  const SessionProfile* profile;
  std::optional<std::vector<std::string>> host_override;  // set when narrowed (SHADOW, session status)
  bool autologin = false;
  std::string status;

  const std::vector<std::string>& hosts() const { return host_override ? *host_override : profile->hosts; }
};

class BrokerTasks {
 public:
  BrokerTasks(const FrontendRequest& request, const FrontendServices& services, BrokerFields fields);

  // Loads the backend's profiles; Unavailable when its profile file is broken (→ 503).
  Status LoadProfiles();
  // Runs the pre_auth scripts (they may change the fields), checks access (§4.1), then the
  // post_auth scripts (they may change the decision). PermissionDenied when a script fails and
  // the policy is deny.
  Result<AccessDecision> CheckAccess();
  // The profiles the user may see, sorted by id.
  std::vector<VisibleProfile> ListProfiles() const;
  // Selects a server for fields().profile_id; unknown and not permitted profiles look alike.
  // PermissionDenied when `login` names another user and the configuration does not allow it
  // (§10.5); InvalidArgument when the agent would have to act for a user name that X2Go
  // Servers cannot have (§9.5).
  Result<SelectedSession> SelectSession() const;

  const BrokerFields& fields() const { return fields_; }
  ProfileRendering Rendering(const VisibleProfile& v) const;

 private:
  bool Permits(const SessionProfile& profile) const;
  HookFields ToHookFields(bool authed, const std::string& server) const;
  std::vector<VisibleProfile> PermittedProfiles() const;

  const FrontendRequest& request_;
  const FrontendServices& services_;
  BrokerFields fields_;
  std::shared_ptr<const ProfileSet> profiles_;
};

}  // namespace x2gobroker::core
