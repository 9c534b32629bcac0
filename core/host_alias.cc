// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/host_alias.h"

#include <vector>

#include "core/ip_address.h"
#include "core/string_util.h"
#include "core/value_parser.h"

namespace x2gobroker::core {
namespace {
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAlnum(char c) { return IsAlpha(c) || (c >= '0' && c <= '9'); }
}  // namespace

bool IsDnsLabel(std::string_view s) {
  if (s.empty() || s.size() > 63 || s.front() == '-' || s.back() == '-') return false;
  for (char c : s) {
    if (!IsAlnum(c) && c != '-') return false;
  }
  return true;
}

bool IsReferenceHostname(std::string_view s) {
  // The reference's regex is (label \.?)+ [a-zA-Z]{2,} with labels of 1-63 [A-Za-z0-9-]
  // starting with a letter and not ending in '-'. Decided here by dynamic programming over
  // positions instead of a backtracking regex (which is exponential on hostile input).
  const size_t n = s.size();
  if (n < 1 || n > 254) return false;
  std::vector<bool> reachable(n + 1, false);  // s[0..i) is a sequence of labels
  reachable[0] = true;
  for (size_t i = 0; i < n; ++i) {
    if (!reachable[i] || !IsAlpha(s[i])) continue;
    for (size_t j = i + 1; j <= n && j - i <= 63; ++j) {
      char last = s[j - 1];
      if (!IsAlnum(last) && last != '-') break;
      if (last == '-') continue;
      reachable[j] = true;
      if (j < n && s[j] == '.') reachable[j + 1] = true;
    }
  }
  // The tail: 2+ letters to the end.
  size_t tail = n;
  while (tail > 0 && IsAlpha(s[tail - 1])) --tail;
  // At least one label must precede the tail (the regex's `+`).
  for (size_t start = tail > 0 ? tail : 1; start + 2 <= n; ++start) {
    if (reachable[start]) return true;
  }
  return false;
}

AliasParse ParseHostAlias(std::string_view item, int64_t default_port) {
  AliasParse out;
  // Reference: an alias matches ^.* \(.*\)$; name = first space-separated word, target = the
  // second word without its first and last character.
  size_t open = item.find(" (");
  if (open == std::string_view::npos || item.empty() || item.back() != ')') {
    out.name = std::string(item);
    return out;
  }
  std::vector<std::string> words = Split(item, ' ');
  out.name = words[0];
  std::string target = words[1].size() >= 2 ? words[1].substr(1, words[1].size() - 2) : std::string();
  std::string address = target;
  int64_t port = default_port;
  if (!target.empty() && target.front() == '[') {
    // Our extension: [v6]:port or [v6].
    size_t close = target.find(']');
    if (close == std::string::npos) {
      out.kind = AliasParse::Kind::kInvalid;
      out.problem = "unbalanced '[' in the address";
      return out;
    }
    address = target.substr(1, close - 1);
    std::string rest = target.substr(close + 1);
    if (!rest.empty()) {
      auto p = rest[0] == ':' ? ParseInt(rest.substr(1)) : std::nullopt;
      if (!p) {
        out.kind = AliasParse::Kind::kInvalid;
        out.problem = "malformed port";
        return out;
      }
      port = *p;
    }
    if (!IpAddress::Parse(address) || IpAddress::Parse(address)->v6 == false) {
      out.kind = AliasParse::Kind::kInvalid;
      out.problem = "[...] must hold an IPv6 address";
      return out;
    }
  } else if (!IpAddress::Parse(target)) {
    // Not a bare IP literal: split off a port at the last ':' if it is a number.
    size_t colon = target.rfind(':');
    if (colon != std::string::npos) {
      if (auto p = ParseInt(target.substr(colon + 1))) {
        address = target.substr(0, colon);
        port = *p;
      }
    }
  }
  bool name_ok = IsDnsLabel(out.name) || IsReferenceHostname(out.name);
  bool address_ok = IsReferenceHostname(address) || IpAddress::Parse(address).has_value();
  if (!name_ok || !address_ok) {
    out.kind = AliasParse::Kind::kInvalid;
    out.problem = !name_ok ? "the alias name is not a host name" : "the address is neither a host name nor an IP address";
    return out;
  }
  if (port < 1 || port > 65535) {
    out.kind = AliasParse::Kind::kInvalid;
    out.problem = "port out of range";
    return out;
  }
  out.kind = AliasParse::Kind::kAlias;
  out.alias.address = address;
  if (port != default_port) out.alias.port = port;
  return out;
}

}  // namespace x2gobroker::core
