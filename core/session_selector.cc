// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/session_selector.h"

#include <unistd.h>

#include <algorithm>
#include <vector>

#include "core/log.h"
#include "core/secure_random.h"
#include "core/string_util.h"

namespace x2gobroker::core {
namespace {

std::string SystemHostname() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "localhost";
  return name;
}

}  // namespace

bool PortscanEnabled(const SessionProfile& profile, const BrokerConfig& config) {
  return profile.portscan.value_or(config.default_portscan_x2goservers);
}

bool SessionAutologinEnabled(const SessionProfile& profile, const BrokerConfig& config) {
  return profile.session_autologin.value_or(config.default_session_autologin);
}

SelectedSession SessionSelector::Select(const SessionProfile* profile) const {
  if (profile == nullptr) return {kNoServerAvailable, 22};
  if (profile->hosts.empty()) return {kNoServerAvailable, profile->sshport};

  std::vector<std::string> hosts = profile->hosts;
  // x2goserver records the system's hostname, so `localhost` is compared under that name; the
  // first host is fixed before, so a single `localhost` host is still answered as `localhost`.
  std::string server_name = hosts.front();
  int64_t server_port = profile->sshport;
  const std::string hostname = SystemHostname();
  std::replace(hosts.begin(), hosts.end(), std::string("localhost"), hostname);
  const bool probe = PortscanEnabled(*profile, config_) && prober_ != nullptr;
  const size_t configured_hosts = hosts.size();

  while (!hosts.empty()) {
    if (hosts.size() >= 2) {
      server_name = profile->IsShadow() ? hosts.front() : hosts[RandomBelow(hosts.size())];
    }
    auto alias = profile->aliases.find(server_name);
    std::string server_addr = server_name;
    server_port = profile->sshport;
    if (alias != profile->aliases.end()) {
      server_addr = alias->second.address;
      if (alias->second.port) server_port = *alias->second.port;
    }
    if (!probe) return {server_addr, server_port};
    bool reachable = prober_->IsReachable(server_addr, static_cast<int>(server_port));
    if (!reachable && server_name != server_addr) {
      reachable = prober_->IsReachable(server_name, static_cast<int>(server_port));
    }
    if (reachable) return {server_addr, server_port};
    LogWarning("profile " + profile->id + ": X2Go Server " + server_name + " (" + server_addr + ":" +
               std::to_string(server_port) + ") does not answer, trying the next one");
    // Remove the host that was tried (under its replaced name for `localhost`).
    const std::string& tried = server_name == "localhost" ? hostname : server_name;
    auto it = std::find(hosts.begin(), hosts.end(), tried);
    if (it != hosts.end()) hosts.erase(it);
    else hosts.erase(hosts.begin());
    if (!hosts.empty()) server_name = hosts.front();
  }
  if (configured_hosts > 1) return {kNoX2GoServerAvailable, profile->sshport};
  // A single-host profile is answered even when its server is down (reference behaviour).
  auto alias = profile->aliases.find(profile->hosts.front());
  if (alias != profile->aliases.end()) {
    return {alias->second.address, alias->second.port.value_or(profile->sshport)};
  }
  return {profile->hosts.front(), profile->sshport};
}

}  // namespace x2gobroker::core
