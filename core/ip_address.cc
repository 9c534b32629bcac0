// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/ip_address.h"

#include <arpa/inet.h>

#include <cstring>

#include "core/value_parser.h"

namespace x2gobroker::core {

std::optional<IpAddress> IpAddress::Parse(std::string_view text) {
  if (text.empty() || text.size() > 64) return std::nullopt;
  std::string s(text);
  // Zone ids (fe80::1%eth0) are not meaningful for ACLs.
  IpAddress out;
  in_addr v4{};
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    std::memcpy(out.bytes.data(), &v4, 4);
    return out;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    static const uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(&v6, kMappedPrefix, 12) == 0) {
      std::memcpy(out.bytes.data(), reinterpret_cast<const uint8_t*>(&v6) + 12, 4);
      return out;
    }
    out.v6 = true;
    std::memcpy(out.bytes.data(), &v6, 16);
    return out;
  }
  return std::nullopt;
}

std::string IpAddress::ToString() const {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(v6 ? AF_INET6 : AF_INET, bytes.data(), buf, sizeof buf);
  return buf;
}

std::optional<IpNetwork> IpNetwork::Parse(std::string_view text) {
  size_t slash = text.find('/');
  auto address = IpAddress::Parse(text.substr(0, slash));
  if (!address) return std::nullopt;
  const int max_prefix = address->v6 ? 128 : 32;
  int prefix = max_prefix;
  if (slash != std::string_view::npos) {
    std::string_view digits = text.substr(slash + 1);
    if (digits.empty() || digits.size() > 3) return std::nullopt;
    for (char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
    }
    prefix = static_cast<int>(*ParseInt(digits));
    // An IPv4-mapped network (::ffff:10.0.0.0/104) was normalised to IPv4 above.
    if (!address->v6 && text.substr(0, slash).find(':') != std::string_view::npos) prefix -= 96;
    if (prefix < 0 || prefix > max_prefix) return std::nullopt;
  }
  return IpNetwork{*address, prefix};
}

bool IpNetwork::Contains(const IpAddress& address) const {
  if (address.v6 != base.v6) return false;
  int full_bytes = prefix / 8;
  if (std::memcmp(address.bytes.data(), base.bytes.data(), full_bytes) != 0) return false;
  int rest = prefix % 8;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (address.bytes[full_bytes] & mask) == (base.bytes[full_bytes] & mask);
}

}  // namespace x2gobroker::core
