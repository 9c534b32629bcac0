// SPDX-License-Identifier: AGPL-3.0-or-later
// What the load checker runs on: one loaded x2gobroker.conf (PROTOCOL.md §2) with the agent
// client and key deletion queue made from it (DaemonConfig, replaced whole on SIGHUP), and the
// profile backends of that configuration (ProfileBackends, re-created when a profile file
// changes on disk, keeping the previous good profiles if the new file is broken, §13).
#pragma once

#include <sys/stat.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/agent_client.h"
#include "core/agent_services.h"
#include "core/broker_config.h"
#include "core/session_backend.h"
#include "core/status.h"
#include "loadchecker/poll_plan.h"

namespace x2gobroker::loadchecker {

struct DaemonConfig {
  core::BrokerConfig config;
  core::AgentClientPtr ssh;                 // null: no usable broker key (every host unreachable)
  core::KeyDeletionQueuePtr key_deletions;  // null: not opened or not usable
};
using DaemonConfigPtr = std::shared_ptr<const DaemonConfig>;

// Loads env.config_file (warnings logged) and creates the SSH agent client
// (agent/ssh_agent_client_config). The deletion queue is opened only if `open_key_deletions`.
// A missing key or an unusable queue is logged and leaves the member null; only a broken
// configuration is an error (the loader's "file:line: problem" status).
core::Result<DaemonConfigPtr> LoadDaemonConfig(const core::BrokerEnvironment& env, bool open_key_deletions);

class ProfileBackends {
 public:
  explicit ProfileBackends(const core::SessionBackendRegistry& registry) : registry_(registry) {}

  // Makes the backends match `config`: all of them are re-created when the configuration
  // object changed or a watched file's identity (inode, size, mtime) did, else kept.
  void Refresh(const DaemonConfigPtr& config);
  // The profiles of the enabled backends with stable profile ids (not zeroconf); backends
  // whose profiles are unavailable are left out (logged at load by the backend).
  ProfileSource Profiles() const;

 private:
  struct FileIdentity {
    bool exists = false;
    dev_t device = 0;
    ino_t inode = 0;
    off_t size = 0;
    struct timespec mtime {};
    bool operator==(const FileIdentity& o) const;
  };
  static FileIdentity Identify(const std::string& path);

  const core::SessionBackendRegistry& registry_;
  DaemonConfigPtr config_;
  std::map<std::string, core::SessionBackendPtr> backends_;
  std::map<std::string, FileIdentity> watched_;
};

}  // namespace x2gobroker::loadchecker
