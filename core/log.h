// SPDX-License-Identifier: AGPL-3.0-or-later
// Process-wide logging: one line per call, "<timestamp> [<pid>] <level> <text>", to stderr
// (journald, spawn-fcgi's log, or a file the service manager redirects to) or, after
// OpenLogFiles(DIR), to the reference's files: access lines to DIR/access.log, every other line
// to DIR/broker.log, ERROR lines also to DIR/error.log. Thread-safe. Callers must never pass
// passwords, private keys or whole tokens (see MaskToken).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace x2gobroker::core {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

void SetLogLevel(LogLevel level);
// "debug", "info", "warning" or "error" (the --log-level option of every program); else nullopt.
std::optional<LogLevel> ParseLogLevel(std::string_view text);
bool LogEnabled(LogLevel level);
void Log(LogLevel level, std::string_view text);
inline void LogDebug(std::string_view t) { Log(LogLevel::kDebug, t); }
inline void LogInfo(std::string_view t) { Log(LogLevel::kInfo, t); }
inline void LogWarning(std::string_view t) { Log(LogLevel::kWarning, t); }
inline void LogError(std::string_view t) { Log(LogLevel::kError, t); }
// A request's access line (info level): DIR/access.log, or stderr like any other line.
void LogAccess(std::string_view text);

// Opens (creating, mode 0640) DIR/access.log, DIR/broker.log and DIR/error.log with
// O_APPEND|O_CLOEXEC and sends the lines there from now on. REQUIRES: called once, before other
// threads start; fork()ed children inherit the files. On failure returns Unavailable naming the
// file, and logging stays on stderr.
Status OpenLogFiles(const std::string& dir);
// Reopens the three files by name (logrotate moved them away: SIGUSR1). Each descriptor is
// replaced atomically (dup3), so concurrent writers lose no line and never write elsewhere. A
// file that cannot be reopened keeps its old descriptor; the first failure is returned.
// No-op without OpenLogFiles.
Status ReopenLogFiles();

// First 8 characters of a token followed by "…", for logs.
std::string MaskToken(std::string_view token);
// Replaces bytes outside printable ASCII by \xNN so that a log line stays one line.
std::string Printable(std::string_view text);

}  // namespace x2gobroker::core
