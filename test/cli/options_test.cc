// SPDX-License-Identifier: AGPL-3.0-or-later
// The SSH broker's command line (PROTOCOL.md §8.1, §8.2, §13 row 29).
#include "cli/options.h"

#include <doctest/doctest.h>

using namespace x2gobroker::cli;

namespace {
CliOptions Parse(const std::vector<std::string>& args) {
  auto parsed = ParseCliOptions(args);
  REQUIRE_MESSAGE(parsed.ok(), parsed.status().message());
  return parsed.value();
}
std::string Error(const std::vector<std::string>& args) {
  auto parsed = ParseCliOptions(args);
  REQUIRE_FALSE(parsed.ok());
  return parsed.status().message();
}
}  // namespace

TEST_SUITE("cli/options") {
  TEST_CASE("X2Go Client's listsessions and selectsession command lines (8.1)") {
    CliOptions o = Parse({"--user", "foo", "--authid", "a-b", "--task", "listsessions"});
    CHECK(*o.user == "foo");
    CHECK(*o.authid == "a-b");
    CHECK(*o.task == "listsessions");
    CHECK_FALSE(o.profile_id);
    o = Parse({"--user", "foo", "--task", "selectsession", "--sid", "alpha", "--authid", "x", "--login", "bar"});
    CHECK(*o.profile_id == "alpha");
    CHECK(*o.login == "bar");
  }

  TEST_CASE("aliases of the reference: --auth-cookie = --next-authid = --authid, --profile-id = --sid") {
    for (const char* name : {"--auth-cookie", "--next-authid", "--authid"}) {
      CAPTURE(name);
      CHECK(*Parse({name, "T"}).authid == "T");
    }
    CHECK(*Parse({"--profile-id", "p"}).profile_id == "p");
    CHECK(*Parse({"--sid=p"}).profile_id == "p");
    CHECK(*Parse({"--authid", "A", "--authid", "B"}).authid == "B");  // last one wins
  }

  TEST_CASE("config file, backend, debug, -i, --check-config, --help") {
    CliOptions o = Parse({"-C", "/x.conf", "--backend", "yaml", "-d", "-i", "--check-config"});
    CHECK(*o.config_file == "/x.conf");
    CHECK(*o.backend == "yaml");
    CHECK(o.debug);
    CHECK(o.log_to_stderr);
    CHECK(o.check_config);
    CHECK(*Parse({"--config-file=/y.conf"}).config_file == "/y.conf");
    CHECK(Parse({"--debug", "-h"}).help);
    CHECK_FALSE(Parse({}).task);
  }

  TEST_CASE("setpass: --newpass accepted (reference: unrecognized arguments, exit 2)") {
    CliOptions o = Parse({"--user", "u", "--task", "setpass", "--newpass", "s3cret"});
    CHECK(*o.task == "setpass");
    CHECK(*o.new_password == "s3cret");
  }

  TEST_CASE("clientevent: every option of X2Go Client 4.1.2.3 accepted, event line without the password") {
    CliOptions o = Parse({"--user", "u", "--authid", "A", "--task", "clientevent", "--sid", "\"alpha\"", "--event",
                          "CONNECT", "--server", "\"h1\"", "--client", "\"10.0.0.1\"", "--login", "\"u\"", "--cmd",
                          "\"XFCE\"", "--display", "\"50\"", "--start", "\"2026-11-25T10:00:00\"", "--elapsed", "12",
                          "--version", "\"4.1.2.3\"", "--os", "Linux", "--newpass", "pw"});
    REQUIRE(o.event_fields.size() == 9);
    CHECK(o.event_fields[0] == std::pair<std::string, std::string>{"event", "CONNECT"});
    CHECK(o.event_fields[8] == std::pair<std::string, std::string>{"os", "Linux"});
    std::string line = DescribeClientEvent(o, "u");
    CHECK(line.starts_with("client event CONNECT for u (profile \"alpha\"): server=\"h1\""));
    CHECK(line.find("elapsed=12") != std::string::npos);
    CHECK(line.find("pw") == std::string::npos);
    CHECK(line.find('\n') == std::string::npos);
  }

  TEST_CASE("an event value with a newline stays on one log line") {
    CliOptions o = Parse({"--event", "A\nB"});
    CHECK(DescribeClientEvent(o, "u\n").find('\n') == std::string::npos);
  }

  TEST_CASE("arguments after -- are collected and ignored") {
    CliOptions o = Parse({"--task", "testcon", "--", "--task", "listsessions", "x"});
    CHECK(*o.task == "testcon");
    CHECK(o.after_double_dash == std::vector<std::string>{"--task", "listsessions", "x"});
  }

  TEST_CASE("errors name the option") {
    CHECK(Error({"--bogus"}) == "--bogus: unknown option");
    CHECK(Error({"--task"}) == "--task: missing value");
    CHECK(Error({"--event"}) == "--event: missing value");
    CHECK(Error({"-d=1"}).find("-d=1") != std::string::npos);
    CHECK(Error({"--debug=1"}) == "--debug: takes no value");
    CHECK(Error({"stray"}) == "unexpected argument 'stray'");
    CHECK(Error({"-M", "HTTP"}) == "-M: unknown option");  // the reference's daemon modes are not ours
  }

  TEST_CASE("usage text names the tasks and the options") {
    std::string usage = UsageText("x2gobroker");
    CHECK(usage.starts_with("usage: x2gobroker --task TASK"));
    CHECK(usage.back() == '\n');
    CHECK(usage.find("--check-config") != std::string::npos);
  }
}
