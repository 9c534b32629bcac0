// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/log.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>

namespace x2gobroker::core {
namespace {
std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};

// The log files, by descriptor; all STDERR_FILENO until OpenLogFiles. The numbers never
// change after OpenLogFiles (reopening dup3()s onto them), so readers need no lock.
struct LogFiles {
  std::string dir;
  int access = STDERR_FILENO;
  int broker = STDERR_FILENO;
  int error = -1;  // errors also go here when the files are open
};
LogFiles g_files;
constexpr const char* kAccessLog = "access.log";
constexpr const char* kBrokerLog = "broker.log";
constexpr const char* kErrorLog = "error.log";

int OpenLog(const std::string& path) {
  return open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0640);
}

void WriteLine(int fd, const std::string& line) {
  // One write(2) per line keeps lines of concurrent threads and processes whole (O_APPEND).
  ssize_t ignored = write(fd, line.data(), line.size());
  (void)ignored;
}
const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "DEBUG";
    case LogLevel::kInfo: return "INFO";
    case LogLevel::kWarning: return "WARNING";
    case LogLevel::kError: return "ERROR";
  }
  return "?";
}
}  // namespace

std::optional<LogLevel> ParseLogLevel(std::string_view text) {
  if (text == "debug") return LogLevel::kDebug;
  if (text == "info") return LogLevel::kInfo;
  if (text == "warning") return LogLevel::kWarning;
  if (text == "error") return LogLevel::kError;
  return std::nullopt;
}

void SetLogLevel(LogLevel level) { g_level.store(static_cast<int>(level)); }
bool LogEnabled(LogLevel level) { return static_cast<int>(level) >= g_level.load(std::memory_order_relaxed); }

namespace {
std::string FormatLine(LogLevel level, std::string_view text);
}  // namespace

void Log(LogLevel level, std::string_view text) {
  if (!LogEnabled(level)) return;
  std::string line = FormatLine(level, text);
  WriteLine(g_files.broker, line);
  if (level == LogLevel::kError && g_files.error >= 0) WriteLine(g_files.error, line);
}

void LogAccess(std::string_view text) {
  if (!LogEnabled(LogLevel::kInfo)) return;
  WriteLine(g_files.access, FormatLine(LogLevel::kInfo, text));
}

Status OpenLogFiles(const std::string& dir) {
  LogFiles files;
  files.dir = dir;
  int* targets[] = {&files.access, &files.broker, &files.error};
  const char* names[] = {kAccessLog, kBrokerLog, kErrorLog};
  for (size_t i = 0; i < 3; ++i) {
    std::string path = dir + "/" + names[i];
    *targets[i] = OpenLog(path);
    if (*targets[i] < 0) {
      Status failed = Unavailable("cannot open " + path + ": " + strerror(errno));
      for (size_t j = 0; j < i; ++j) close(*targets[j]);
      return failed;
    }
  }
  g_files = std::move(files);
  return Status::Ok();
}

Status ReopenLogFiles() {
  if (g_files.error < 0) return Status::Ok();
  Status result = Status::Ok();
  const int targets[] = {g_files.access, g_files.broker, g_files.error};
  const char* names[] = {kAccessLog, kBrokerLog, kErrorLog};
  for (size_t i = 0; i < 3; ++i) {
    std::string path = g_files.dir + "/" + names[i];
    int fresh = OpenLog(path);
    if (fresh < 0 || dup3(fresh, targets[i], O_CLOEXEC) < 0) {
      if (result.ok()) result = Unavailable("cannot reopen " + path + ": " + strerror(errno));
    }
    if (fresh >= 0) close(fresh);
  }
  return result;
}

namespace {
std::string FormatLine(LogLevel level, std::string_view text) {
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  tm parts{};
  gmtime_r(&now.tv_sec, &parts);
  char stamp[96];
  snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", parts.tm_year + 1900,
           parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec, now.tv_nsec / 1000000);
  std::string line;
  line.reserve(text.size() + 64);
  line += stamp;
  line += " [";
  line += std::to_string(getpid());
  line += "] ";
  line += LevelName(level);
  line += ' ';
  line += Printable(text);
  line += '\n';
  return line;
}
}  // namespace

std::string MaskToken(std::string_view token) {
  if (token.empty()) return "";
  return std::string(token.substr(0, 8)) + "...";
}

std::string Printable(std::string_view text) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace x2gobroker::core
