// SPDX-License-Identifier: AGPL-3.0-or-later
#include "agent_server/authorized_keys_edit.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "core/secure_random.h"
#include "core/unique_fd.h"

namespace x2gobroker::agent_server {
namespace {

using core::Status;
using core::UniqueFd;

// Replaces the first occurrence of `from` in *s by `to`.
void ReplaceFirst(std::string* s, std::string_view from, std::string_view to) {
  const size_t pos = s->find(from);
  if (pos != std::string::npos) s->replace(pos, from.size(), to);
}

std::vector<std::string_view> Components(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < path.size()) {
    const size_t slash = path.find('/', i);
    const size_t end = slash == std::string_view::npos ? path.size() : slash;
    if (end > i) out.push_back(path.substr(i, end - i));
    i = end + 1;
  }
  return out;
}

// The components of `path` below `home`. InvalidArgument unless both are absolute, free of
// "." and "..", and `path` lies strictly below `home`.
core::Result<std::vector<std::string>> ComponentsBelowHome(const std::string& home, const std::string& path) {
  if (home.empty() || home[0] != '/') return core::InvalidArgument("home directory is not absolute");
  if (path.empty() || path[0] != '/') return core::InvalidArgument("authorized_keys path is not absolute");
  const auto h = Components(home);
  const auto p = Components(path);
  if (h.empty()) return core::InvalidArgument("home directory is /");
  for (const auto* list : {&h, &p}) {
    for (std::string_view c : *list) {
      if (c == "." || c == "..") return core::InvalidArgument("path with . or .. components");
    }
  }
  if (p.size() <= h.size()) return core::InvalidArgument("authorized_keys path is not inside the home directory");
  for (size_t i = 0; i < h.size(); ++i) {
    if (h[i] != p[i]) return core::InvalidArgument("authorized_keys path is not inside the home directory");
  }
  return std::vector<std::string>(p.begin() + static_cast<long>(h.size()), p.end());
}

Status Errno(const char* what) {
  const int e = errno;
  if (e == ELOOP || e == ENOTDIR) return core::PermissionDenied(std::string(what) + ": symlink or not a directory");
  if (e == EACCES || e == EPERM) return core::PermissionDenied(std::string(what) + ": " + std::strerror(e));
  return core::Internal(std::string(what) + ": " + std::strerror(e));
}

// Owned by us and not writable by group or others: what sshd's StrictModes wants as well.
Status CheckOwnerAndMode(int fd, bool want_directory) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return Errno("fstat");
  if (want_directory ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)) {
    return core::PermissionDenied(want_directory ? "not a directory" : "not a regular file");
  }
  if (st.st_uid != ::geteuid()) return core::PermissionDenied("not owned by the user");
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) return core::PermissionDenied("group or world writable");
  return Status::Ok();
}

// Where the file lives: its directory (opened) and its name. `dir` stays invalid when a
// directory is missing and `create` was false.
struct OpenedParent {
  UniqueFd dir;
  std::string name;
};

core::Result<OpenedParent> OpenParent(const std::string& home, const std::string& path, bool create) {
  auto comps = ComponentsBelowHome(home, path);
  if (!comps.ok()) return comps.status();
  // The home path itself comes from the password database (administrator's), so it is opened
  // as is; from here on nothing is followed.
  UniqueFd cur(::open(home.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!cur.valid()) return Errno("open home directory");
  OpenedParent out;
  for (size_t i = 0; i + 1 < comps->size(); ++i) {
    const char* name = (*comps)[i].c_str();
    UniqueFd next(::openat(cur.get(), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!next.valid() && errno == ENOENT) {
      if (!create) return out;  // nothing there, nothing to edit
      if (::mkdirat(cur.get(), name, 0700) != 0 && errno != EEXIST) return Errno("mkdir");
      next.reset(::openat(cur.get(), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    }
    if (!next.valid()) return Errno("open directory");
    if (Status s = CheckOwnerAndMode(next.get(), true); !s.ok()) return s;
    cur = std::move(next);
  }
  out.dir = std::move(cur);
  out.name = comps->back();
  return out;
}

struct ExistingFile {
  bool exists = false;
  std::string contents;
  mode_t mode = 0600;
};

core::Result<ExistingFile> ReadExisting(int dir, const std::string& name) {
  ExistingFile f;
  // O_NONBLOCK: a FIFO planted under that name must not hang us (it is refused below anyway).
  UniqueFd fd(::openat(dir, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!fd.valid()) {
    if (errno == ENOENT) return f;
    return Errno("open authorized_keys");
  }
  if (Status s = CheckOwnerAndMode(fd.get(), false); !s.ok()) return s;
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return Errno("fstat");
  f.exists = true;
  f.mode = st.st_mode & 0755;
  char buf[8192];
  for (;;) {
    const ssize_t r = ::read(fd.get(), buf, sizeof(buf));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return Errno("read authorized_keys");
    if (r == 0) break;
    f.contents.append(buf, static_cast<size_t>(r));
    if (f.contents.size() > kMaxAuthorizedKeysBytes) return core::TooLarge("authorized_keys file too large");
  }
  return f;
}

// Temp file in `dir`, fsync, rename over `name`, fsync the directory.
Status ReplaceAtomically(int dir, const std::string& name, const std::string& contents, mode_t mode) {
  std::string tmp;
  UniqueFd fd;
  for (int attempt = 0; attempt < 8 && !fd.valid(); ++attempt) {
    tmp = "." + name + ".tmp-" + core::RandomHex(8);
    fd.reset(::openat(dir, tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!fd.valid() && errno != EEXIST) return Errno("create temporary file");
  }
  if (!fd.valid()) return core::Internal("no free temporary file name");
  Status failure;
  if (::fchmod(fd.get(), mode) != 0) failure = Errno("fchmod");
  size_t done = 0;
  while (failure.ok() && done < contents.size()) {
    const ssize_t w = ::write(fd.get(), contents.data() + done, contents.size() - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) failure = Errno("write temporary file");
    else done += static_cast<size_t>(w);
  }
  if (failure.ok() && ::fsync(fd.get()) != 0) failure = Errno("fsync");
  if (failure.ok() && !fd.Close()) failure = Errno("close");
  if (failure.ok() && ::renameat(dir, tmp.c_str(), dir, name.c_str()) != 0) failure = Errno("rename");
  if (!failure.ok()) {
    ::unlinkat(dir, tmp.c_str(), 0);
    return failure;
  }
  ::fsync(dir);  // the rename is durable; a failure here changes nothing we could undo
  return Status::Ok();
}

}  // namespace

std::string ExpandKeyFilePath(std::string_view pattern, const KeyPathVars& vars) {
  std::string s(pattern);
  ReplaceFirst(&s, "%u", vars.user);
  ReplaceFirst(&s, "%U", vars.uid);
  ReplaceFirst(&s, "%G", vars.gid);
  ReplaceFirst(&s, "%h", vars.home);
  ReplaceFirst(&s, "%%", "%");
  return s;
}

std::optional<std::string> WithKeyLineAdded(std::string_view contents, std::string_view key_line) {
  size_t i = 0;
  while (i < contents.size()) {
    const size_t nl = contents.find('\n', i);
    const size_t end = nl == std::string_view::npos ? contents.size() : nl;
    if (contents.substr(i, end - i) == key_line) return std::nullopt;
    i = end + 1;
  }
  std::string out(contents);
  if (!out.empty() && out.back() != '\n') out.push_back('\n');
  out.append(key_line);
  out.push_back('\n');
  return out;
}

std::optional<std::string> WithKeyLineRemoved(std::string_view contents, std::string_view key_line) {
  std::string out;
  bool removed = false;
  size_t i = 0;
  while (i < contents.size()) {
    const size_t nl = contents.find('\n', i);
    const size_t end = nl == std::string_view::npos ? contents.size() : nl;
    const std::string_view line = contents.substr(i, end - i);
    if (line == key_line) {
      removed = true;
    } else {
      out.append(line);
      if (nl != std::string_view::npos) out.push_back('\n');
    }
    i = end + 1;
  }
  if (!removed) return std::nullopt;
  return out;
}

Status AddAuthorizedKey(const std::string& home, const std::string& path, const std::string& key_line) {
  auto parent = OpenParent(home, path, /*create=*/true);
  if (!parent.ok()) return parent.status();
  auto existing = ReadExisting(parent->dir.get(), parent->name);
  if (!existing.ok()) return existing.status();
  auto updated = WithKeyLineAdded(existing->contents, key_line);
  if (!updated) return Status::Ok();
  if (updated->size() > kMaxAuthorizedKeysBytes) return core::TooLarge("authorized_keys file would be too large");
  return ReplaceAtomically(parent->dir.get(), parent->name, *updated, existing->mode);
}

Status DelAuthorizedKey(const std::string& home, const std::string& path, const std::string& key_line) {
  auto parent = OpenParent(home, path, /*create=*/false);
  if (!parent.ok()) return parent.status();
  if (!parent->dir.valid()) return Status::Ok();
  auto existing = ReadExisting(parent->dir.get(), parent->name);
  if (!existing.ok()) return existing.status();
  if (!existing->exists) return Status::Ok();
  auto updated = WithKeyLineRemoved(existing->contents, key_line);
  if (!updated) return Status::Ok();
  return ReplaceAtomically(parent->dir.get(), parent->name, *updated, existing->mode);
}

}  // namespace x2gobroker::agent_server
