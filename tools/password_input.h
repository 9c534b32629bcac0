// SPDX-License-Identifier: AGPL-3.0-or-later
// Reads a password for an interactive tool: from the terminal without echo, or one line from
// a pipe. Not thread-safe (changes the terminal's mode while reading).
#pragma once

#include <string>

#include "core/secret_string.h"
#include "core/status.h"

namespace x2gobroker::tools {

// stdin a terminal: writes `prompt` to /dev/tty (else stderr), reads one line with echo off
// (echo is restored, also on failure). stdin not a terminal: reads its first line. The line
// end (LF, CRLF) is removed. InvalidArgument at end of input before any newline or byte;
// lines longer than 4 KiB are refused (InvalidArgument). The input buffer is wiped.
core::Result<core::SecretString> ReadPassword(const std::string& prompt);

}  // namespace x2gobroker::tools
