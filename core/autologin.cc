// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/autologin.h"

#include <ctime>
#include <vector>

#include "core/log.h"
#include "core/ssh_public_key.h"

namespace x2gobroker::core {
namespace {

// sshd(8) rejects a key whose expiry-time has passed. The deletion queue normally removes the
// key after the lifetime; this margin covers a queue that is late (all workers busy, restart).
constexpr int64_t kExpiryMarginSeconds = 60;

const std::string* StringSetting(const SessionProfile& profile, const std::string& key) {
  for (const Setting& s : profile.settings) {
    if (s.key == key) return std::get_if<std::string>(&s.value);
  }
  return nullptr;
}

std::optional<int64_t> IntSetting(const SessionProfile& profile, const std::string& key) {
  for (const Setting& s : profile.settings) {
    if (s.key != key) continue;
    if (const int64_t* i = std::get_if<int64_t>(&s.value)) return *i;
  }
  return std::nullopt;
}

struct KeyDestination {
  AgentTarget target;
  std::string authorized_keys;
};

// The SSH proxy first (the client goes through it), then the server (§10.4).
std::vector<KeyDestination> DestinationsOf(const AutologinContext& c, const AgentTarget& server) {
  std::vector<KeyDestination> out;
  const std::string* proxy = StringSetting(c.profile, "sshproxyhost");
  if (proxy != nullptr && !proxy->empty()) {
    int port = static_cast<int>(IntSetting(c.profile, "sshproxyport").value_or(22));
    out.push_back({AgentTarget{*proxy, *proxy, port, c.settings.host_key_policy}, c.settings.sshproxy_authorized_keys});
  }
  out.push_back({server, c.settings.authorized_keys});
  return out;
}

}  // namespace

AutologinKey DeployAutologinKey(const AutologinContext& c, const std::string& login, const std::string& pubkey,
                                const std::string& client_ip, const AgentTarget& server) {
  const std::string where = "profile " + c.profile.id + ", user " + login + ": session autologin ";
  if (c.services.key_deletions == nullptr) {
    LogWarning(where + "skipped: no key deletion queue, a key could not be removed again");
    return {};
  }
  AutologinKey result;
  SshPublicKey key;
  if (pubkey.empty()) {
    if (c.services.key_generator == nullptr) return {};
    Result<GeneratedKeyPair> pair = c.services.key_generator->Generate();
    if (!pair.ok()) {
      LogError(where + "failed: " + pair.status().message());
      return {};
    }
    key = SshPublicKey{pair->public_type, pair->public_blob_base64, KeyComment(login, client_ip)};
    result.private_key = std::string(pair->private_pem.view());
  } else {
    Result<SshPublicKey> parsed = ParseClientPublicKey(pubkey);
    if (!parsed.ok()) {
      LogWarning(where + "refused the client's public key: " + parsed.status().message());
      return {};
    }
    key = std::move(parsed).value();
    result.pubkey_status = "ACCEPTED";
  }

  const int64_t now = static_cast<int64_t>(time(nullptr));
  AuthorizedKeyOptions options;
  if (c.config.autologin_key_from_client && !client_ip.empty()) options.from_address = client_ip;
  if (c.config.autologin_key_expiry_time) options.expires_at_unix = now + c.config.autologin_key_lifetime + kExpiryMarginSeconds;
  const std::string line = AuthorizedKeyLine(key, options);
  if (line.empty()) {  // fails closed, e.g. a client address that is no IP literal for from=
    LogWarning(where + "skipped: no valid key line (restrictions could not be applied)");
    return {};
  }

  for (const KeyDestination& d : DestinationsOf(c, server)) {
    PendingKeyDeletion deletion{d.target, QueryModeName(c.agent.mode()), login, line, d.authorized_keys,
                                now + c.config.autologin_key_lifetime};
    Status scheduled = c.services.key_deletions->Schedule(deletion);
    if (!scheduled.ok()) {
      LogError(where + "skipped: cannot record the key's deletion: " + scheduled.message());
      return {};
    }
    Result<AgentReply> added = c.agent.RunOn(d.target, AgentTask::kAddAuthKey, login, {line, d.authorized_keys});
    if (!added.ok()) {
      LogWarning(where + "failed on " + d.target.hostname + ": " + added.status().message());
      return {};
    }
  }
  LogInfo(where + "key installed on " + server.hostname + " for " + std::to_string(c.config.autologin_key_lifetime) + " s");
  return result;
}

}  // namespace x2gobroker::core
