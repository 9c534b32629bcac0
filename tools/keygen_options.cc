// SPDX-License-Identifier: AGPL-3.0-or-later
#include "tools/keygen_options.h"

#include "core/option_cursor.h"
#include "core/string_util.h"

namespace x2gobroker::tools {

core::Status ParseKeygenOptions(const std::vector<std::string>& args, KeygenOptions* out) {
  KeygenOptions o;
  core::OptionCursor cursor(args);
  while (cursor.Next()) {
    const std::string& name = cursor.name();
    core::Status s;
    std::string value;
    if (name == "-t" || name == "--key-type" || name == "---key-type") {
      if (!(s = cursor.Value(&value)).ok()) return s;
      const std::string type = core::ToUpper(value);
      if (type == "ED25519") {
        o.key_type = BrokerKeyType::kEd25519;
      } else if (type == "RSA") {
        o.key_type = BrokerKeyType::kRsa;
      } else if (type == "DSA") {
        return cursor.Bad("DSA keys are not supported any more (OpenSSH refuses them); use RSA");
      } else {
        return cursor.Bad("expected RSA or ED25519");
      }
    } else if (name == "-f" || name == "--force") {
      if (!(s = cursor.Flag()).ok()) return s;
      o.force = true;
    } else if (name == "--ssh-dir") {
      if (!(s = cursor.Value(&o.ssh_dir)).ok()) return s;
      if (o.ssh_dir.empty()) return cursor.Bad("empty directory");
    } else if (name == "--user") {
      if (!(s = cursor.Value(&o.user)).ok()) return s;
      if (o.user.empty()) return cursor.Bad("empty user name");
    } else if (name == "-d" || name == "--debug") {
      if (!(s = cursor.Flag()).ok()) return s;
      o.debug = true;
    } else if (name == "-h" || name == "--help") {
      if (!(s = cursor.Flag()).ok()) return s;
      o.help = true;
    } else {
      return core::InvalidArgument("unknown option: " + name);
    }
  }
  *out = std::move(o);
  return core::Status::Ok();
}

std::string KeygenUsage() {
  return "Usage: x2gobroker-keygen [-t RSA|ED25519] [-f] [--ssh-dir DIR] [--user NAME]\n"
         "Create the X2Go Session Broker's SSH key pair (the key the broker logs in with on the\n"
         "X2Go Servers to run x2gobroker-agent). Unencrypted, owned by the broker's user.\n"
         "\n"
         "  -t, --key-type TYPE  ED25519 (default; id_ed25519, OpenSSH format) or RSA (id_rsa,\n"
         "                       RSA-2048, traditional PEM). /pubkeys/ serves only id_rsa.pub, which\n"
         "                       the reference x2gobroker-pubkeyauthorizer needs. ---key-type works too\n"
         "  -f, --force          replace an existing key pair of that type\n"
         "      --ssh-dir DIR    write into DIR instead of ~USER/.ssh (no root needed)\n"
         "      --user NAME      owner of the key files (default x2gobroker)\n"
         "  -d, --debug          more output\n"
         "  -h, --help           this text\n"
         "\n"
         "A missing directory is created with mode 0750; the private key gets 0600, the public key 0644.\n"
         "Exit: 0 created, 253 a key exists and --force was not given, 2 usage, 1 other error.\n";
}

}  // namespace x2gobroker::tools
