// SPDX-License-Identifier: AGPL-3.0-or-later
// Command line of x2gobroker-pubkeyauthorizer (PROTOCOL.md §12.3). Pure, thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"

namespace x2gobroker::tools {

struct PubkeyAuthorizerOptions {
  std::string broker_url;       // required
  std::string ca_file;
  bool insecure_http = false;
  std::string authorized_keys;  // "" = ~<user>/.ssh/authorized_keys (root only)
  std::string user = "x2gobroker";
  bool debug = false;
  bool help = false;
};

// -t/--broker-url URL (required unless --help), --ca-file FILE, --insecure-http,
// --authorized-keys FILE, --user NAME, -d/--debug, -h/--help. InvalidArgument otherwise.
core::Status ParsePubkeyAuthorizerOptions(const std::vector<std::string>& args, PubkeyAuthorizerOptions* out);

std::string PubkeyAuthorizerUsage();

}  // namespace x2gobroker::tools
