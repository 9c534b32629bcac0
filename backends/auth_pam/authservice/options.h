// SPDX-License-Identifier: AGPL-3.0-or-later
// Command line of x2gobroker-authservice. Parsing is a pure function of argv and the
// environment values passed in, so that it can be tested.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/auth/failure_throttle.h"
#include "core/status.h"

namespace x2gobroker::backends::auth_pam {

inline constexpr char kDefaultAuthserviceSocket[] = "/run/x2gobroker/x2gobroker-authservice.socket";

struct AuthserviceOptions {
  std::string socket_path = kDefaultAuthserviceSocket;  // -s; else X2GOBROKER_AUTHSERVICE_SOCKET
  std::string owner = "root";                            // -o: user name or uid
  std::string group = "x2gobroker";                      // -g: X2GOBROKER_DAEMON_GROUP by default
  mode_t permissions = 0660;                             // -p
  std::vector<std::string> allow_uids;                   // --allow-uid: names or uids
  std::string daemon_user = "x2gobroker";                // X2GOBROKER_DAEMON_USER: default allowed peer
  std::string pam_service = "x2gobroker";                // --pam-service
  int max_concurrent = 16;                               // PAM transactions at once
  int max_connections = 256;                             // open client connections
  std::chrono::milliseconds read_timeout{5000};          // whole request within this (slowloris)
  std::chrono::milliseconds fail_delay{2000};            // minimum time before a failure answer
  core::auth::FailureThrottle::Policy throttle;
  bool debug = false;
  bool help = false;
  bool version = false;
};

// The environment values the options default to (empty = unset).
struct AuthserviceEnvironment {
  std::string authservice_socket;  // X2GOBROKER_AUTHSERVICE_SOCKET
  std::string daemon_user;         // X2GOBROKER_DAEMON_USER
  std::string daemon_group;        // X2GOBROKER_DAEMON_GROUP
  std::string debug;               // X2GOBROKER_DEBUG
};
AuthserviceEnvironment AuthserviceEnvironmentFromProcess();

// Parses argv[1..]. "--name value", "--name=value" and the short forms -s -o -g -p -d -h.
// On failure returns InvalidArgument with a one-line message naming the option.
core::Result<AuthserviceOptions> ParseAuthserviceOptions(const std::vector<std::string>& args,
                                                        const AuthserviceEnvironment& env);

std::string AuthserviceUsage(const std::string& program);

}  // namespace x2gobroker::backends::auth_pam
