// SPDX-License-Identifier: AGPL-3.0-or-later
// Process-wide logging: one line per call to stderr (journald, spawn-fcgi's log, or a file the
// service manager redirects to), "<timestamp> <level> <text>". Thread-safe. Callers must never
// pass passwords, private keys or whole tokens (see MaskToken).
#pragma once

#include <string>
#include <string_view>

namespace x2gobroker::core {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

void SetLogLevel(LogLevel level);
bool LogEnabled(LogLevel level);
void Log(LogLevel level, std::string_view text);
inline void LogDebug(std::string_view t) { Log(LogLevel::kDebug, t); }
inline void LogInfo(std::string_view t) { Log(LogLevel::kInfo, t); }
inline void LogWarning(std::string_view t) { Log(LogLevel::kWarning, t); }
inline void LogError(std::string_view t) { Log(LogLevel::kError, t); }

// First 8 characters of a token followed by "…", for logs.
std::string MaskToken(std::string_view token);
// Replaces bytes outside printable ASCII by \xNN so that a log line stays one line.
std::string Printable(std::string_view text);

}  // namespace x2gobroker::core
