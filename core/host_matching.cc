// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/host_matching.h"

#include <algorithm>

#include "core/ip_address.h"

namespace x2gobroker::core {
namespace {

std::set<std::string> Intersect(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::set<std::string> in_b(b.begin(), b.end());
  std::set<std::string> common;
  for (const std::string& name : a) {
    if (in_b.count(name)) common.insert(name);
  }
  return common;
}

}  // namespace

bool IsIpLiteral(const std::string& name) { return IpAddress::Parse(name).has_value(); }

NormalisedHostnames NormaliseHostnames(const std::vector<std::string>& names) {
  NormalisedHostnames result;
  for (const std::string& name : names) {
    if (IsIpLiteral(name)) continue;
    size_t dot = name.find('.');
    result.names.push_back(name.substr(0, dot));
    // `ts01.` has an empty subdomain, which the reference does not count either.
    if (dot != std::string::npos && dot + 1 < name.size()) result.subdomains.insert(name.substr(dot + 1));
  }
  if (result.subdomains.size() > 1) result.names = names;
  return result;
}

std::vector<std::string> MatchingHostnames(const std::vector<std::string>& a,
                                           const std::vector<std::string>& b) {
  std::set<std::string> matching;
  NormalisedHostnames norm_a = NormaliseHostnames(a);
  if (norm_a.subdomains.size() <= 1) {
    NormalisedHostnames norm_b = NormaliseHostnames(b);
    if (norm_b.subdomains.size() <= 1 && (norm_a.subdomains.empty() || norm_b.subdomains.empty())) {
      matching = Intersect(norm_a.names, norm_b.names);
    }
  }
  if (matching.empty()) matching = Intersect(a, b);
  // IP literals in both lists always match (see the header); the literal path has them already.
  for (const std::string& name : Intersect(a, b)) {
    if (IsIpLiteral(name)) matching.insert(name);
  }
  return std::vector<std::string>(matching.begin(), matching.end());
}

}  // namespace x2gobroker::core
