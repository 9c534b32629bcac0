// SPDX-License-Identifier: AGPL-3.0-or-later
#include "tools/file_replace.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "core/unique_fd.h"

namespace x2gobroker::tools {
namespace {

core::Status Errno(const std::string& what) { return core::Internal(what + ": " + std::strerror(errno)); }

}  // namespace

core::Status ReadSmallFileNoFollow(const std::string& path, size_t max_bytes, std::string* out) {
  out->clear();
  core::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
  if (!fd.valid()) {
    if (errno == ENOENT) return core::Status::Ok();
    if (errno == ELOOP) return core::InvalidArgument(path + " is a symlink: refusing to touch it");
    return Errno("cannot open " + path);
  }
  struct stat st{};
  if (::fstat(fd.get(), &st) != 0) return Errno("cannot stat " + path);
  if (!S_ISREG(st.st_mode)) return core::InvalidArgument(path + " is not a regular file");
  char buffer[8192];
  for (;;) {
    ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno("cannot read " + path);
    if (n == 0) break;
    if (out->size() + static_cast<size_t>(n) > max_bytes) return core::TooLarge(path + " is too large");
    out->append(buffer, static_cast<size_t>(n));
  }
  return core::Status::Ok();
}

core::Status ReplaceFile(const std::string& path, const std::string& content, mode_t mode,
                         const SystemAccount& account) {
  std::string pattern = path + ".XXXXXX";
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  core::UniqueFd fd(::mkostemp(name.data(), O_CLOEXEC));
  if (!fd.valid()) return Errno("cannot create a temporary file beside " + path);
  const std::string tmp = name.data();
  core::Status status;
  size_t done = 0;
  while (status.ok() && done < content.size()) {
    ssize_t n = ::write(fd.get(), content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      status = Errno("cannot write " + tmp);
    } else {
      done += static_cast<size_t>(n);
    }
  }
  if (status.ok() && ::geteuid() == 0 && ::fchown(fd.get(), account.uid, account.gid) != 0) {
    status = Errno("cannot chown " + tmp);
  }
  if (status.ok() && ::fchmod(fd.get(), mode) != 0) status = Errno("cannot chmod " + tmp);
  if (status.ok() && ::fsync(fd.get()) != 0) status = Errno("cannot sync " + tmp);
  if (status.ok() && !fd.Close()) status = Errno("cannot close " + tmp);
  if (status.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) status = Errno("cannot rename to " + path);
  if (!status.ok()) ::unlink(tmp.c_str());
  return status;
}

}  // namespace x2gobroker::tools
