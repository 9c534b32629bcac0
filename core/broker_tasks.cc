// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/broker_tasks.h"

#include "core/acl.h"

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

Result<AccessDecision> BrokerTasks::CheckAccess() const {
  std::string client = request_.client ? request_.client->ToString() : std::string();
  return services_.access.Check(AccessRequest{fields_.user, fields_.password, fields_.authid, client});
}

bool BrokerTasks::Permits(const SessionProfile& profile) const {
  if (services_.services.groups == nullptr) return false;
  return AclPermits(profile.acl, AclSubject{fields_.user, request_.client}, *services_.services.groups,
                    services_.config.ignore_primary_group_memberships);
}

std::vector<VisibleProfile> BrokerTasks::ListProfiles() const {
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

SelectedSession BrokerTasks::SelectSession() const {
  const SessionProfile* profile = nullptr;
  if (services_.backend.GeneratesProfiles()) {
    // Generated ids (zeroconf) change with every listing: any id selects the profile.
    if (!profiles_->profiles.empty()) profile = profiles_->profiles.front().get();
  } else {
    profile = profiles_->Find(fields_.profile_id);
    if (profile != nullptr && !Permits(*profile)) profile = nullptr;
  }
  SessionSelector selector(services_.config, services_.services.prober);
  return selector.Select(profile);
}

ProfileRendering BrokerTasks::Rendering(const VisibleProfile& v) const {
  return ProfileRendering{*v.profile, fields_.user, v.autologin, &v.hosts(), v.status};
}

}  // namespace x2gobroker::core
