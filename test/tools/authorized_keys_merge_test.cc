// SPDX-License-Identifier: AGPL-3.0-or-later
#include "tools/authorized_keys_merge.h"

#include <doctest/doctest.h>

#include <string>

using namespace x2gobroker::tools;

namespace {

// Keys made with ssh-keygen (ed25519; RSA-2048).
const std::string kEd = "AAAAC3NzaC1lZDI1NTE5AAAAIG80VW46nY3PwSzwd/ccw8x5SJesSlU5mVbXMfcR7Kko";
const std::string kRsa = "AAAAB3NzaC1yc2EAAAADAQABAAABAQCe+VeG4lv+0DJ5j70G3n/9QB/4FUvLw2C2XR0leBt/tmg4/dqRAabDS1Qr1mru2PaomDJYpn9zqNqoKrO2W/psVzl++5e0DZSECH3oAIcVEmBra88u1YLcC2e/M6qz8I30mqnBTHU8gSKbjGnVW0kx+k1IKNU9+JxPE/74uF2t7b9V8HPKIOFOVnJ0pIDCJzFq32M6h/E80IOui/DlRJyGxf8auE8M8tCC6JEKYPVnAY0DDSzot3udsOEZeFVXs8U4KR3kTXyJMaTAiRfXVW20Xws6f+pf+FFIcx3YeWIwaAgnw8STAAr7aInNJ3akn3jK/qU3G+W2bc8pFdQtWTgl";
const std::string kOpts = std::string(kBrokerKeyOptions);

std::string BrokerLine(const std::string& type, const std::string& blob, const std::string& comment = "") {
  return kOpts + " " + type + " " + blob + (comment.empty() ? "" : " " + comment);
}

}  // namespace

TEST_SUITE("tools/authorized_keys_merge") {
  TEST_CASE("parses /pubkeys/ lines, skipping empty and # lines, canonical output") {
    const std::string body = "# broker keys\r\n\n" + BrokerLine("ssh-rsa", kRsa, "x2gobroker@broker.example.org") +
                             "\r\n  \n" + BrokerLine("ssh-ed25519", kEd) + "\n" + BrokerLine("ssh-ed25519", kEd) + "\n";
    auto keys = ParseBrokerKeyLines(body);
    REQUIRE(keys.ok());
    REQUIRE(keys->size() == 2);
    CHECK((*keys)[0].line == BrokerLine("ssh-rsa", kRsa, "x2gobroker@broker.example.org"));
    CHECK((*keys)[1].key.type == "ssh-ed25519");
    CHECK((*keys)[1].line == BrokerLine("ssh-ed25519", kEd));
  }

  TEST_CASE("refuses the whole body for one bad line") {
    const std::string good = BrokerLine("ssh-ed25519", kEd) + "\n";
    const char* bad[] = {
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG80VW46nY3PwSzwd/ccw8x5SJesSlU5mVbXMfcR7Kko",  // no forced command
        "command=\"/bin/sh\",no-port-forwarding,no-X11-forwarding,no-agent-forwarding,no-pty ssh-ed25519 AAAA",
        "<html><body>Not found</body></html>",
    };
    for (const char* line : bad) {
      CAPTURE(line);
      auto keys = ParseBrokerKeyLines(good + line + "\n");
      REQUIRE_FALSE(keys.ok());
      CHECK(keys.status().message().rfind("line 2:", 0) == 0);
    }
    CHECK_FALSE(ParseBrokerKeyLines(BrokerLine("ssh-dss", "AAAAB3NzaC1kc3MAAACBAP") + "\n").ok());
    CHECK_FALSE(ParseBrokerKeyLines(BrokerLine("ssh-ed25519", kEd.substr(0, 40)) + "\n").ok());
    CHECK_FALSE(ParseBrokerKeyLines(BrokerLine("ssh-ed25519", kEd, "a;b") + "\n").ok());
    CHECK_FALSE(ParseBrokerKeyLines(BrokerLine("ssh-ed25519", kEd) + " $(id)\n").ok());
    CHECK_FALSE(ParseBrokerKeyLines("").ok());             // no key at all
    CHECK_FALSE(ParseBrokerKeyLines("# nothing\n\n").ok());
    CHECK_FALSE(ParseBrokerKeyLines(std::string(kMaxPubkeysBytes + 1, '#')).ok());
  }

  TEST_CASE("merge appends, is idempotent, adds a final newline, drops unrestricted entries") {
    auto keys = ParseBrokerKeyLines(BrokerLine("ssh-rsa", kRsa, "x2gobroker@b") + "\n");
    REQUIRE(keys.ok());
    const std::string other = "ssh-ed25519 " + kEd + " admin@laptop";
    const std::string old_unrestricted = "ssh-rsa " + kRsa + " x2gobroker@b";
    const std::string existing = other + "\n" + old_unrestricted + "\nfrom=\"10.0.0.1\" ssh-rsa " + kRsa;

    AuthorizedKeysMerge first = MergeAuthorizedKeys(existing, *keys);
    CHECK(first.added == 1);
    CHECK(first.removed == 2);
    CHECK(first.present == 0);
    CHECK(first.changed());
    CHECK(first.text == other + "\n" + BrokerLine("ssh-rsa", kRsa, "x2gobroker@b") + "\n");

    AuthorizedKeysMerge second = MergeAuthorizedKeys(first.text, *keys);
    CHECK(second.added == 0);
    CHECK(second.removed == 0);
    CHECK(second.present == 1);
    CHECK_FALSE(second.changed());
    CHECK(second.text == first.text);
  }

  TEST_CASE("merge into an empty or newline-less file") {
    auto keys = ParseBrokerKeyLines(BrokerLine("ssh-ed25519", kEd) + "\n");
    REQUIRE(keys.ok());
    CHECK(MergeAuthorizedKeys("", *keys).text == BrokerLine("ssh-ed25519", kEd) + "\n");
    AuthorizedKeysMerge m = MergeAuthorizedKeys("# mine", *keys);
    CHECK(m.text == "# mine\n" + BrokerLine("ssh-ed25519", kEd) + "\n");
    // Already installed (another comment), only the final newline is missing.
    AuthorizedKeysMerge n = MergeAuthorizedKeys(BrokerLine("ssh-ed25519", kEd, "old@broker"), *keys);
    CHECK(n.added == 0);
    CHECK(n.present == 1);
    CHECK(n.text == BrokerLine("ssh-ed25519", kEd, "old@broker") + "\n");
    CHECK(n.changed());
  }
}
