// SPDX-License-Identifier: AGPL-3.0-or-later
// x2gobroker-pubkeyauthorizer: installs the broker's public key(s) from /pubkeys/ into the
// x2gobroker account's authorized_keys on an X2Go Server (PROTOCOL.md §9.2, §12.3).
// See PubkeyAuthorizerUsage().
#include <curl/curl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "core/log.h"
#include "tools/authorized_keys_merge.h"
#include "tools/file_replace.h"
#include "tools/pubkeyauthorizer_options.h"
#include "tools/system_account.h"
#include "tools/url_fetch.h"

namespace {

using namespace x2gobroker;

constexpr const char* kTool = "x2gobroker-pubkeyauthorizer";
// An authorized_keys file of a service account: a few dozen lines. More is not ours to rewrite.
constexpr size_t kMaxAuthorizedKeysBytes = 1024 * 1024;

int Fail(const std::string& message, int code = 1) {
  std::cerr << kTool << ": " << message << '\n';
  return code;
}

// ~user/.ssh: created 0700 and owned by the account if missing; an existing one is left as it is.
core::Status EnsureSshDirectory(const std::string& dir, const tools::SystemAccount& account) {
  if (::mkdir(dir.c_str(), 0700) == 0) return tools::SetOwnerAndMode(dir, 0700, account);
  if (errno != EEXIST) return core::Internal("cannot create " + dir + ": " + std::strerror(errno));
  struct stat st{};
  if (::lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return core::InvalidArgument(dir + " is not a directory");
  return core::Status::Ok();
}

}  // namespace

int main(int argc, char** argv) {
  tools::PubkeyAuthorizerOptions o;
  if (core::Status s = tools::ParsePubkeyAuthorizerOptions(std::vector<std::string>(argv + 1, argv + argc), &o);
      !s.ok()) {
    return Fail(s.message() + " (--help for usage)", 2);
  }
  if (o.help) {
    std::cout << tools::PubkeyAuthorizerUsage();
    return 0;
  }
  core::SetLogLevel(o.debug ? core::LogLevel::kDebug : core::LogLevel::kWarning);
  if (o.authorized_keys.empty()) {
    if (core::Status s = tools::RequireRoot(kTool); !s.ok()) return Fail(s.message());
  }
  auto account = tools::LookupAccount(o.user);
  if (!account.ok()) return Fail(account.status().message());

  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) return Fail("cannot initialise libcurl");
  tools::FetchOptions fetch;
  fetch.ca_file = o.ca_file;
  fetch.allow_http = o.insecure_http;
  fetch.max_bytes = tools::kMaxPubkeysBytes;
  auto body = tools::FetchUrl(o.broker_url, fetch);
  curl_global_cleanup();
  if (!body.ok()) return Fail(body.status().message());
  auto keys = tools::ParseBrokerKeyLines(*body);
  if (!keys.ok()) return Fail(o.broker_url + ": " + keys.status().message() + "; nothing changed");

  std::string file = o.authorized_keys;
  if (file.empty()) {
    const std::string dir = account->home + "/.ssh";
    if (core::Status s = EnsureSshDirectory(dir, *account); !s.ok()) return Fail(s.message());
    file = dir + "/authorized_keys";
  }
  std::string existing;
  if (core::Status s = tools::ReadSmallFileNoFollow(file, kMaxAuthorizedKeysBytes, &existing); !s.ok()) {
    return Fail(s.message());
  }
  tools::AuthorizedKeysMerge merge = tools::MergeAuthorizedKeys(existing, *keys);
  // Rewritten even when unchanged: that also repairs the mode and the owner.
  if (core::Status s = tools::ReplaceFile(file, merge.text, 0644, *account); !s.ok()) return Fail(s.message());
  std::cout << file << ": " << merge.added << " key(s) added, " << merge.present << " already present, "
            << merge.removed << " older entr" << (merge.removed == 1 ? "y" : "ies") << " removed.\n";
  return 0;
}
