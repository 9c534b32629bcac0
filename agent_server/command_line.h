// SPDX-License-Identifier: AGPL-3.0-or-later
// The command line of the server-side agent (PROTOCOL.md §9.2, issue #6 item 1). The text comes
// from SSH_ORIGINAL_COMMAND, i.e. from whoever holds the broker's SSH key: untrusted. It is split
// into words by a strict SUBSET of POSIX sh word splitting, chosen so that every accepted text
// means exactly what /bin/sh would make of it, and it is never given to a shell:
//   * words are separated by one or more spaces (no tabs, no newlines);
//   * outside quotes only [A-Za-z0-9_./%:@,+=-] may appear;
//   * '...' holds any printable ASCII except ' (no escapes, as in sh);
//   * "..." holds any printable ASCII except " $ ` \ (these would be expanded or escape
//     something in sh; refused rather than interpreted). Backslashes are refused everywhere;
//   * quoted and unquoted parts glue into one word ('a'"b"c is abc), '' is an empty word;
//   * control characters, bytes >= 0x7f, unbalanced quotes and every other character
//     (; | & < > ( ) $ ` \ * ? [ ] { } ~ # ! and so on) outside quotes are refused.
// Accepted command shapes:
//   <agent> USER TASK [ARG...]            (ours: /usr/lib/x2go/x2gobroker-agent 'u' 't' 'a')
//   sh -c '<agent> USER TASK [ARG...]'    (the reference broker: the inner text is parsed with
//                                          the same rules, exactly three outer words, no nesting)
// where <agent> is `x2gobroker-agent` or any word ending in `/x2gobroker-agent` (never run).
// Stateless and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace x2gobroker::agent_server {

// Longest accepted command text; an RSA-16384 key line plus a path is far below this.
inline constexpr size_t kMaxCommandBytes = 32 * 1024;

// Splits `text` into words by the rules above. InvalidArgument (reason only, the text is not
// echoed) for anything outside them, and for an empty or all-space text.
core::Result<std::vector<std::string>> SplitCommandWords(std::string_view text);

// The request the agent was asked to serve: USER, TASK and the remaining arguments.
struct AgentInvocation {
  std::string user;
  std::string task;
  std::vector<std::string> args;
};

// Parses a whole SSH_ORIGINAL_COMMAND (either shape above). InvalidArgument otherwise, also when
// fewer than USER and TASK follow the agent word. USER and TASK are not validated here.
core::Result<AgentInvocation> ParseOriginalCommand(std::string_view text);

// The local form: argv[1..] of the program are USER TASK [ARG...] (no quoting involved).
// InvalidArgument if fewer than two words.
core::Result<AgentInvocation> InvocationFromArgv(const std::vector<std::string>& words);

}  // namespace x2gobroker::agent_server
