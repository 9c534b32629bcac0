// SPDX-License-Identifier: AGPL-3.0-or-later
// LoadBrokerConfig: x2gobroker.conf → BrokerConfig. The file is read with the reference's INI
// dialect; each known section gets the [DEFAULT] keys it knows, then its own keys override
// them (RawConfigParser inheritance); the values are typed by config_keys and checked by
// broker_config_validator.
#include "config/broker_config_loader.h"

#include <cerrno>
#include <cstring>

#include "config/broker_config_validator.h"
#include "config/config_keys.h"
#include "core/ini_parser.h"
#include "core/string_util.h"

namespace x2gobroker::config {
namespace {

// Unlike the reference (which runs on built-in defaults), a missing file is an error: a typo in
// X2GOBROKER_CONFIG must not silently start a broker with require-password's default meaning.
core::Status ReadConfigFile(const std::string& path, std::string* text) {
  errno = 0;
  if (core::ReadFile(path, text)) return core::Status::Ok();
  return core::Unavailable(path + ": cannot read: " + std::strerror(errno != 0 ? errno : EIO));
}

class Loader {
 public:
  Loader(const core::IniDocument& doc, const std::string& file, core::BrokerConfig* config,
         std::vector<std::string>* warnings)
      : doc_(doc), file_(file), config_(config), warnings_(warnings) {}

  core::Status Run() {
    for (const core::IniSection& section : doc_.sections) {
      if (!IsKnownSection(section.name)) {
        Warn(section.line, "unknown section [" + section.name + "], ignored");
      }
    }
    for (const core::IniEntry& entry : doc_.defaults.entries) {
      if (!IsKnownKeyInAnySection(entry.key)) {
        Warn(entry.line, "unknown key '" + entry.key + "' in [DEFAULT], ignored");
      }
    }
    for (const std::string& name : KnownSections()) {
      core::Status status = LoadSection(name);
      if (!status.ok()) return status;
    }
    return core::Status::Ok();
  }

  const KeyLocations& locations() const { return locations_; }

 private:
  // A known section exists even when the file does not write it: it still inherits [DEFAULT].
  core::Status LoadSection(const std::string& name) {
    const core::IniSection* own = doc_.FindSection(name);
    for (const core::IniEntry& entry : doc_.defaults.entries) {
      if (own != nullptr && own->Find(entry.key) != nullptr) continue;  // the section overrides it
      if (!IsKnownKey(name, entry.key)) continue;  // meant for another section
      core::Status status = Apply(name, entry);
      if (!status.ok()) return status;
    }
    if (own == nullptr) return core::Status::Ok();
    for (const core::IniEntry& entry : own->entries) {
      if (!IsKnownKey(name, entry.key)) {
        Warn(entry.line, "unknown key '" + entry.key + "' in [" + name + "], ignored");
        continue;
      }
      core::Status status = Apply(name, entry);
      if (!status.ok()) return status;
    }
    return core::Status::Ok();
  }

  core::Status Apply(const std::string& section, const core::IniEntry& entry) {
    ConfigValue value{file_, entry};
    locations_[{section, entry.key}] = value.Where();
    return ApplyConfigKey(section, value, config_);
  }

  void Warn(int line, const std::string& text) {
    warnings_->push_back(file_ + ":" + std::to_string(line) + ": " + text);
  }

  const core::IniDocument& doc_;
  const std::string& file_;
  core::BrokerConfig* config_;
  std::vector<std::string>* warnings_;
  KeyLocations locations_;
};

}  // namespace

core::Result<core::BrokerConfig> LoadBrokerConfig(const core::BrokerEnvironment& env,
                                                  std::vector<std::string>* warnings) {
  const std::string& path = env.config_file;
  std::string text;
  core::Status read = ReadConfigFile(path, &text);
  if (!read.ok()) return read;
  core::Result<core::IniDocument> doc = core::ParseIni(text, path);
  if (!doc.ok()) return doc.status();

  core::BrokerConfig config;
  config.source = path;
  config.env = env;
  config.backends = DefaultBackendSections();

  // Warnings found before an error are handed out too: --check-config reports everything.
  std::vector<std::string> found;
  Loader loader(*doc, path, &config, &found);
  core::Status status = loader.Run();
  if (status.ok()) {
    // §2.1: X2GOBROKER_SESSIONPROFILES keeps working for deployments that rely on it.
    if (env.session_profiles) config.backends["inifile"].session_profiles = *env.session_profiles;
    status = ValidateBrokerConfig(loader.locations(), &config, &found);
  }
  if (warnings != nullptr) warnings->insert(warnings->end(), found.begin(), found.end());
  if (!status.ok()) return status;
  return config;
}

}  // namespace x2gobroker::config
