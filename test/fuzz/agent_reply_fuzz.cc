// SPDX-License-Identifier: AGPL-3.0-or-later
// libFuzzer target: hostile agent replies (what an X2Go Server or its session DB prints) and
// hostile client public keys must be handled as data: no crash, no UB, and the invariants the
// callers rely on hold.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/agent_replies.h"
#include "core/ssh_public_key.h"

namespace core = x2gobroker::core;

namespace {

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

void CheckLoadFactor(const core::LoadFactor& f) {
  // Exactly one of value / error word.
  Check(f.value.has_value() != !f.error.empty());
  if (!f.value) {
    Check(f.error == core::kLoadUnavailable || f.error == core::kHostUnreachable ||
          f.error == core::kLoadDataBogus);
  }
  // A formatted factor parses back to itself (what the load checker socket carries).
  core::LoadFactor round_trip = core::ParseLoadFactor(core::FormatLoadFactor(f));
  Check(round_trip.value == f.value && round_trip.error == f.error);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  // Split like the agent client does (on LF), keeping empty lines and any CR.
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }

  for (const core::AgentSession& s : core::ParseSessionLines(lines)) {
    Check(s.status == 'R' || s.status == 'S');
    Check(!s.server.empty());
    Check(s.line.find_first_of("\r\n", 0) == std::string::npos);
    Check(s.line.find('\0') == std::string::npos);
  }
  core::CountSessionsPerServer(core::ParseSessionLines(lines));
  if (auto counts = core::ParseGetServers(lines)) {
    for (const auto& [server, count] : *counts) Check(!server.empty() && count >= 0);
  }
  if (auto percents = core::ParseFindBusyServers(lines)) {
    for (const auto& [server, percent] : *percents) Check(!server.empty() && percent >= 0 && percent <= 100);
  }
  CheckLoadFactor(core::LoadFactorFromCheckLoad(lines));
  CheckLoadFactor(core::ParseLoadFactor(text));
  for (const auto& [host, factor] : core::ParseLoadFactorList(text)) CheckLoadFactor(factor);

  core::Result<core::SshPublicKey> key = core::ParseClientPublicKey(text);
  if (key.ok()) {
    // An accepted key always yields a line, and the line never carries a character that would
    // change the agent's shell command or sed expression.
    std::string line = core::AuthorizedKeyLine(*key, {"127.0.0.1", 1795536707});
    Check(!line.empty());
    Check(line.find_first_of("';!\\`$\r\n") == std::string::npos);
    Check(line.find('\0') == std::string::npos);
    core::Result<core::SshPublicKey> again = core::ParseClientPublicKey(line);
    Check(again.ok() && again->blob_base64 == key->blob_base64 && again->comment == key->comment);
  } else {
    Check(key.status().code() == core::StatusCode::kInvalidArgument);
  }
  return 0;
}
