// SPDX-License-Identifier: AGPL-3.0-or-later
#include "loadchecker/options.h"

#include <doctest/doctest.h>

using namespace x2gobroker;
using namespace x2gobroker::loadchecker;

TEST_SUITE("loadchecker/options") {
  TEST_CASE("defaults and every option") {
    core::Result<Options> o = ParseOptions({});
    REQUIRE(o.ok());
    CHECK_FALSE(o->once);
    CHECK(o->socket_mode == 0660);
    o = ParseOptions({"-C", "/etc/x.conf", "--socket=/run/x/lc.sock", "--socket-mode", "0600", "--once",
                      "--log-level", "debug"});
    REQUIRE(o.ok());
    CHECK(*o->config_file == "/etc/x.conf");
    CHECK(*o->socket == "/run/x/lc.sock");
    CHECK(o->socket_mode == 0600);
    CHECK(o->once);
    CHECK(*o->log_level == core::LogLevel::kDebug);
  }

  TEST_CASE("--query takes two words, even ones that look like options") {
    core::Result<Options> o = ParseOptions({"--query", "inifile", "--odd id", "--socket", "/s"});
    REQUIRE(o.ok());
    CHECK(o->query->first == "inifile");
    CHECK(o->query->second == "--odd id");
    CHECK(*o->socket == "/s");
  }

  TEST_CASE("bad command lines") {
    CHECK_FALSE(ParseOptions({"--query", "inifile"}).ok());
    CHECK_FALSE(ParseOptions({"--once", "--query", "a", "b"}).ok());
    CHECK_FALSE(ParseOptions({"--socket", "relative"}).ok());
    CHECK_FALSE(ParseOptions({"--socket", "/" + std::string(200, 's')}).ok());
    CHECK_FALSE(ParseOptions({"--socket-mode", "999"}).ok());
    CHECK_FALSE(ParseOptions({"--once=yes"}).ok());
    CHECK_FALSE(ParseOptions({"--bogus"}).ok());
  }
}
