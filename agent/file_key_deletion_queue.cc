// SPDX-License-Identifier: AGPL-3.0-or-later
#include "agent/file_key_deletion_queue.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <map>
#include <vector>

#include "core/log.h"
#include "core/secure_random.h"
#include "core/string_util.h"
#include "core/unique_fd.h"

namespace x2gobroker::agent {
namespace {

constexpr const char* kPendingSuffix = ".pending";
constexpr const char* kClaimInfix = ".claim.";
// A claim is a deletion in progress; one older than this belongs to a process that died.
constexpr int64_t kStaleClaimSeconds = 300;
// Retries: 10 s, 20 s, 40 s ... capped at an hour; after kMaxAttempts (about two days) the
// entry is dropped with an error log (the key's expiry-time has long made it useless).
constexpr int64_t kFirstRetrySeconds = 10;
constexpr int64_t kMaxRetrySeconds = 3600;
constexpr int kMaxAttempts = 60;
constexpr size_t kMaxEntryBytes = 64 * 1024;

bool ValidField(const std::string& value) {
  for (char c : value) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  }
  return true;
}

std::string ReadSmallFile(const std::string& path) {
  core::UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0) return {};
  std::string text;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd.get(), buf, sizeof buf)) > 0 && text.size() < kMaxEntryBytes) text.append(buf, static_cast<size_t>(n));
  return text;
}

// The due time is the name's prefix, so RunDue need not open entries that are not due.
int64_t DueOfName(const std::string& name) {
  int64_t due = 0;
  size_t i = 0;
  for (; i < name.size() && name[i] >= '0' && name[i] <= '9' && i < 18; ++i) due = due * 10 + (name[i] - '0');
  return i == 0 ? -1 : due;
}

std::vector<std::string> ListNames(const std::string& directory) {
  std::vector<std::string> names;
  DIR* dir = opendir(directory.c_str());
  if (dir == nullptr) return names;
  while (dirent* e = readdir(dir)) {
    std::string name = e->d_name;
    if (name != "." && name != "..") names.push_back(std::move(name));
  }
  closedir(dir);
  return names;
}

}  // namespace

std::string EncodeKeyDeletion(const core::PendingKeyDeletion& d, int attempts) {
  std::string out;
  auto field = [&out](const char* key, const std::string& value) { out += std::string(key) + " " + value + "\n"; };
  field("mode", d.query_mode);
  field("hostname", d.target.hostname);
  field("address", d.target.address);
  field("port", std::to_string(d.target.port));
  field("policy", d.target.host_key_policy);
  field("user", d.user);
  field("authorized_keys", d.authorized_keys);
  field("key", d.key_line);
  field("due", std::to_string(d.due_unix));
  field("attempts", std::to_string(attempts));
  return out;
}

core::Result<core::PendingKeyDeletion> DecodeKeyDeletion(std::string_view text, int* attempts) {
  core::PendingKeyDeletion d;
  std::map<std::string, std::string> fields;
  for (const std::string& line : core::Split(text, '\n')) {
    if (line.empty()) continue;
    size_t space = line.find(' ');
    if (space == std::string::npos) return core::InvalidArgument("malformed key deletion entry");
    fields[line.substr(0, space)] = line.substr(space + 1);
  }
  for (const char* required : {"mode", "hostname", "address", "port", "policy", "user", "authorized_keys", "key", "due"}) {
    if (fields.count(required) == 0) return core::InvalidArgument(std::string("key deletion entry without ") + required);
  }
  d.query_mode = fields["mode"];
  d.target.hostname = fields["hostname"];
  d.target.address = fields["address"];
  d.target.host_key_policy = fields["policy"];
  d.user = fields["user"];
  d.authorized_keys = fields["authorized_keys"];
  d.key_line = fields["key"];
  char* end = nullptr;
  d.target.port = static_cast<int>(strtol(fields["port"].c_str(), &end, 10));
  d.due_unix = strtoll(fields["due"].c_str(), &end, 10);
  *attempts = fields.count("attempts") ? atoi(fields["attempts"].c_str()) : 0;
  if (d.query_mode != "SSH" && d.query_mode != "LOCAL") return core::InvalidArgument("key deletion entry: bad mode");
  return d;
}

core::Result<std::shared_ptr<FileKeyDeletionQueue>> FileKeyDeletionQueue::Open(const std::string& directory) {
  if (directory.empty() || directory[0] != '/') {
    return core::Unavailable("key-deletion-directory must be an absolute path");
  }
  if (mkdir(directory.c_str(), 0700) != 0 && errno != EEXIST) {
    return core::Unavailable("cannot create " + directory + ": " + strerror(errno));
  }
  struct stat st {};
  if (stat(directory.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || access(directory.c_str(), W_OK | X_OK) != 0) {
    return core::Unavailable(directory + " is not a writable directory");
  }
  return std::shared_ptr<FileKeyDeletionQueue>(new FileKeyDeletionQueue(directory));
}

core::Status FileKeyDeletionQueue::Write(const core::PendingKeyDeletion& d, int attempts) const {
  for (const std::string* v : {&d.query_mode, &d.target.hostname, &d.target.address, &d.target.host_key_policy, &d.user,
                               &d.authorized_keys, &d.key_line}) {
    if (!ValidField(*v)) return core::InvalidArgument("key deletion entry with a control character");
  }
  const std::string base = std::to_string(d.due_unix) + "-" + core::RandomHex(8);
  const std::string temp = directory_ + "/." + base + ".tmp";
  const std::string final_path = directory_ + "/" + base + kPendingSuffix;
  const std::string text = EncodeKeyDeletion(d, attempts);
  {
    core::UniqueFd fd(open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (fd.get() < 0) return core::Unavailable("cannot write " + temp + ": " + strerror(errno));
    if (write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size()) || fsync(fd.get()) != 0) {
      int err = errno;
      unlink(temp.c_str());
      return core::Unavailable("cannot write " + temp + ": " + strerror(err));
    }
  }
  if (rename(temp.c_str(), final_path.c_str()) != 0) {
    int err = errno;
    unlink(temp.c_str());
    return core::Unavailable("cannot rename " + temp + ": " + strerror(err));
  }
  // The rename itself must be durable before the key is installed.
  core::UniqueFd dir(open(directory_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() >= 0) fsync(dir.get());
  return core::Status::Ok();
}

core::Status FileKeyDeletionQueue::Schedule(const core::PendingKeyDeletion& deletion) const {
  return Write(deletion, 0);
}

size_t FileKeyDeletionQueue::PendingCount() const {
  size_t n = 0;
  for (const std::string& name : ListNames(directory_)) {
    if (core::EndsWith(name, kPendingSuffix) || name.find(kClaimInfix) != std::string::npos) ++n;
  }
  return n;
}

size_t FileKeyDeletionQueue::RunDue(int64_t now, const core::AgentClient* ssh, const core::AgentClient* local) const {
  size_t removed = 0;
  for (const std::string& name : ListNames(directory_)) {
    const std::string path = directory_ + "/" + name;
    size_t claim_at = name.find(kClaimInfix);
    if (claim_at != std::string::npos) {
      // name = <base>.pending.claim.<claimed-at>.<random>: release it if its owner died.
      int64_t claimed_at = DueOfName(name.substr(claim_at + strlen(kClaimInfix)));
      if (claimed_at >= 0 && now - claimed_at > kStaleClaimSeconds) {
        rename(path.c_str(), (directory_ + "/" + name.substr(0, claim_at)).c_str());
      }
      continue;
    }
    if (!core::EndsWith(name, kPendingSuffix)) continue;
    int64_t due = DueOfName(name);
    if (due < 0 || due > now) continue;
    const std::string claim = path + kClaimInfix + std::to_string(now) + "." + core::RandomHex(4);
    if (rename(path.c_str(), claim.c_str()) != 0) continue;  // another worker took it

    int attempts = 0;
    core::Result<core::PendingKeyDeletion> entry = DecodeKeyDeletion(ReadSmallFile(claim), &attempts);
    if (!entry.ok()) {
      core::LogError("key deletion queue: dropping unreadable entry " + name + ": " + entry.status().message());
      unlink(claim.c_str());
      continue;
    }
    const core::AgentClient* client = entry->query_mode == "SSH" ? ssh : local;
    if (client == nullptr) {  // this snapshot has no client for that mode: leave it
      rename(claim.c_str(), path.c_str());
      continue;
    }
    core::Result<core::AgentReply> done = client->Run(entry->target, core::AgentTask::kDelAuthKey, entry->user,
                                                      {entry->key_line, entry->authorized_keys});
    const std::string what = "temporary key of " + entry->user + " on " + entry->target.hostname;
    if (done.ok()) {
      core::LogInfo("removed the " + what);
      ++removed;
    } else if (attempts + 1 >= kMaxAttempts) {
      core::LogError("giving up removing the " + what + " after " + std::to_string(attempts + 1) +
                     " attempts: " + done.status().message());
    } else {
      int64_t delay = kFirstRetrySeconds << std::min(attempts, 9);
      core::PendingKeyDeletion retry = *entry;
      retry.due_unix = now + std::min(delay, kMaxRetrySeconds);
      core::LogWarning("removing the " + what + " failed (" + done.status().message() + "), retrying in " +
                       std::to_string(retry.due_unix - now) + " s");
      if (core::Status written = Write(retry, attempts + 1); !written.ok()) {
        core::LogError("key deletion queue: cannot re-queue: " + written.message());
        rename(claim.c_str(), path.c_str());  // keep the entry rather than lose it
        continue;
      }
    }
    unlink(claim.c_str());
  }
  return removed;
}

}  // namespace x2gobroker::agent
