// SPDX-License-Identifier: AGPL-3.0-or-later
#include "loadchecker/daemon_state.h"

#include "agent/file_key_deletion_queue.h"
#include "agent/ssh_agent_client_config.h"
#include "config/broker_config_loader.h"
#include "core/log.h"

namespace x2gobroker::loadchecker {

core::Result<DaemonConfigPtr> LoadDaemonConfig(const core::BrokerEnvironment& env, bool open_key_deletions) {
  std::vector<std::string> warnings;
  core::Result<core::BrokerConfig> config = config::LoadBrokerConfig(env, &warnings);
  for (const std::string& w : warnings) core::LogWarning(w);
  if (!config.ok()) return config.status();
  auto loaded = std::make_shared<DaemonConfig>();
  loaded->config = std::move(config).value();
  core::Result<std::shared_ptr<agent::SshAgentClient>> ssh = agent::SshAgentClientFor(loaded->config);
  if (ssh.ok()) {
    loaded->ssh = std::move(ssh).value();
  } else {
    core::LogError("no SSH agent client (" + ssh.status().message() +
                   "): every polled host is reported HOST-UNREACHABLE");
  }
  if (open_key_deletions) {
    auto queue = agent::FileKeyDeletionQueue::Open(loaded->config.key_deletion_directory);
    if (queue.ok()) {
      loaded->key_deletions = std::move(queue).value();
    } else {
      core::LogError("autologin key deletion queue " + loaded->config.key_deletion_directory +
                     " not usable, not drained: " + queue.status().message());
    }
  }
  return DaemonConfigPtr(std::move(loaded));
}

bool ProfileBackends::FileIdentity::operator==(const FileIdentity& o) const {
  return exists == o.exists && device == o.device && inode == o.inode && size == o.size &&
         mtime.tv_sec == o.mtime.tv_sec && mtime.tv_nsec == o.mtime.tv_nsec;
}

ProfileBackends::FileIdentity ProfileBackends::Identify(const std::string& path) {
  FileIdentity id;
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0) return id;
  id.exists = true;
  id.device = st.st_dev;
  id.inode = st.st_ino;
  id.size = st.st_size;
  id.mtime = st.st_mtim;
  return id;
}

void ProfileBackends::Refresh(const DaemonConfigPtr& config) {
  bool stale = config != config_;
  for (const auto& [path, identity] : watched_) {
    if (stale) break;
    stale = !(Identify(path) == identity);
  }
  if (!stale) return;
  // The files are identified right after their backend read them; an edit within that
  // window is seen at the next edit or SIGHUP (profile files change rarely, by hand).
  std::map<std::string, core::SessionBackendPtr> next;
  std::map<std::string, FileIdentity> watched;
  for (const std::string& name : registry_.Names()) {
    const core::BackendSection* section = config->config.Backend(name);
    if (section == nullptr || !section->enable) continue;
    const core::SessionBackendFactory* factory = registry_.Find(name);
    auto previous = backends_.find(name);
    core::Result<core::SessionBackendPtr> created =
        factory->Create(config->config, previous == backends_.end() ? nullptr : previous->second.get());
    if (!created.ok()) {
      core::LogError("backend " + name + ": " + created.status().message() + "; its profiles are not polled");
      continue;
    }
    for (const std::string& file : (*created)->WatchedFiles()) watched[file] = Identify(file);
    next.emplace(name, std::move(created).value());
  }
  backends_ = std::move(next);
  watched_ = std::move(watched);
  config_ = config;
}

ProfileSource ProfileBackends::Profiles() const {
  ProfileSource source;
  for (const auto& [name, backend] : backends_) {
    if (backend->GeneratesProfiles()) continue;  // zeroconf: new ids per listing, one local host
    core::Result<std::shared_ptr<const core::ProfileSet>> profiles = backend->Profiles();
    if (profiles.ok()) source.emplace(name, std::move(profiles).value());
  }
  return source;
}

}  // namespace x2gobroker::loadchecker
