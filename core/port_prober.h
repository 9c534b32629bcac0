// SPDX-License-Identifier: AGPL-3.0-or-later
// PortProber: "is an SSH server listening there?" before a server is handed to a client
// (PROTOCOL.md §10.2 step 4.7, `default-portscan-x2goservers`). Thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <string>

namespace x2gobroker::core {

class PortProber {
 public:
  virtual ~PortProber() = default;
  // True if a TCP connection to host:port succeeds within the prober's time-out.
  // `host` is a host name or an IP literal; every resolved address is tried in order.
  virtual bool IsReachable(const std::string& host, int port) const = 0;
};

// The real prober: non-blocking connect(2), then the SSH identification line, both within
// `timeout` per host (all addresses share it). A port that accepts but never speaks SSH (a
// hung sshd) counts as unreachable.
class TcpPortProber final : public PortProber {
 public:
  explicit TcpPortProber(std::chrono::milliseconds timeout = std::chrono::milliseconds(1500)) : timeout_(timeout) {}
  // core::PortProber
  bool IsReachable(const std::string& host, int port) const override;

 private:
  std::chrono::milliseconds timeout_;
};

}  // namespace x2gobroker::core
