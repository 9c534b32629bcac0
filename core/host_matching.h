// SPDX-License-Identifier: AGPL-3.0-or-later
// Host name normalisation and matching of PROTOCOL.md §10.6: profile hosts (`ts01.example.org`)
// against the server names the session DB recorded (`ts01`). Pure, thread-safe.
//
// How "IP addresses are skipped" combines with the literal intersection:
// * NormaliseHostnames leaves IP literals (IPv4 or IPv6, core/ip_address.h) out of the short-name
//   list and does not count them as subdomains; a list with more than one subdomain is returned
//   unchanged, IPs included (as the reference does).
// * MatchingHostnames = (short-name intersection when §10.6 allows it, else — or when it is
//   empty — the literal intersection) ∪ the IP literals present in BOTH lists.
//   The union is our deliberate reading: the reference drops the IPs when the short-name
//   intersection is non-empty, so a profile `ts01.example.org, 10.0.0.5` would never find a
//   session recorded under `10.0.0.5` while one on `ts01` exists. With the union an IP host
//   always matches a session recorded under that IP literally, and every case where the
//   reference finds a match gives the same result.
// Names are compared case-sensitively, as the reference does (the DB records what the server's
// hostname was; x2goserver does not fold case).
#pragma once

#include <set>
#include <string>
#include <vector>

namespace x2gobroker::core {

struct NormalisedHostnames {
  // The short names (part before the first dot), IPs left out, in input order with duplicates
  // kept — if at most one distinct subdomain occurs; otherwise the input list unchanged.
  std::vector<std::string> names;
  // The distinct non-empty subdomains (part after the first dot) of the non-IP names.
  std::set<std::string> subdomains;
};

NormalisedHostnames NormaliseHostnames(const std::vector<std::string>& names);

// matching(A, B) of §10.6 (with the IP union above): normalise A; if A has <= 1 subdomain,
// normalise B; if B has <= 1 subdomain and A or B has none, intersect the short names;
// otherwise, or if that is empty, intersect the names literally. Sorted, without duplicates.
// The result holds short names when the short-name path applied (`vm` for `vm.example.org`).
std::vector<std::string> MatchingHostnames(const std::vector<std::string>& a,
                                           const std::vector<std::string>& b);

// True for an IPv4 or IPv6 literal (these are never split at a dot).
bool IsIpLiteral(const std::string& name);

}  // namespace x2gobroker::core
