// SPDX-License-Identifier: AGPL-3.0-or-later
// The option parsers of the admin tools (tools/*_options.h).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tools/keygen_options.h"
#include "tools/pubkeyauthorizer_options.h"
#include "tools/testagent_options.h"
#include "tools/testauth_options.h"

using namespace x2gobroker;
using namespace x2gobroker::tools;
using Args = std::vector<std::string>;

TEST_SUITE("tools/options") {
  TEST_CASE("keygen: default ed25519, RSA in any spelling, the reference's ---key-type") {
    KeygenOptions o;
    REQUIRE(ParseKeygenOptions({}, &o).ok());
    CHECK(o.key_type == BrokerKeyType::kEd25519);
    CHECK_FALSE(o.force);
    CHECK(o.user == "x2gobroker");
    for (const Args& args : {Args{"-t", "RSA"}, Args{"--key-type=rsa"}, Args{"---key-type", "Rsa"}}) {
      KeygenOptions r;
      REQUIRE(ParseKeygenOptions(args, &r).ok());
      CHECK(r.key_type == BrokerKeyType::kRsa);
    }
    REQUIRE(ParseKeygenOptions({"-f", "--ssh-dir", "/tmp/x", "--user", "nobody", "-t", "ED25519"}, &o).ok());
    CHECK(o.force);
    CHECK(o.ssh_dir == "/tmp/x");
    CHECK(o.user == "nobody");
    CHECK_FALSE(ParseKeygenOptions({"-t", "DSA"}, &o).ok());
    CHECK_FALSE(ParseKeygenOptions({"-t"}, &o).ok());
    CHECK_FALSE(ParseKeygenOptions({"--force=yes"}, &o).ok());
    CHECK_FALSE(ParseKeygenOptions({"extra"}, &o).ok());
  }

  TEST_CASE("testagent: defaults, hosts, required arguments per task") {
    TestagentOptions o;
    REQUIRE(ParseTestagentOptions({}, &o).ok());
    CHECK(o.local);
    CHECK(o.agent_task == core::AgentTask::kPing);
    CHECK(o.port == 22);

    REQUIRE(ParseTestagentOptions({"-H", "ts01.example.org", "-p", "2222", "-t", "listsessions", "--user", "bob", "-A"}, &o).ok());
    CHECK_FALSE(o.local);
    CHECK(o.host == "ts01.example.org");
    CHECK(o.port == 2222);
    CHECK(o.user == "bob");
    CHECK(o.add_to_known_hosts);
    CHECK(o.agent_task == core::AgentTask::kListSessions);

    REQUIRE(ParseTestagentOptions({"-p", "2222", "--host=127.0.2.1:40022"}, &o).ok());
    CHECK(o.host == "127.0.2.1");
    CHECK(o.port == 40022);  // a port in -H wins
    REQUIRE(ParseTestagentOptions({"-H", "[fd00::1]:2200"}, &o).ok());
    CHECK(o.host == "fd00::1");
    CHECK(o.port == 2200);
    REQUIRE(ParseTestagentOptions({"-H", "fd00::1"}, &o).ok());
    CHECK(o.host == "fd00::1");
    CHECK(o.port == 22);

    REQUIRE(ParseTestagentOptions({"-t", "checkload"}, &o).ok());
    REQUIRE(ParseTestagentOptions({"-t", "availabletasks"}, &o).ok());
    CHECK_FALSE(ParseTestagentOptions({"-t", "listsessions"}, &o).ok());  // needs -u
    CHECK_FALSE(ParseTestagentOptions({"-t", "rm-rf"}, &o).ok());
    CHECK_FALSE(ParseTestagentOptions({"-u", "bob", "-t", "suspendsession"}, &o).ok());
    CHECK_FALSE(ParseTestagentOptions({"-u", "bob", "-t", "addauthkey"}, &o).ok());
    CHECK_FALSE(ParseTestagentOptions({"-A"}, &o).ok());  // -A with LOCAL
    CHECK_FALSE(ParseTestagentOptions({"-H", "host:0"}, &o).ok());
    CHECK_FALSE(ParseTestagentOptions({"-H", "[fd00::1"}, &o).ok());
    CHECK_FALSE(ParseTestagentOptions({"-p", "70000"}, &o).ok());

    REQUIRE(ParseTestagentOptions({"-u", "bob", "-t", "terminatesession", "--session-id", "sid"}, &o).ok());
    CHECK(TestagentTaskArguments(o) == Args{"sid"});
    REQUIRE(ParseTestagentOptions({"-u", "bob", "-t", "addauthkey", "--pubkey", "ssh-ed25519 AAAA"}, &o).ok());
    CHECK(TestagentTaskArguments(o) == Args{"ssh-ed25519 AAAA", "%h/.x2go/authorized_keys"});
    REQUIRE(ParseTestagentOptions({"--list-tasks", "-t", "nonsense"}, &o).ok());
    CHECK(o.list_tasks);
  }

  TEST_CASE("testauth: user required, password kept out of messages") {
    TestauthOptions o;
    CHECK_FALSE(ParseTestauthOptions({}, &o).ok());
    REQUIRE(ParseTestauthOptions({"--help"}, &o).ok());
    REQUIRE(ParseTestauthOptions({"-u", "alice", "-p", "s3cret", "-b", "yaml", "-C", "/etc/x.conf", "-d"}, &o).ok());
    CHECK(o.user == "alice");
    REQUIRE(o.password.has_value());
    CHECK(o.password->view() == "s3cret");
    CHECK(o.backend == "yaml");
    CHECK(o.config_file == "/etc/x.conf");
    CHECK(o.debug);
    REQUIRE(ParseTestauthOptions({"--username=bob", "--password="}, &o).ok());
    CHECK(o.password->view().empty());
    core::Status bad = ParseTestauthOptions({"-u", "a", "-p", "hunter2", "--bogus"}, &o);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.message().find("hunter2") == std::string::npos);
  }

  TEST_CASE("pubkeyauthorizer: URL required") {
    PubkeyAuthorizerOptions o;
    CHECK_FALSE(ParsePubkeyAuthorizerOptions({}, &o).ok());
    REQUIRE(ParsePubkeyAuthorizerOptions({"-t", "https://b/pubkeys/", "--ca-file", "ca.pem"}, &o).ok());
    CHECK(o.broker_url == "https://b/pubkeys/");
    CHECK(o.ca_file == "ca.pem");
    CHECK_FALSE(o.insecure_http);
    REQUIRE(ParsePubkeyAuthorizerOptions({"--broker-url=http://b/", "--insecure-http", "--authorized-keys", "/tmp/ak",
                                          "--user", "nobody"}, &o).ok());
    CHECK(o.insecure_http);
    CHECK(o.authorized_keys == "/tmp/ak");
    CHECK(o.user == "nobody");
  }
}
