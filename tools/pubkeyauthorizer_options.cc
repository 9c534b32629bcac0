// SPDX-License-Identifier: AGPL-3.0-or-later
#include "tools/pubkeyauthorizer_options.h"

#include "core/option_cursor.h"

namespace x2gobroker::tools {

core::Status ParsePubkeyAuthorizerOptions(const std::vector<std::string>& args, PubkeyAuthorizerOptions* out) {
  PubkeyAuthorizerOptions o;
  core::OptionCursor cursor(args);
  while (cursor.Next()) {
    const std::string& name = cursor.name();
    core::Status s;
    if (name == "-t" || name == "--broker-url") {
      if (!(s = cursor.Value(&o.broker_url)).ok()) return s;
    } else if (name == "--ca-file") {
      if (!(s = cursor.Value(&o.ca_file)).ok()) return s;
    } else if (name == "--insecure-http") {
      if (!(s = cursor.Flag()).ok()) return s;
      o.insecure_http = true;
    } else if (name == "--authorized-keys") {
      if (!(s = cursor.Value(&o.authorized_keys)).ok()) return s;
      if (o.authorized_keys.empty()) return cursor.Bad("empty file name");
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
  if (!o.help && o.broker_url.empty()) return core::InvalidArgument("the broker's URL is required (-t URL)");
  *out = std::move(o);
  return core::Status::Ok();
}

std::string PubkeyAuthorizerUsage() {
  return "Usage: x2gobroker-pubkeyauthorizer -t https://BROKER/pubkeys/ [--ca-file FILE]\n"
         "Run as root on an X2Go Server: download the broker's public key(s) and authorize them\n"
         "for the x2gobroker account, restricted to the broker agent (forced command).\n"
         "\n"
         "  -t, --broker-url URL      the broker's /pubkeys/ URL (https:// only)\n"
         "      --ca-file FILE        PEM bundle to verify the broker's certificate (default: the\n"
         "                            system's CAs)\n"
         "      --insecure-http       allow http:// (tests only: the keys could be swapped on the way)\n"
         "      --authorized-keys F   write F instead of ~USER/.ssh/authorized_keys (no root needed)\n"
         "      --user NAME           the account (default x2gobroker)\n"
         "  -d, --debug               more output\n"
         "  -h, --help                this text\n"
         "\n"
         "Every non-empty, non-# line of the answer must be a broker key line\n"
         "  command=\"/usr/lib/x2go/x2gobroker-agent\",no-port-forwarding,no-X11-forwarding,\n"
         "  no-agent-forwarding,no-pty TYPE BASE64 [COMMENT]\n"
         "(TYPE ssh-rsa, ssh-ed25519 or ecdsa-sha2-*), otherwise nothing is changed. New keys are\n"
         "appended; older entries of the same keys without these options are removed; running it\n"
         "again changes nothing. The file is mode 0644, owned by the account.\n"
         "Exit: 0 ok, 2 usage, 1 error (download, bad line, file).\n";
}

}  // namespace x2gobroker::tools
