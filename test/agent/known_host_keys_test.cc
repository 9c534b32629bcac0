// SPDX-License-Identifier: AGPL-3.0-or-later
// KnownHostKeys and HostKeyFingerprint (agent/known_hosts.h), used by x2gobroker-testagent -A.
#include <doctest/doctest.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "agent/known_hosts.h"
#include "core/base64.h"

using namespace x2gobroker::agent;

namespace {

// A key made with `ssh-keygen -t ed25519`; `ssh-keygen -lf` printed the fingerprint below.
constexpr const char* kEd25519 = "AAAAC3NzaC1lZDI1NTE5AAAAIG80VW46nY3PwSzwd/ccw8x5SJesSlU5mVbXMfcR7Kko";
constexpr const char* kEd25519Fingerprint = "SHA256:XWQBd2jhBLLdji9nYB5xs98J70yJkXegfZgPn7ZtoBI";

std::string Blob(const char* base64) { return *x2gobroker::core::Base64Decode(base64); }

}  // namespace

TEST_SUITE("agent/known_hosts") {
  TEST_CASE("HostKeyFingerprint matches ssh-keygen -l") {
    CHECK(HostKeyFingerprint(Blob(kEd25519)) == kEd25519Fingerprint);
  }

  TEST_CASE("KnownHostKeys lists the keys of the names, not revoked ones, without duplicates") {
    char path[] = "/tmp/known-host-keys-XXXXXX";
    int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    close(fd);
    {
      std::ofstream out(path);
      out << "# comment\n"
          << "[10.0.0.1]:2222 ssh-ed25519 " << kEd25519 << "\n"
          << "other ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n"
          << "[10.0.0.1]:2222,[ts01]:2222 ssh-ed25519 " << kEd25519 << "\n"
          << "@revoked [10.0.0.1]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB\n";
    }
    std::vector<std::string> keys = KnownHostKeys({"/nonexistent/known_hosts", path}, {KnownHostsName("10.0.0.1", 2222)});
    REQUIRE(keys.size() == 1);
    CHECK(keys[0] == Blob(kEd25519));
    CHECK(KnownHostKeys({path}, {KnownHostsName("10.0.0.2", 22)}).empty());
    unlink(path);
  }
}
