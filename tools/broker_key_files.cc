// SPDX-License-Identifier: AGPL-3.0-or-later
#include "tools/broker_key_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <vector>

#include "core/log.h"
#include "core/string_util.h"
#include "core/subprocess.h"

namespace x2gobroker::tools {
namespace {

std::string DirName(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// ssh-keygen writes `<type> <base64> <comment>`; the broker's file holds type and key only.
core::Status NormalisePublicKey(const std::string& path) {
  std::string text;
  if (!core::ReadFile(path, &text)) return core::Internal("cannot read " + path);
  std::vector<std::string> words = core::Split(core::Trim(text.substr(0, text.find('\n'))), ' ');
  if (words.size() < 2) return core::Internal(path + ": unexpected ssh-keygen output");
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << words[0] << ' ' << words[1] << '\n';
  out.close();
  if (!out) return core::Internal("cannot write " + path);
  return core::Status::Ok();
}

// ssh-keygen needs well under a second even for RSA; a minute means it hangs (entropy?).
constexpr std::chrono::milliseconds kKeygenTimeout{60000};

// Runs ssh-keygen with `argv` (no shell). OK iff it exits 0; Internal with its stderr otherwise.
core::Status RunKeygen(const std::vector<std::string>& argv) {
  core::SubprocessSpec spec;
  spec.argv = argv;
  spec.env = {"PATH=/usr/bin:/bin"};
  spec.timeout = kKeygenTimeout;
  auto run = core::RunSubprocess(spec);
  if (!run.ok()) return core::Internal(argv[0] + ": " + run.status().message());
  if (WIFEXITED(run->wait_status) && WEXITSTATUS(run->wait_status) == 0) return core::Status::Ok();
  std::string err(core::Trim(run->err));
  return core::Internal(argv[0] + " failed" + (err.empty() ? "" : ": " + core::Printable(err)));
}

// Removes what the temporary directory holds, then the directory.
void RemoveTemporary(const std::string& dir, const std::string& key) {
  ::unlink(key.c_str());
  ::unlink((key + ".pub").c_str());
  ::rmdir(dir.c_str());
}

}  // namespace

BrokerKeyPaths BrokerKeyPathsFor(const std::string& ssh_dir, BrokerKeyType type) {
  std::string file = ssh_dir + (type == BrokerKeyType::kRsa ? "/id_rsa" : "/id_ed25519");
  return {file, file + ".pub"};
}

bool BrokerKeyExists(const BrokerKeyPaths& paths) {
  struct stat st{};
  return ::lstat(paths.private_key.c_str(), &st) == 0 || ::lstat(paths.public_key.c_str(), &st) == 0;
}

core::Status CreateBrokerKey(const BrokerKeyPaths& paths, BrokerKeyType type, const SystemAccount& owner,
                             const std::string& ssh_keygen) {
  std::string pattern = DirName(paths.private_key) + "/.x2gobroker-keygen-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (::mkdtemp(buffer.data()) == nullptr) {
    return core::Internal("cannot create a temporary directory beside " + paths.private_key + ": " +
                          std::strerror(errno));
  }
  const std::string tmp_dir = buffer.data();
  const std::string tmp_key = tmp_dir + "/key";
  std::vector<std::string> argv = {ssh_keygen, "-q", "-N", "", "-C", ""};
  if (type == BrokerKeyType::kRsa) {
    // -m PEM: the traditional "BEGIN RSA PRIVATE KEY" form the reference writes.
    for (const char* a : {"-t", "rsa", "-b", "2048", "-m", "PEM"}) argv.emplace_back(a);
  } else {
    for (const char* a : {"-t", "ed25519"}) argv.emplace_back(a);
  }
  argv.push_back("-f");
  argv.push_back(tmp_key);
  core::Status status = RunKeygen(argv);
  if (status.ok()) status = NormalisePublicKey(tmp_key + ".pub");
  if (status.ok()) status = SetOwnerAndMode(tmp_key, 0600, owner);
  if (status.ok()) status = SetOwnerAndMode(tmp_key + ".pub", 0644, owner);
  if (status.ok() && ::rename(tmp_key.c_str(), paths.private_key.c_str()) != 0) {
    status = core::Internal("cannot rename to " + paths.private_key + ": " + std::strerror(errno));
  }
  if (status.ok() && ::rename((tmp_key + ".pub").c_str(), paths.public_key.c_str()) != 0) {
    status = core::Internal("cannot rename to " + paths.public_key + ": " + std::strerror(errno));
  }
  RemoveTemporary(tmp_dir, tmp_key);
  return status;
}

}  // namespace x2gobroker::tools
