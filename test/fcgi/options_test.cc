// SPDX-License-Identifier: AGPL-3.0-or-later
#include "fcgi/options.h"

#include <doctest/doctest.h>

namespace x2gobroker::fcgi {
namespace {

TEST_SUITE("fcgi/options") {
  TEST_CASE("defaults") {
    auto options = ParseOptions({});
    REQUIRE(options.ok());
    CHECK(options->threads == 8);
    CHECK(options->workers == 0);
    CHECK(options->socket.kind == SocketSpec::Kind::kInherited);
    CHECK(options->socket_mode == 0660);
    CHECK(options->backlog == 128);
    CHECK_FALSE(options->config_file.has_value());
    CHECK_FALSE(options->debug);
    CHECK_FALSE(options->log_level.has_value());
    CHECK_FALSE(options->check_config);
  }

  TEST_CASE("every option, in both spellings") {
    auto options = ParseOptions({"--threads", "4", "--workers=2", "--socket", "unix:/run/x/s.sock", "--socket-mode",
                                 "0600", "--backlog=64", "-C", "/etc/b.conf", "-d", "--log-level=debug",
                                 "--check-config"});
    REQUIRE(options.ok());
    CHECK(options->threads == 4);
    CHECK(options->workers == 2);
    CHECK(options->socket.kind == SocketSpec::Kind::kUnix);
    CHECK(options->socket.path == "/run/x/s.sock");
    CHECK(options->socket_mode == 0600);
    CHECK(options->backlog == 64);
    CHECK(*options->config_file == "/etc/b.conf");
    CHECK(options->debug);
    CHECK(*options->log_level == core::LogLevel::kDebug);
    CHECK(options->check_config);

    auto long_forms = ParseOptions({"--config=/x.conf", "--debug", "--help", "--version"});
    REQUIRE(long_forms.ok());
    CHECK(*long_forms->config_file == "/x.conf");
    CHECK(long_forms->debug);
    CHECK(long_forms->help);
    CHECK(long_forms->version);
  }

  TEST_CASE("rejects bad values with a message naming the option") {
    const std::vector<std::vector<std::string>> cases = {
        {"--threads", "0"},       {"--threads", "257"},   {"--threads", "x"},        {"--threads"},
        {"--workers", "-1"},      {"--workers", "65"},    {"--backlog", "0"},        {"--socket-mode", "0999"},
        {"--socket-mode", "1777"}, {"--log-level", "loud"}, {"--socket", "nowhere"}, {"-C", ""},
        {"--debug=yes"},          {"--frobnicate"},       {"positional"},            {"--threads=8x"},
    };
    for (const auto& args : cases) {
      CAPTURE(args[0]);
      auto options = ParseOptions(args);
      CHECK_FALSE(options.ok());
      CHECK(options.status().code() == core::StatusCode::kInvalidArgument);
      CHECK_FALSE(options.status().message().empty());
    }
  }

  TEST_CASE("socket specs") {
    auto tcp = ParseSocketSpec("127.0.0.1:9000");
    REQUIRE(tcp.ok());
    CHECK(tcp->kind == SocketSpec::Kind::kTcp);
    CHECK(tcp->host == "127.0.0.1");
    CHECK(tcp->port == "9000");

    auto v6 = ParseSocketSpec("[::1]:9000");
    REQUIRE(v6.ok());
    CHECK(v6->host == "::1");

    auto name = ParseSocketSpec("localhost:9000");
    REQUIRE(name.ok());
    CHECK(name->host == "localhost");

    for (const char* bad : {":9000", "::1:9000", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:", "unix:", "host",
                            "127.0.0.1:http"}) {
      CAPTURE(bad);
      CHECK_FALSE(ParseSocketSpec(bad).ok());
    }
    CHECK_FALSE(ParseSocketSpec("unix:/" + std::string(200, 'a')).ok());
  }

  TEST_CASE("--log-dir takes a non-empty directory") {
    auto options = ParseOptions({"--log-dir", "/var/log/x2gobroker"});
    REQUIRE(options.ok());
    CHECK(*options->log_dir == "/var/log/x2gobroker");
    CHECK_FALSE(ParseOptions({}).value().log_dir.has_value());
    CHECK_FALSE(ParseOptions({"--log-dir="}).ok());
    CHECK_FALSE(ParseOptions({"--log-dir"}).ok());
  }

  TEST_CASE("the usage text names every option") {
    std::string usage = UsageText("x2gobroker-fcgi");
    for (const char* option : {"--socket ", "--socket-mode", "--backlog", "--threads", "--workers", "--config",
                               "--debug", "--log-level", "--log-dir", "--check-config", "--help", "--version"}) {
      CAPTURE(option);
      CHECK(usage.find(option) != std::string::npos);
    }
  }
}

}  // namespace
}  // namespace x2gobroker::fcgi
