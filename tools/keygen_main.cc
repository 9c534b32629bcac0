// SPDX-License-Identifier: AGPL-3.0-or-later
// x2gobroker-keygen: creates the broker's SSH key pair (PROTOCOL.md §12.3). See KeygenUsage().
#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "core/log.h"
#include "tools/broker_key_files.h"
#include "tools/keygen_options.h"
#include "tools/system_account.h"

namespace {

using namespace x2gobroker;

constexpr const char* kTool = "x2gobroker-keygen";
// The reference's exit status when a key exists and --force was not given.
constexpr int kExitKeyExists = 253;

int Fail(const std::string& message, int code = 1) {
  std::cerr << kTool << ": " << message << '\n';
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  tools::KeygenOptions o;
  if (core::Status s = tools::ParseKeygenOptions(std::vector<std::string>(argv + 1, argv + argc), &o); !s.ok()) {
    return Fail(s.message() + " (--help for usage)", 2);
  }
  if (o.help) {
    std::cout << tools::KeygenUsage();
    return 0;
  }
  core::SetLogLevel(o.debug ? core::LogLevel::kDebug : core::LogLevel::kWarning);
  // Without --ssh-dir the files land in another account's home: that takes root.
  if (o.ssh_dir.empty()) {
    if (core::Status s = tools::RequireRoot(kTool); !s.ok()) return Fail(s.message());
  }
  auto account = tools::LookupAccount(o.user);
  if (!account.ok()) return Fail(account.status().message());
  if (::geteuid() != 0 && ::geteuid() != account->uid) {
    return Fail("--user " + o.user + " other than yourself needs root (the files must belong to it)");
  }
  const std::string dir = o.ssh_dir.empty() ? account->home + "/.ssh" : o.ssh_dir;
  if (core::Status s = tools::EnsureOwnedDirectory(dir, 0750, *account); !s.ok()) return Fail(s.message());

  const tools::BrokerKeyPaths paths = tools::BrokerKeyPathsFor(dir, o.key_type);
  if (tools::BrokerKeyExists(paths) && !o.force) {
    return Fail(paths.private_key + " exists; use --force to replace it", kExitKeyExists);
  }
  if (core::Status s = tools::CreateBrokerKey(paths, o.key_type, *account); !s.ok()) return Fail(s.message());
  std::cout << "Created " << paths.private_key << " and " << paths.public_key << " (owner " << account->name
            << ").\n";
  if (o.key_type == tools::BrokerKeyType::kEd25519) {
    std::cout << "Note: /pubkeys/ serves only id_rsa.pub; servers using the reference\n"
                 "x2gobroker-pubkeyauthorizer need an RSA key (x2gobroker-keygen -t RSA).\n";
  }
  return 0;
}
