// SPDX-License-Identifier: AGPL-3.0-or-later
// Parsers for the data lines of broker agent replies (PROTOCOL.md §9.3, §9.4, §9.6) and for the
// load checker's answer (§11.2). The input is the agent's stdout after the `OK` line, i.e. text
// produced on an X2Go Server from a shared session DB: untrusted. Malformed input is a handled
// result (skipped line, nullopt, LOAD-DATA-BOGUS), never an abort. Pure and thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace x2gobroker::core {

// One usable line of `listsessions` (§9.4).
struct AgentSession {
  std::string line;    // the whole line, forwarded to clients as SESSION_INFO
  std::string server;  // field 4: the server's hostname at session start (never empty)
  char status;         // field 5: 'R' (running) or 'S' (suspended)
};

// Keeps, in agent order, the lines with at least 5 '|'-separated fields, a non-empty server
// field and status exactly `R` or `S`. Lines containing a control character (< 0x20 or DEL:
// CR/LF/NUL/TAB...) or invalid UTF-8 are skipped too, because the line is forwarded to clients
// verbatim. Nothing is an error: `T` rows and garbage are simply ignored.
std::vector<AgentSession> ParseSessionLines(const std::vector<std::string>& lines);

// Number of sessions per server among `sessions` (listsessions only shows the user's own
// sessions: a fallback when getservers gives no counts, §10.3).
std::map<std::string, int64_t> CountSessionsPerServer(const std::vector<AgentSession>& sessions);

// `getservers`: lines `<server> <count>` (split at the first space; count = decimal digits,
// 0..10^12). Empty lines are skipped; no data lines → empty map. nullopt when any line has no
// valid count (the SQLite agent prints names only), an empty or duplicated server name or a
// control character.
std::optional<std::map<std::string, int64_t>> ParseGetServers(const std::vector<std::string>& lines);

// `findbusyservers`: lines `<percent>:<server>` (split at the FIRST ':' so IPv6 names survive;
// percent = decimal digits 0..100). Empty lines are skipped (no sessions → one empty line →
// empty map). nullopt when any line is malformed or a server repeats.
std::optional<std::map<std::string, int64_t>> ParseFindBusyServers(const std::vector<std::string>& lines);

// The load checker's error words (§9.6, §11.2).
inline constexpr const char* kLoadUnavailable = "LOAD-UNAVAILABLE";
inline constexpr const char* kHostUnreachable = "HOST-UNREACHABLE";
inline constexpr const char* kLoadDataBogus = "LOAD-DATA-BOGUS";

// A host's load factor (higher = more capacity) or one of the error words. Exactly one is set.
struct LoadFactor {
  std::optional<int64_t> value;
  std::string error;
};

// `checkload` data lines `key:value` (split at the first ':'; lines without ':' and unknown
// keys are ignored; a repeated key: the last one counts, like the reference's dict).
// memAvail = myMemAvail if memAvail is 0; then
//   load_factor = trunc(((memAvail / 1000) * numCPU * typeCPU * 100) / loadavgXX)
// evaluated in double in exactly this order, as the reference's Python does. E.g. loadavgXX 135,
// memAvail 23850, numCPU 2, typeCPU 2446 → 86425.
// LOAD-DATA-BOGUS when a needed field is missing or not a plain non-negative decimal
// (`123` or `12.5`; no sign, exponent, inf or nan), loadavgXX <= 0, or the result does not fit
// an int64 (the reference would crash or return a huge int there).
LoadFactor LoadFactorFromCheckLoad(const std::vector<std::string>& lines);

// "86425" or the error word; a LoadFactor with neither set formats as LOAD-DATA-BOGUS.
std::string FormatLoadFactor(const LoadFactor& f);

// The load checker client's rule (§11.2): exactly one of the three words → that error; else
// Python's int(): ASCII whitespace around, an optional sign, decimal digits (no '_' groups),
// within int64 → value; anything else → LOAD-DATA-BOGUS.
LoadFactor ParseLoadFactor(std::string_view text);

// The load checker's answer to a profile request (§11.2): `host:<int or word>` lines, split at
// the LAST ':' (values never hold one; IPv6 host names do); lines without ':' or with an empty
// host are ignored; a repeated host: the last one counts. Values follow ParseLoadFactor.
std::map<std::string, LoadFactor> ParseLoadFactorList(std::string_view text);

}  // namespace x2gobroker::core
