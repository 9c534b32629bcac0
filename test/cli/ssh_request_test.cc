// SPDX-License-Identifier: AGPL-3.0-or-later
// The SSH broker's request and answer mapping (PROTOCOL.md §8.2), end to end through a
// core::Broker with fake backends: same bytes as the plain frontend plus one "\n".
#include "cli/ssh_request.h"

#include <doctest/doctest.h>

#include "core/broker.h"
#include "core/form_parser.h"
#include "test/fakes/fake_backend.h"
#include "test/fakes/fakes.h"

using namespace x2gobroker::core;
using namespace x2gobroker::cli;
using namespace x2gobroker::test;

namespace {

const char* kProfiles = "[alpha]\nname=Alpha\nhost=127.0.0.1\n\n[zeta]\nname=Zeta\nhost=10.1.1.1\n";

// require-password with an auth mechanism that refuses every password, and a cookie store.
struct Fixture {
  SessionBackendRegistry registry;
  AuthenticatorRegistry authenticators;
  FakeGroupResolver groups;
  FakePortProber prober;
  std::shared_ptr<FakeCookieStore> cookies = std::make_shared<FakeCookieStore>();
  BrokerPtr broker;

  explicit Fixture(bool require_password) {
    REQUIRE(registry.Register("inifile", std::make_unique<FakeBackendFactory>(kProfiles)).ok());
    REQUIRE(authenticators.Register("none", std::make_unique<NoneAuthenticatorFactory>()).ok());
    BrokerConfig c;
    c.require_password = require_password;
    c.default_auth_mech = "refuse-all";  // not registered: every password login fails
    c.default_portscan_x2goservers = false;
    c.backends["inifile"].enable = true;
    BrokerServices services{&registry, &groups, &prober, &authenticators};
    services.cookie_store_factory = [this](const BrokerConfig&) -> Result<CookieStorePtr> {
      return CookieStorePtr(cookies);
    };
    auto created = Broker::Create(c, services, nullptr);
    REQUIRE(created.ok());
    broker = *created;
  }

  CliOutcome Run(SshBrokerCall call) const { return RenderOutcome(broker->Handle(MakePlainRequest(call)), call); }
};

SshBrokerCall Call(std::string task) {
  SshBrokerCall c;
  c.backend = "inifile";
  c.task = std::move(task);
  c.user = "alice";
  c.client_address = "10.0.0.7";
  return c;
}

}  // namespace

TEST_SUITE("cli/ssh_request") {
  TEST_CASE("form encoding round-trips through the broker's form parser") {
    const std::string hostile = "a b&c=d+e%f\"g'h;i/~._-";
    std::string body = "sid=" + FormEncode(hostile);
    FormFields fields;
    REQUIRE(ParseFormInto(body, &fields).ok());
    CHECK(fields.Get("sid") == hostile);
    CHECK(FormEncode("AZaz09-_.~") == "AZaz09-_.~");
    CHECK(FormEncode("\xc3\xa4 ") == "%C3%A4%20");
  }

  TEST_CASE("the request: POST /plain/<backend>/, fields, preauthenticated, never a password") {
    SshBrokerCall c = Call("selectsession");
    c.profile_id = "alpha";
    c.authid = "A";
    HttpRequest r = MakePlainRequest(c);
    CHECK(r.method == "POST");
    CHECK(r.path == "/plain/inifile/");
    CHECK(r.body == "task=selectsession&user=alice&authid=A&sid=alpha");
    CHECK(r.remote_addr == "10.0.0.7");
    CHECK(r.preauthenticated);
    CHECK(r.body.find("password") == std::string::npos);
  }

  TEST_CASE("answers are the plain frontend's bytes plus one newline") {
    Fixture f(false);
    CliOutcome listed = f.Run(Call("listsessions"));
    CHECK(listed.exit_code == 0);
    CHECK(listed.out.starts_with("Access granted\nSTART_USER_SESSIONS\n\n[alpha]\n"));
    CHECK(listed.out.ends_with("END_USER_SESSIONS\n\n"));
    HttpRequest plain;
    plain.method = "POST";
    plain.path = "/plain/inifile/";
    plain.body = "task=listsessions&user=alice";
    plain.remote_addr = "10.0.0.7";
    CHECK(listed.out == f.broker->Handle(plain).body + "\n");

    SshBrokerCall select = Call("selectsession");
    select.profile_id = "alpha";
    CHECK(f.Run(select).out == "Access granted\nSERVER:127.0.0.1:22\n\n");
    CHECK(f.Run(Call("setpass")).out == "Access granted\n\n");
    CHECK(f.Run(Call("clientevent")).out == "Access granted\n\n");
  }

  TEST_CASE("SSH has authenticated the user: require-password issues a cookie without asking the mechanism") {
    Fixture f(true);
    CliOutcome first = f.Run(Call("listsessions"));
    REQUIRE(first.out.starts_with("AUTHID:"));
    std::string a = first.out.substr(7, 36);
    CHECK(first.out.substr(43).starts_with("\nAccess granted\nSTART_USER_SESSIONS"));
    // the same request without the SSH flag: the mechanism refuses → 401
    HttpRequest r = MakePlainRequest(Call("listsessions"));
    r.preauthenticated = false;
    CHECK(f.broker->Handle(r).error.code() == StatusCode::kUnauthenticated);

    // a given authid is validated (§4.1 step 8): rotated once, then spent
    SshBrokerCall with_cookie = Call("listsessions");
    with_cookie.authid = a;
    CliOutcome second = f.Run(with_cookie);
    REQUIRE(second.out.starts_with("AUTHID:"));
    CHECK(second.out.substr(7, 36) != a);
    CliOutcome spent = f.Run(with_cookie);
    CHECK(spent.out.empty());  // denied: nothing on stdout
    CHECK(spent.exit_code == 0);
    REQUIRE(spent.log);
    CHECK(spent.log->first == LogLevel::kWarning);
    CHECK(spent.log->second.find("access denied") != std::string::npos);
  }

  TEST_CASE("a cookie bound to another address is refused") {
    Fixture f(true);
    std::string a = f.Run(Call("listsessions")).out.substr(7, 36);
    SshBrokerCall elsewhere = Call("listsessions");
    elsewhere.authid = a;
    elsewhere.client_address = "10.0.0.8";
    CHECK(f.Run(elsewhere).out.empty());
  }

  TEST_CASE("internal errors: nothing on stdout, exit 1, an error line") {
    HttpResponse broken = ErrorResponse(Unavailable("profile file broken"));
    CliOutcome o = RenderOutcome(broken, Call("listsessions"));
    CHECK(o.out.empty());
    CHECK(o.exit_code == 1);
    REQUIRE(o.log);
    CHECK(o.log->first == LogLevel::kError);
    CHECK(o.log->second.find("profile file broken") != std::string::npos);
  }
}
