// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/broker_pubkeys.h"

#include <doctest/doctest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

using x2gobroker::core::LoadBrokerPubkeys;

namespace {
struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/x2gobroker-pubkeys-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  void Write(const std::string& name, const std::string& text) const { std::ofstream(path + "/" + name) << text; }
};
constexpr const char* kEd = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAa/Lf7iw85CXkwp6e63WquM/4BaVrhniJ+ypz6aNCV2";
constexpr const char* kRsa = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7";
}  // namespace

TEST_SUITE("core/broker_pubkeys") {
  TEST_CASE("an ed25519-only key directory is served; with an RSA key only RSA is") {
    TempDir d;
    CHECK(LoadBrokerPubkeys("x2gobroker", "/usr/lib/x2go/x2gobroker-agent", d.path).empty());
    d.Write("id_ed25519.pub", std::string(kEd) + " x2gobroker@b\n");
    std::string served = LoadBrokerPubkeys("x2gobroker", "/usr/lib/x2go/x2gobroker-agent", d.path);
    CHECK(served.rfind("command=\"/usr/lib/x2go/x2gobroker-agent\",no-port-forwarding,no-X11-forwarding,"
                       "no-agent-forwarding,no-pty ssh-ed25519 AAAAC3", 0) == 0);
    CHECK(served.find("\n") == served.size() - 1);
    d.Write("id_rsa.pub", std::string(kRsa) + "\n");
    served = LoadBrokerPubkeys("x2gobroker", "/usr/lib/x2go/x2gobroker-agent", d.path);
    CHECK(served.find("ssh-rsa AAAAB3") != std::string::npos);
    CHECK(served.find("ssh-ed25519") == std::string::npos);  // the reference's authorizer would abort
  }
}
