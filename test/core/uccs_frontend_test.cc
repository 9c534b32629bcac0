// SPDX-License-Identifier: AGPL-3.0-or-later
// The UCCS API (PROTOCOL.md §7) through core::Broker with fake backends.
#include "core/uccs_frontend.h"

#include <doctest/doctest.h>

#include "core/base64.h"
#include "core/broker.h"
#include "test/fakes/fake_backend.h"
#include "test/fakes/fakes.h"

using namespace x2gobroker::core;
using namespace x2gobroker::test;

namespace {

const char* kProfiles =
    "[alias]\nname=Alias hosts\nhost=ts02 (10.0.2.12)\ncommand=mate\n\n"
    "[rdp]\nname=RDP thing\nhost=rdp.example.org\ndirectrdp=true\n\n"
    "[zeta]\nname=Zeta published apps\nhost=localhost\ncommand=xterm\nuser=\n";

struct UccsFixture {
  SessionBackendRegistry registry;
  AuthenticatorRegistry authenticators;
  FakeGroupResolver groups;
  BrokerPtr broker;

  explicit UccsFixture(bool require_password) {
    REQUIRE(registry.Register("inifile", std::make_unique<FakeBackendFactory>(kProfiles)).ok());
    REQUIRE(authenticators.Register("fake", std::make_unique<FakeFactory>()).ok());
    BrokerConfig c;
    c.require_password = require_password;
    c.default_auth_mech = "fake";
    c.enable_uccs_output = true;
    c.backends["inifile"].enable = true;
    BrokerServices services{&registry, &groups, nullptr, &authenticators, {}};
    auto created = Broker::Create(c, services, nullptr);
    REQUIRE(created.ok());
    broker = *created;
  }

  struct FakeFactory final : AuthenticatorFactory {
    Result<AuthenticatorPtr> Create(const BrokerConfig&) const override {
      return AuthenticatorPtr(std::make_shared<FakeAuthenticator>(
          std::map<std::string, std::string>{{"alice", "pa:ss"}}));
    }
  };

  HttpResponse Get(const std::string& path, const std::string& authorization = "") const {
    HttpRequest r;
    r.method = "GET";
    r.path = path;
    r.remote_addr = "127.0.0.1";
    r.authorization = authorization;
    return broker->Handle(r);
  }
};

std::string Basic(const std::string& user_colon_password) { return "Basic " + Base64Encode(user_colon_password); }

}  // namespace

TEST_SUITE("core/uccs_frontend") {
  TEST_CASE("anonymous API 5 document matches the reference's shape (PROTOCOL.md 7)") {
    UccsFixture f(false);
    HttpResponse r = f.Get("/uccs/inifile/api/5");
    REQUIRE(r.error.ok());
    CHECK(r.content_type == "text/plain; charset=utf-8");
    CHECK(r.body ==
          "{\n"
          "  \"AdditionalManagementServers\": [],\n"
          "  \"DefaultServer\": \"Zeta published apps\",\n"
          "  \"Name\": \"X2Go Session Broker\",\n"
          "  \"RemoteDesktopServers\": [\n"
          "    {\n"
          "      \"Command\": \"MATE\",\n"
          "      \"CommandRequired\": true,\n"
          "      \"Name\": \"Alias hosts\",\n"
          "      \"Password\": \"\",\n"
          "      \"Protocol\": \"x2go\",\n"
          "      \"URL\": \"http://10.0.2.12:22/\",\n"
          "      \"Username\": \"anonymous\"\n"
          "    },\n"
          "    {\n"
          "      \"DomainRequired\": true,\n"
          "      \"Name\": \"RDP thing\",\n"
          "      \"Password\": \"\",\n"
          "      \"Protocol\": \"rdp\",\n"
          "      \"URL\": \"http://rdp.example.org/\",\n"
          "      \"Username\": \"anonymous\",\n"
          "      \"WindowsDomain\": \"LOCAL\"\n"
          "    },\n"
          "    {\n"
          "      \"Command\": \"xterm\",\n"
          "      \"CommandRequired\": true,\n"
          "      \"Name\": \"Zeta published apps\",\n"
          "      \"Password\": \"\",\n"
          "      \"Protocol\": \"x2go\",\n"
          "      \"URL\": \"http://localhost:22/\",\n"
          "      \"Username\": \"\"\n"
          "    }\n"
          "  ],\n"
          "  \"URL\": \"http://localhost:8080/uccs/inifile/\"\n"
          "}");
  }

  TEST_CASE("API 4 uses SessionType; other versions are 404 (reference: treated as 5)") {
    UccsFixture f(false);
    HttpResponse r = f.Get("/uccs/inifile/api/4/");
    CHECK(r.body.find("\"SessionType\": \"MATE\"") != std::string::npos);
    CHECK(r.body.find("\"SessionTypeRequired\": true") != std::string::npos);
    CHECK(f.Get("/uccs/inifile/api/3").error.code() == StatusCode::kNotFound);
    CHECK(f.Get("/uccs/nosuch/api/5").error.code() == StatusCode::kNotFound);
  }

  TEST_CASE("Basic credentials: split at the first colon, e-mail local part, 401 with realm") {
    UccsFixture f(true);
    HttpResponse none = f.Get("/uccs/inifile/api/5");
    CHECK(none.error.code() == StatusCode::kUnauthenticated);
    REQUIRE(none.headers.size() == 1);
    CHECK(none.headers[0].second == "Basic realm=\"Authentication required\"");
    CHECK(f.Get("/uccs/inifile/api/5", Basic("alice:wrong")).error.code() == StatusCode::kUnauthenticated);
    CHECK(f.Get("/uccs/inifile/api/5", "Basic %%%").error.code() == StatusCode::kUnauthenticated);
    HttpResponse ok = f.Get("/uccs/inifile/api/5", Basic("alice:pa:ss"));
    REQUIRE(ok.error.ok());
    CHECK(ok.body.find("\"Username\": \"alice\"") != std::string::npos);
    HttpResponse mail = f.Get("/uccs/inifile/api/5", Basic("alice@example.org:pa:ss"));
    REQUIRE(mail.error.ok());
    CHECK(mail.log_user == "alice");
  }

  TEST_CASE("uccs output disabled is 404, wrong method 405") {
    UccsFixture f(false);
    HttpRequest r;
    r.method = "POST";
    r.path = "/uccs/inifile/api/5";
    r.remote_addr = "127.0.0.1";
    CHECK(f.broker->Handle(r).error.code() == StatusCode::kMethodNotAllowed);
  }
}

TEST_SUITE("core/base64") {
  TEST_CASE("round trip and strictness") {
    CHECK(Base64Encode("alice:pa:ss") == "YWxpY2U6cGE6c3M=");
    CHECK(*Base64Decode("YWxpY2U6cGE6c3M=") == "alice:pa:ss");
    CHECK(*Base64Decode("") == "");
    CHECK_FALSE(Base64Decode("YWx").has_value());
    CHECK_FALSE(Base64Decode("YW=x").has_value());
    CHECK_FALSE(Base64Decode("YW x").has_value());
  }
}
