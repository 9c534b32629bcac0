// SPDX-License-Identifier: AGPL-3.0-or-later
// IpAddress and IpNetwork: parsed IPv4/IPv6 addresses and CIDR networks for client ACLs.
// IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are normalised to IPv4 (PROTOCOL.md §13 row 16).
// Value types, thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace x2gobroker::core {

struct IpAddress {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};  // IPv4 uses the first 4 bytes

  // Parses a literal IPv4 (dotted quad) or IPv6 address; nullopt otherwise.
  static std::optional<IpAddress> Parse(std::string_view text);
  std::string ToString() const;
};

struct IpNetwork {
  IpAddress base;
  int prefix = 0;

  // Parses `addr` or `addr/prefix`; `ALL` is not handled here. nullopt if malformed.
  static std::optional<IpNetwork> Parse(std::string_view text);
  bool Contains(const IpAddress& address) const;
};

}  // namespace x2gobroker::core
