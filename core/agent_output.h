// SPDX-License-Identifier: AGPL-3.0-or-later
// ParseAgentOutput turns the stdout of one x2gobroker-agent run into an AgentReply (PROTOCOL.md
// §9.1): the first line must start with `OK`, the data are the following non-empty lines. The
// text comes from an X2Go Server and is untrusted; its size is checked before anything else.
// Stateless and thread-safe; std only.
#pragma once

#include <cstddef>
#include <string_view>

#include "core/agent_client.h"
#include "core/status.h"

namespace x2gobroker::core {

// The most agent output a client reads. listsessions of a user with a few hundred sessions is
// well under 100 KiB; anything near a MiB is a broken or hostile server.
inline constexpr size_t kMaxAgentOutputBytes = 1024 * 1024;

// On success the reply's lines are the non-empty lines after the `OK` line, trailing CR
// stripped. Unavailable (message: short, printable, never the whole output) if the output is
// over kMaxAgentOutputBytes or the first line does not start with `OK`.
Result<AgentReply> ParseAgentOutput(std::string_view stdout_text);

}  // namespace x2gobroker::core
