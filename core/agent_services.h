// SPDX-License-Identifier: AGPL-3.0-or-later
// What session selection needs beyond the agent client itself (PROTOCOL.md §10): the load
// checker's answers (§11.2), key pairs for session autologin (§10.4) and the persistent queue
// that removes temporary keys again. Pure interfaces; implementations live in agent/ and the
// executables. All must be thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "core/agent_client.h"
#include "core/agent_replies.h"
#include "core/broker_config.h"
#include "core/secret_string.h"
#include "core/status.h"

namespace x2gobroker::core {

// The load checker's latest load factors for one profile (§11.2 "request (profile)").
class LoadChecker {
 public:
  virtual ~LoadChecker() = default;
  // host → load factor or error word. Unavailable when the load checker does not answer (the
  // caller then balances by session counts alone).
  virtual Result<std::map<std::string, LoadFactor>> ProfileLoad(const std::string& backend,
                                                               const std::string& profile_id) const = 0;
};
using LoadCheckerPtr = std::shared_ptr<const LoadChecker>;

// A fresh key pair for session autologin.
struct GeneratedKeyPair {
  SecretString private_pem;  // PEM "-----BEGIN RSA PRIVATE KEY-----", X2Go Client reads only that
  std::string public_type;   // "ssh-rsa"
  std::string public_blob_base64;
};

class KeyPairGenerator {
 public:
  virtual ~KeyPairGenerator() = default;
  virtual Result<GeneratedKeyPair> Generate() const = 0;
};
using KeyPairGeneratorPtr = std::shared_ptr<const KeyPairGenerator>;

// One temporary key to remove again: `delauthkey key_line authorized_keys` for `user` on `target`.
struct PendingKeyDeletion {
  AgentTarget target;
  std::string query_mode;  // "SSH" or "LOCAL": which client runs the deletion
  std::string user;
  std::string key_line;
  std::string authorized_keys;
  int64_t due_unix = 0;  // run at or after this time
};

// Persistent: an entry survives a crash or restart of the process that scheduled it and is run
// by whichever process drains the queue next.
class KeyDeletionQueue {
 public:
  virtual ~KeyDeletionQueue() = default;
  // Records the deletion durably before the key is installed. Failure means "do not install".
  virtual Status Schedule(const PendingKeyDeletion& deletion) const = 0;
  // Runs the deletions due at `now_unix` with the client of their query mode (a null client
  // leaves its entries for later); failures are retried later. Returns how many keys went.
  virtual size_t RunDue(int64_t now_unix, const AgentClient* ssh, const AgentClient* local) const = 0;
};
using KeyDeletionQueuePtr = std::shared_ptr<const KeyDeletionQueue>;

// The agent side of one configuration snapshot. Every member may be null: no SSH key (SSH mode
// then behaves like NONE, logged at load), no local agent, no load checker, no autologin.
struct AgentServices {
  AgentClientPtr ssh;
  AgentClientPtr local;
  LoadCheckerPtr load_checker;
  KeyPairGeneratorPtr key_generator;
  KeyDeletionQueuePtr key_deletions;
};

// Builds the agent services for a configuration (they depend on its time-outs and paths).
using AgentServicesFactory = std::function<Result<AgentServices>(const BrokerConfig&)>;

}  // namespace x2gobroker::core
