// SPDX-License-Identifier: AGPL-3.0-or-later
// EnvironmentFromProcess (PROTOCOL.md §2.1): each X2GOBROKER_* setting comes from the process
// environment, else from defaults.conf [<program>], else from defaults.conf [common].
// DAEMON_BIND_ADDRESS and the TLS variables belong to the reference's standalone daemon; nginx
// or Apache own those jobs here, so they are not read.
#include <cstdlib>
#include <optional>

#include "config/broker_config_loader.h"
#include "core/ini_parser.h"
#include "core/log.h"
#include "core/string_util.h"

namespace x2gobroker::config {
namespace {

class Lookup {
 public:
  Lookup(const std::string& program_section, const core::IniDocument* defaults_conf)
      : program_section_(program_section), doc_(defaults_conf) {}

  // An empty value counts as unset everywhere: `X2GOBROKER_CONFIG=` must not mean "no file".
  std::optional<std::string> Get(const char* name) const {
    const char* from_env = std::getenv(name);
    if (from_env != nullptr && *from_env != '\0') return std::string(from_env);
    if (doc_ == nullptr) return std::nullopt;
    if (auto v = FromSection(program_section_, name)) return v;
    return FromSection("common", name);
  }

 private:
  // RawConfigParser semantics: an existing section also "has" the [DEFAULT] keys, and the
  // empty section name (the x2gobroker CLI) means [DEFAULT] itself.
  std::optional<std::string> FromSection(const std::string& section, const char* name) const {
    const core::IniEntry* entry = nullptr;
    if (section.empty()) {
      entry = doc_->defaults.Find(name);
    } else if (const core::IniSection* s = doc_->FindSection(section)) {
      entry = s->Find(name);
      if (entry == nullptr) entry = doc_->defaults.Find(name);
    }
    if (entry == nullptr || entry->value.empty()) return std::nullopt;
    return entry->value;
  }

  const std::string& program_section_;
  const core::IniDocument* doc_;
};

}  // namespace

core::BrokerEnvironment EnvironmentFromProcess(const std::string& program_section,
                                               const std::string& defaults_conf) {
  // A missing defaults.conf is normal (ParseIniFile yields an empty document). A broken one
  // cannot stop start-up from here: it is logged and ignored, the environment still applies.
  std::optional<core::IniDocument> doc;
  core::Result<core::IniDocument> parsed = core::ParseIniFile(defaults_conf);
  if (parsed.ok()) {
    doc = std::move(parsed).value();
  } else {
    core::LogError(parsed.status().message() + " (defaults file ignored)");
  }
  Lookup lookup(program_section, doc ? &*doc : nullptr);

  core::BrokerEnvironment env;
  auto set = [&](const char* name, std::string* out) {
    if (auto v = lookup.Get(name)) *out = std::move(*v);
  };
  set("X2GOBROKER_CONFIG", &env.config_file);
  env.session_profiles = lookup.Get("X2GOBROKER_SESSIONPROFILES");
  if (auto debug = lookup.Get("X2GOBROKER_DEBUG")) {
    // Only these four switch it on, as in the reference's environment handling.
    std::string lower = core::ToLower(*debug);
    env.debug = lower == "1" || lower == "on" || lower == "true" || lower == "yes";
  }
  set("X2GOBROKER_DEFAULT_BACKEND", &env.default_backend);
  set("X2GOBROKER_AGENT_CMD", &env.agent_cmd);
  set("X2GOBROKER_AGENT_USER", &env.agent_user);
  set("X2GOBROKER_DAEMON_USER", &env.daemon_user);
  set("X2GOBROKER_DAEMON_GROUP", &env.daemon_group);
  set("X2GOBROKER_AUTHSERVICE_SOCKET", &env.authservice_socket);
  set("X2GOBROKER_LOADCHECKER_SOCKET", &env.loadchecker_socket);
  return env;
}

}  // namespace x2gobroker::config
