// SPDX-License-Identifier: AGPL-3.0-or-later
#include "tools/password_input.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <utility>

namespace x2gobroker::tools {
namespace {

// PAM's own limit for a password is 512 bytes; 4 KiB leaves room for any other mechanism.
constexpr size_t kMaxPasswordBytes = 4096;

core::Result<core::SecretString> ReadLine(int fd) {
  core::SecretString line;
  bool any = false;
  for (;;) {
    char c = 0;
    ssize_t n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (!any) return core::InvalidArgument("no password given (end of input)");
      break;
    }
    any = true;
    if (c == '\n') break;
    if (line.size() >= kMaxPasswordBytes) return core::InvalidArgument("password longer than 4096 bytes");
    line.PushBack(c);
    c = 0;
  }
  if (line.size() > 0 && line.view().back() == '\r') line.Resize(line.size() - 1);
  return core::Result<core::SecretString>(std::move(line));
}

}  // namespace

core::Result<core::SecretString> ReadPassword(const std::string& prompt) {
  if (!::isatty(STDIN_FILENO)) return ReadLine(STDIN_FILENO);
  int tty = ::open("/dev/tty", O_WRONLY | O_CLOEXEC);
  int out = tty >= 0 ? tty : STDERR_FILENO;
  (void)!::write(out, prompt.data(), prompt.size());
  termios saved{};
  const bool have_mode = ::tcgetattr(STDIN_FILENO, &saved) == 0;
  if (have_mode) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  auto line = ReadLine(STDIN_FILENO);
  if (have_mode) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
  if (tty >= 0) ::close(tty);
  return line;
}

}  // namespace x2gobroker::tools
