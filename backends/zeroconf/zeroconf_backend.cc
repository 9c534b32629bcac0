// SPDX-License-Identifier: AGPL-3.0-or-later
#include "backends/zeroconf/zeroconf_backend.h"

#include <map>

#include "core/broker_config.h"
#include "core/profile_builder.h"
#include "core/profile_defaults.h"
#include "core/secure_random.h"
#include "core/string_util.h"

namespace x2gobroker::backends::zeroconf {
namespace {

// The raw profile of the reference's zeroconf backend. The reference starts from the built-in
// defaults and updates them with its own values, so every built-in key keeps its table
// position and the one new key, `name`, comes last. Listing all built-ins in table order and
// then `name` makes core::BuildProfiles produce exactly that order.
core::RawProfileSet ZeroconfRawProfiles(const std::string& desktop_shell) {
  const std::map<std::string_view, std::string> overrides = {
      {"command", core::ToUpper(desktop_shell)},
      {"user", ""},  // empty, not BROKER_USER: the client asks the user for a login
      {"rootless", "false"},
      {"host", "localhost"},
  };
  core::RawProfile profile;
  profile.id = "zeroconf";  // replaced by a random UUID on every listing
  profile.line = 1;
  for (const core::ProfileDefault& d : core::BuiltinProfileDefaults()) {
    auto it = overrides.find(d.key);
    profile.entries.push_back(
        core::RawEntry{std::string(d.key), it != overrides.end() ? it->second : std::string(d.text), {}, 1, false});
  }
  profile.entries.push_back(core::RawEntry{"name", "LOCALHOST", {}, 1, false});

  core::RawProfileSet set;
  set.source = "[broker_zeroconf]";
  set.profiles.push_back(std::move(profile));
  return set;
}

}  // namespace

core::Result<std::shared_ptr<const ZeroconfBackend>> ZeroconfBackend::Create(const std::string& desktop_shell) {
  core::ProfileBuildResult built = core::BuildProfiles(ZeroconfRawProfiles(desktop_shell));
  if (built.profiles.profiles.size() != 1) {
    std::string problems;
    for (const core::Diagnostic& d : built.diagnostics) problems += "; " + d.text;
    return core::InvalidArgument("[broker_zeroconf] desktop-shell '" + desktop_shell +
                                 "' does not give a valid profile" + problems);
  }
  return std::shared_ptr<const ZeroconfBackend>(new ZeroconfBackend(*built.profiles.profiles.front()));
}

core::Result<std::shared_ptr<const core::ProfileSet>> ZeroconfBackend::Profiles() const {
  auto profile = std::make_shared<core::SessionProfile>(template_);
  profile->id = core::RandomUuid4();
  auto set = std::make_shared<core::ProfileSet>();
  set->profiles.push_back(std::move(profile));
  return std::shared_ptr<const core::ProfileSet>(std::move(set));
}

core::Result<core::SessionBackendPtr> ZeroconfBackendFactory::Create(const core::BrokerConfig& config,
                                                                     const core::SessionBackend* previous) const {
  const core::BackendSection* section = config.Backend("zeroconf");
  if (section == nullptr) return core::InvalidArgument(config.source + ": no [broker_zeroconf] settings");
  core::Result<std::shared_ptr<const ZeroconfBackend>> backend = ZeroconfBackend::Create(section->desktop_shell);
  if (!backend.ok()) return core::InvalidArgument(config.source + ": " + backend.status().message());
  return core::SessionBackendPtr(std::move(backend).value());
}

}  // namespace x2gobroker::backends::zeroconf
