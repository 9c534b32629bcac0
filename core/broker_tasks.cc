// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/broker_tasks.h"

#include "core/acl.h"
#include "core/agent_command.h"
#include "core/agent_settings.h"
#include "core/listing_status.h"

namespace x2gobroker::core {

BrokerTasks::BrokerTasks(const FrontendRequest& request, const FrontendServices& services, BrokerFields fields)
    : request_(request), services_(services), fields_(std::move(fields)) {
  if (fields_.login.empty()) fields_.login = fields_.user;
}

Status BrokerTasks::LoadProfiles() {
  Result<std::shared_ptr<const ProfileSet>> profiles = services_.backend.Profiles();
  if (!profiles.ok()) return profiles.status();
  profiles_ = *profiles;
  return Status::Ok();
}

HookFields BrokerTasks::ToHookFields(bool authed, const std::string& server) const {
  std::string client = request_.client ? request_.client->ToString() : std::string();
  return HookFields{fields_.user, fields_.password, fields_.task, fields_.profile_id, client, fields_.authid, authed, server};
}

Result<AccessDecision> BrokerTasks::CheckAccess() {
  const RequestHooks* hooks = services_.hooks;
  if (hooks != nullptr && hooks->Has(HookStage::kPreAuth)) {
    Result<HookFields> changed = hooks->Run(HookStage::kPreAuth, ToHookFields(false, ""));
    if (!changed.ok()) return changed.status();
    fields_.user = changed->username;
    fields_.password = changed->password;
    fields_.task = changed->task;
    fields_.profile_id = changed->profile_id;
    fields_.authid = changed->cookie;
  }
  std::string client = request_.client ? request_.client->ToString() : std::string();
  Result<AccessDecision> decision = services_.access.Check(
      AccessRequest{fields_.user, fields_.password, fields_.authid, client, request_.http.preauthenticated});
  if (!decision.ok() || hooks == nullptr || !hooks->Has(HookStage::kPostAuth)) return decision;
  Result<HookFields> changed = hooks->Run(HookStage::kPostAuth, ToHookFields(decision->granted, ""));
  if (!changed.ok()) return changed.status();
  decision->granted = changed->authed;
  fields_.user = changed->username;
  fields_.profile_id = changed->profile_id;
  return decision;
}

bool BrokerTasks::Permits(const SessionProfile& profile) const {
  if (services_.services.groups == nullptr) return false;
  return AclPermits(profile.acl, AclSubject{fields_.user, request_.client}, *services_.services.groups,
                    services_.config.ignore_primary_group_memberships);
}

std::vector<VisibleProfile> BrokerTasks::ListProfiles() const {
  std::vector<VisibleProfile> visible = PermittedProfiles();
  MarkSessionStatus(services_.config, services_.agents, request_.backend_name, fields_.user, &visible);
  return visible;
}

std::vector<VisibleProfile> BrokerTasks::PermittedProfiles() const {
  std::vector<VisibleProfile> visible;
  for (const SessionProfilePtr& p : profiles_->profiles) {
    if (!Permits(*p)) continue;
    VisibleProfile v{p.get(), std::nullopt, SessionAutologinEnabled(*p, services_.config), ""};
    // Without an agent the whole host list is shown; a SHADOW profile shows its first host.
    if (p->IsShadow() && p->hosts.size() > 1) v.host_override = std::vector<std::string>{p->hosts.front()};
    visible.push_back(std::move(v));
  }
  return visible;
}

Result<SelectedSession> BrokerTasks::SelectSession() const {
  // §10.5: the agent acts for the authenticated user; `login` may differ only if allowed.
  if (fields_.login != fields_.user && services_.config.login_must_match_user) {
    return PermissionDenied("login '" + fields_.login + "' differs from the broker user (login-must-match-user)");
  }
  const SessionProfile* profile = nullptr;
  if (services_.backend.GeneratesProfiles()) {
    // Generated ids (zeroconf) change with every listing: any id selects the profile.
    if (!profiles_->profiles.empty()) profile = profiles_->profiles.front().get();
  } else {
    profile = profiles_->Find(fields_.profile_id);
    if (profile != nullptr && !Permits(*profile)) profile = nullptr;
  }
  if (profile != nullptr && !fields_.login.empty() && !IsValidAgentUser(fields_.login) &&
      AgentSettingsFor(*profile, services_.config, request_.backend_name).mode != AgentQueryMode::kNone) {
    return InvalidArgument("user name not usable on X2Go Servers");
  }
  SessionSelector selector(services_.config, services_.services.prober, &services_.agents);
  std::string client = request_.client ? request_.client->ToString() : std::string();
  SelectedSession selected = selector.Select(profile, SelectRequest{request_.backend_name, fields_.login, fields_.pubkey, client});
  const RequestHooks* hooks = services_.hooks;
  if (hooks == nullptr || !hooks->Has(HookStage::kSelectSession)) return selected;
  Result<HookFields> changed = hooks->Run(HookStage::kSelectSession, ToHookFields(true, selected.server));
  if (!changed.ok()) return changed.status();
  selected.server = changed->server;
  return selected;
}

ProfileRendering BrokerTasks::Rendering(const VisibleProfile& v) const {
  return ProfileRendering{*v.profile, fields_.user, v.autologin, &v.hosts(), v.status};
}

}  // namespace x2gobroker::core
