// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/broker_pubkeys.h"

#include <netdb.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <vector>

#include "core/log.h"
#include "core/string_util.h"

namespace x2gobroker::core {
namespace {

std::string HomeOf(const std::string& user) {
  std::vector<char> buf(16384);
  passwd pw{};
  passwd* found = nullptr;
  if (getpwnam_r(user.c_str(), &pw, buf.data(), buf.size(), &found) != 0 || found == nullptr) return "";
  return pw.pw_dir;
}

// The reference's X2GOBROKER_HOSTNAME: the hostname if it has a dot, else the canonical name
// from the resolver, else "localhost".
std::string BrokerFqdn() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "localhost";
  if (std::strchr(name, '.') != nullptr) return name;
  addrinfo hints{};
  hints.ai_flags = AI_CANONNAME;
  addrinfo* info = nullptr;
  std::string fqdn = "localhost";
  if (getaddrinfo(name, nullptr, &hints, &info) == 0 && info != nullptr) {
    if (info->ai_canonname != nullptr && std::strchr(info->ai_canonname, '.') != nullptr) fqdn = info->ai_canonname;
    freeaddrinfo(info);
  }
  return fqdn;
}

bool IsBase64(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=')) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string LoadBrokerPubkeys(const std::string& daemon_user, const std::string& agent_command,
                              const std::string& key_directory) {
  std::string dir = key_directory;
  if (dir.empty()) {
    const std::string home = HomeOf(daemon_user);
    if (home.empty()) return "";
    dir = home + "/.ssh";
  }
  struct KeyFile {
    const char* name;
    const char* type_prefix;  // the key type must start with this
  };
  const KeyFile reference_types[] = {{"id_rsa.pub", "ssh-rsa"}, {"id_dsa.pub", "ssh-dss"}};
  const KeyFile newer_types[] = {{"id_ed25519.pub", "ssh-ed25519"}, {"id_ecdsa.pub", "ecdsa-sha2-nistp"}};
  std::string out;
  std::string fqdn;
  for (const auto* set : {&reference_types, &newer_types}) {
    if (!out.empty()) break;  // RSA/DSA found: serve only those (the reference's authorizer)
    for (const KeyFile& file : *set) {
      const std::string path = dir + "/" + file.name;
      std::string text;
      if (!ReadFile(path, &text)) continue;
      std::vector<std::string> words = Split(Trim(text.substr(0, text.find('\n'))), ' ');
      if (words.size() < 2 || !StartsWith(words[0], file.type_prefix) || !IsBase64(words[1])) {
        LogWarning(path + ": not an " + file.type_prefix + " public key; not served on /pubkeys/");
        continue;
      }
      if (fqdn.empty()) fqdn = BrokerFqdn();
      out += "command=\"" + agent_command + "\",no-port-forwarding,no-X11-forwarding,no-agent-forwarding,no-pty " +
             words[0] + " " + words[1] + " " + daemon_user + "@" + fqdn + "\n";
    }
  }
  return out;
}

}  // namespace x2gobroker::core
