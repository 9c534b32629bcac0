// SPDX-License-Identifier: AGPL-3.0-or-later
// The broker end to end over core::HttpRequest, with fake backends (PROTOCOL.md §1, §5, §6, §13).
#include "core/broker.h"

#include <doctest/doctest.h>

#include "test/fakes/fake_backend.h"
#include "test/fakes/fakes.h"

using namespace x2gobroker::core;
using namespace x2gobroker::test;

namespace {

const char* kProfiles =
    "[alpha]\nname=Alpha\nhost=127.0.0.1\n\n"
    "[secret]\nname=Secret\nhost=10.9.9.9\nacl-users-allow=admin\nacl-users-deny=ALL\nacl-users-order=allow-deny\n";

struct Fixture {
  SessionBackendRegistry registry;
  FakeGroupResolver groups;
  FakePortProber prober;
  BrokerPtr broker;

  explicit Fixture(BrokerConfig config = NoAuthConfig()) {
    REQUIRE(registry.Register("inifile", std::make_unique<FakeBackendFactory>(kProfiles)).ok());
    REQUIRE(registry.Register("broken", std::make_unique<FakeBackendFactory>("")).ok());
    REQUIRE(registry.Register("zeroconf", std::make_unique<FakeBackendFactory>(kProfiles)).ok());
    config.backends["inifile"].enable = true;
    config.backends["broken"].enable = true;
    config.backends["zeroconf"].enable = false;
    auto created = Broker::Create(config, BrokerServices{&registry, &groups, &prober}, nullptr);
    REQUIRE(created.ok());
    broker = *created;
  }

  static BrokerConfig NoAuthConfig() {
    BrokerConfig c;
    c.require_password = false;
    c.default_auth_mech = "none";
    c.default_portscan_x2goservers = false;
    return c;
  }

  HttpResponse Post(const std::string& path, const std::string& body, const std::string& ip = "127.0.0.1") const {
    HttpRequest r;
    r.method = "POST";
    r.path = path;
    r.body = body;
    r.remote_addr = ip;
    r.content_type = "application/x-www-form-urlencoded";
    return broker->Handle(r);
  }
  HttpResponse Method(const std::string& method, const std::string& path) const {
    HttpRequest r;
    r.method = method;
    r.path = path;
    r.remote_addr = "127.0.0.1";
    return broker->Handle(r);
  }
};

std::string Header(const HttpResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

}  // namespace

TEST_SUITE("core/broker") {
  TEST_CASE("root page and 404s decided before any task") {
    Fixture f;
    HttpResponse root = f.Method("GET", "/");
    CHECK(root.error.ok());
    CHECK(root.body.size() == 72);
    CHECK(root.content_type == "text/html; charset=UTF-8");
    CHECK(f.Post("/plain/nosuch/", "").error.code() == StatusCode::kNotFound);
    CHECK(f.Post("/plain/INIFILE/", "").error.code() == StatusCode::kNotFound);
    CHECK(f.Post("/plain/zeroconf/", "").error.code() == StatusCode::kNotFound);  // disabled
    CHECK(f.Post("/plain/inifile_broker;import os/", "").error.code() == StatusCode::kNotFound);
    CHECK(f.Post("/plain/inifile/", "", "").error.code() == StatusCode::kNotFound);  // no client address
    CHECK(f.Post("/nowhere", "").error.code() == StatusCode::kNotFound);
  }

  TEST_CASE("GET without debug, and other methods, are 405 with Allow") {
    Fixture f;
    HttpResponse get = f.Method("GET", "/plain/inifile/");
    CHECK(get.error.code() == StatusCode::kMethodNotAllowed);
    CHECK(Header(get, "Allow") == "POST");
    CHECK(f.Method("PUT", "/json/inifile/").error.code() == StatusCode::kMethodNotAllowed);
    CHECK(Header(f.Method("POST", "/"), "Allow") == "GET, HEAD");
    CHECK(f.Method("POST", "/uccs/").error.code() == StatusCode::kMethodNotAllowed);
    CHECK(f.Method("HEAD", "/uccs/").body.size() == 26);
  }

  TEST_CASE("GET is served in explicit debug mode") {
    BrokerConfig c = Fixture::NoAuthConfig();
    c.env.debug = true;
    Fixture f(c);
    HttpRequest r;
    r.method = "GET";
    r.path = "/plain/inifile/";
    r.query = "task=selectsession&sid=alpha&user=foo";
    r.remote_addr = "127.0.0.1";
    HttpResponse resp = f.broker->Handle(r);
    CHECK(resp.body == "Access granted\nSERVER:127.0.0.1:22\n");
  }

  TEST_CASE("plain answers of PROTOCOL.md 5.2 and 5.3.2") {
    Fixture f;
    CHECK(f.Post("/plain/inifile/", "user=foo&password=bar").body == "Access granted\n");
    CHECK(f.Post("/plain/inifile/", "task=setpass&user=foo").body == "Access granted\n");
    CHECK(f.Post("/plain/inifile/", "task=selectsession&user=foo").body == "Access granted\n");
    HttpResponse sel = f.Post("/plain/", "task=selectsession&sid=alpha&user=foo&password=bar&authid=");
    CHECK(sel.body == "Access granted\nSERVER:127.0.0.1:22\n");
    CHECK(sel.content_type == "text/plain; charset=utf-8");
    CHECK(f.Post("/plain/inifile/", "task=selectsession&sid=nonexistent&user=foo").body ==
          "Access granted\nSERVER:no-server-available:22\n");
    HttpResponse list = f.Post("/plain/inifile/", "task=listsessions&user=foo&password=&authid=");
    CHECK(list.body.find("[alpha]\n") != std::string::npos);
    CHECK(list.body.find("[secret]") == std::string::npos);
    CHECK(list.body.ends_with("END_USER_SESSIONS\n"));
  }

  TEST_CASE("selectsession checks ACLs (reference bug: it does not), denied looks unknown") {
    Fixture f;
    CHECK(f.Post("/plain/inifile/", "task=selectsession&sid=secret&user=foo").body ==
          "Access granted\nSERVER:no-server-available:22\n");
    CHECK(f.Post("/plain/inifile/", "task=selectsession&sid=secret&user=admin").body ==
          "Access granted\nSERVER:10.9.9.9:22\n");
  }

  TEST_CASE("testcon answers Access granted with padding (reference: a bare OK)") {
    Fixture f;
    HttpResponse plain = f.Post("/plain/inifile/", "task=testcon");
    CHECK(plain.body.starts_with("Access granted\n"));
    CHECK(plain.body.size() > 1024);
    CHECK(f.Post("/json/inifile/", "task=testcon").body ==
          "{\n    \"auth-status\": \"Access granted\",\n    \"task\": \"testcon\"\n}");
  }

  TEST_CASE("JSON answers of PROTOCOL.md 6.3") {
    Fixture f;
    CHECK(f.Post("/json/inifile/", "user=foo&password=bar").body ==
          "{\n    \"auth-status\": \"Access granted\",\n    \"task\": \"\"\n}");
    HttpResponse sel = f.Post("/json/inifile/", "task=selectsession&profile-id=alpha&user=foo&password=bar"
                                                "&pubkey=ssh-rsa%20AAAA%20foo@bar");
    CHECK(sel.body ==
          "{\n    \"auth-status\": \"Access granted\",\n    \"selected_session\": {\n        \"port\": \"22\",\n"
          "        \"server\": \"127.0.0.1\"\n    },\n    \"task\": \"selectsession\"\n}");
    CHECK(sel.body.size() == 153);
    CHECK(sel.content_type == "text/json; charset=utf-8");
    // sid wins over profile-id; listsessions is renamed
    CHECK(f.Post("/json/inifile/", "task=selectsession&profile-id=x&sid=alpha&user=foo").body.find("127.0.0.1") !=
          std::string::npos);
    CHECK(f.Post("/json/inifile/", "task=listsessions&user=foo").body.find("\"task\": \"listprofiles\"") !=
          std::string::npos);
    CHECK(f.Post("/json/inifile/", "task=selectsession&user=foo").body.find("\"selected_session\": {}") !=
          std::string::npos);
  }

  TEST_CASE("bad input is a 400 with a public reason, never a crash") {
    Fixture f;
    for (const char* body : {"user=%zz", "user=a%00", "user=a%0Ab&task=listsessions", "user=%ff"}) {
      CAPTURE(body);
      HttpResponse r = f.Post("/plain/inifile/", body);
      CHECK(r.error.code() == StatusCode::kInvalidArgument);
      CHECK_FALSE(r.public_reason.empty());
    }
  }

  TEST_CASE("a backend whose profile file is broken answers 503; others keep working") {
    Fixture f;
    CHECK(f.Post("/plain/broken/", "task=listsessions").error.code() == StatusCode::kUnavailable);
    CHECK(f.Post("/plain/inifile/", "task=listsessions").error.ok());
  }

  TEST_CASE("require-cookie without any configured cookie refuses the configuration") {
    BrokerConfig c = Fixture::NoAuthConfig();
    c.require_cookie = true;
    c.my_cookie_file = "/nonexistent/x2gobroker.authid";
    SessionBackendRegistry registry;
    FakeGroupResolver groups;
    CHECK_FALSE(Broker::Create(c, BrokerServices{&registry, &groups, nullptr}, nullptr).ok());
  }
}

TEST_SUITE("core/broker") {
  TEST_CASE("a bare testcon is answered even when a login is required (reference: 401, client exits)") {
    BrokerConfig c = Fixture::NoAuthConfig();
    c.require_password = true;
    c.default_auth_mech = "none";
    Fixture f(c);
    CHECK(f.Post("/plain/inifile/", "task=testcon").body.starts_with("Access granted\n"));
    // with credentials it is a normal request: here no cookie store exists, so it cannot log in
    CHECK(f.Post("/plain/inifile/", "task=testcon&user=u&password=p").error.code() == StatusCode::kUnavailable);
    CHECK(f.Post("/plain/inifile/", "task=listsessions").error.code() == StatusCode::kUnavailable);
  }

  TEST_CASE("/pubkeys/ answers GET with text/plain and refuses POST with 405") {
    Fixture f;
    HttpResponse r = f.Method("GET", "/pubkeys/");
    CHECK(r.error.ok());
    CHECK(r.content_type == "text/plain; charset=utf-8");
    CHECK(f.Method("POST", "/pubkeys").error.code() == StatusCode::kMethodNotAllowed);
  }
}

TEST_SUITE("core/broker") {
  TEST_CASE("/metrics: GET from loopback only, 405 for other methods") {
    Fixture f;
    HttpRequest r;
    r.method = "GET";
    r.path = "/metrics";
    for (const char* loopback : {"127.0.0.1", "127.9.8.7", "::1", "::ffff:127.0.0.1"}) {
      CAPTURE(loopback);
      r.remote_addr = loopback;
      HttpResponse ok = f.broker->Handle(r);
      CHECK(ok.error.ok());
      CHECK(ok.content_type == "text/plain; version=0.0.4; charset=utf-8");
      CHECK(ok.body.find("# TYPE x2gobroker_http_requests_total counter\n") != std::string::npos);
    }
    for (const char* remote : {"192.0.2.1", "::2", "", "localhost", "::ffff:192.0.2.1"}) {
      CAPTURE(remote);
      r.remote_addr = remote;
      CHECK(f.broker->Handle(r).error.code() == StatusCode::kPermissionDenied);
    }
    HttpResponse post = f.Method("POST", "/x2gobroker/metrics");
    CHECK(post.error.code() == StatusCode::kMethodNotAllowed);
    CHECK(Header(post, "Allow") == "GET");
  }
}
