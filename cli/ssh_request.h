// SPDX-License-Identifier: AGPL-3.0-or-later
// The SSH broker's bridge to the plain frontend (PROTOCOL.md §8.2): one command line becomes a
// `POST /plain/<backend>/` core::HttpRequest marked preauthenticated (OpenSSH has checked the
// user), and the broker's core::HttpResponse becomes what the program prints and its exit
// status. The answer bytes are the plain frontend's own, so both frontends share one renderer.
// Pure and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/http.h"
#include "core/log.h"

namespace x2gobroker::cli {

struct SshBrokerCall {
  std::string backend;         // REQUIRES: non-empty
  std::string task;
  std::string user;            // the broker user (cli/identity.h)
  std::optional<std::string> login;
  std::optional<std::string> authid;
  std::optional<std::string> profile_id;
  std::string client_address;  // REQUIRES: an IP address literal
};

// application/x-www-form-urlencoded: unreserved bytes verbatim, everything else %XX.
std::string FormEncode(std::string_view value);

// POST /plain/<backend>/ with the form fields task, user and, when given, login, authid, sid;
// never a password. preauthenticated = true, remote_addr = client_address.
core::HttpRequest MakePlainRequest(const SshBrokerCall& call);

struct CliOutcome {
  std::string out;  // to stdout, exactly
  int exit_code = 0;
  std::optional<std::pair<core::LogLevel, std::string>> log;  // one line for stderr
};

// Granted: the body plus one "\n" (the reference prints it with Python's print), exit 0.
// Denied (Unauthenticated, PermissionDenied): nothing on stdout, exit 0, a warning (the
// client then shows stderr). Any other error: nothing on stdout, exit 1, an error line.
CliOutcome RenderOutcome(const core::HttpResponse& response, const SshBrokerCall& call);

}  // namespace x2gobroker::cli
