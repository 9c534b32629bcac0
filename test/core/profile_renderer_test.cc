// SPDX-License-Identifier: AGPL-3.0-or-later
// Rendering checked against the reference's answers recorded in PROTOCOL.md §5.3 and §6.3.
#include "core/profile_renderer.h"

#include <doctest/doctest.h>

#include "test/core/profiles_from_ini.h"

using namespace x2gobroker::core;
using x2gobroker::test::ProfilesFromIni;

namespace {

const char* kReferenceProfiles =
    "[zeta-apps]\nname=Zeta published apps\nhost=localhost\ncommand=xterm\npublished=true\n"
    "applications=TERMINAL,WWWBROWSER\n\n"
    "[alpha]\nname=Alpha Terminal\nhost=127.0.0.1\ncommand=TERMINAL\nusebrokerpass=true\n\n"
    "[pool-b]\nname=Pool B (load-balanced)\nhost=srv-b1.example.org, srv-b2.example.org\ncommand=xfce\nsshport=2222\n";

// The defaults tail of §5.3.1, from kdrive on (sshport and applications at their positions).
std::string Tail(bool with_applications, bool with_sshport, const char* rootless) {
  std::string t =
      "kdrive=0\ndefsndport=1\nuseiconv=0\niconvfrom=UTF-8\nheight=600\nexport=\nquality=9\nfullscreen=0\n"
      "layout=\nuseexports=1\nwidth=800\nspeed=2\nsoundsystem=pulse\nprint=1\ntype=auto\nsndport=4713\n"
      "xinerama=1\nvariant=\nusekbd=1\nfstunnel=1\n";
  if (with_applications) t += "applications=TERMINAL,WWWBROWSER,MAILCLIENT,OFFICE\n";
  t += "multidisp=0\nsshproxyport=22\nsound=1\n";
  t += std::string("rootless=") + rootless + "\n";
  t += "iconvto=UTF-8\nsoundtunnel=1\ndpi=96\n";
  if (with_sshport) t += "sshport=22\n";
  t += "setdpi=0\npack=16m-jpeg\nuser=foo\n";
  return t;
}

std::string RenderAllPlain(const ProfileBuildResult& built, const std::string& user) {
  std::string out = "Access granted\nSTART_USER_SESSIONS\n\n";
  for (const SessionProfilePtr& p : built.profiles.profiles) {
    AppendPlainProfile(ProfileRendering{*p, user, false, nullptr, ""}, &out);
  }
  return out + "END_USER_SESSIONS\n";
}

}  // namespace

TEST_SUITE("core/profile_renderer") {
  TEST_CASE("plain listsessions is byte-identical to the reference (PROTOCOL.md 5.3.1, 1515 bytes)") {
    auto built = ProfilesFromIni(kReferenceProfiles);
    REQUIRE(built.profiles.profiles.size() == 3);
    std::string expected = "Access granted\nSTART_USER_SESSIONS\n\n";
    expected += "[alpha]\nname=Alpha Terminal\nhost=127.0.0.1\ncommand=TERMINAL\nusebrokerpass=true\n" +
                Tail(true, true, "1") + "directrdp=0\n\n";
    expected += "[pool-b]\nname=Pool B (load-balanced)\nhost=srv-b1.example.org,srv-b2.example.org\ncommand=XFCE\n"
                "sshport=2222\n" + Tail(true, false, "0") + "directrdp=0\n\n";
    expected += "[zeta-apps]\nname=Zeta published apps\nhost=localhost\ncommand=xterm\npublished=true\n"
                "applications=TERMINAL,WWWBROWSER\n" + Tail(false, true, "1") + "directrdp=0\n\n";
    expected += "END_USER_SESSIONS\n";
    std::string actual = RenderAllPlain(built, "foo");
    CHECK(actual == expected);
    CHECK(actual.size() == 1515);
  }

  TEST_CASE("JSON listprofiles has the reference's size and shape (PROTOCOL.md 6.3, 3940 bytes)") {
    auto built = ProfilesFromIni(kReferenceProfiles);
    JsonValue::Object profiles;
    for (const SessionProfilePtr& p : built.profiles.profiles) {
      profiles.emplace_back(p->id, JsonProfile(ProfileRendering{*p, "foo", false, nullptr, ""}));
    }
    JsonValue::Object payload;
    payload.emplace_back("task", "listprofiles");
    payload.emplace_back("auth-status", "Access granted");
    payload.emplace_back("profiles", std::move(profiles));
    std::string body = DumpPythonJson(JsonValue(std::move(payload)), 4);
    CHECK(body.size() == 3940);
    CHECK(body.rfind("{\n    \"auth-status\": \"Access granted\",\n    \"profiles\": {\n        \"alpha\": {\n"
                     "            \"applications\": [\n                \"TERMINAL\",\n", 0) == 0);
    CHECK(body.find("\"usebrokerpass\": \"true\",") != std::string::npos);
    CHECK(body.find("\"sshport\": 2222,") != std::string::npos);
    CHECK(body.find("\"setdpi\": 0,") != std::string::npos);
    CHECK(body.find("\"host\": [\n                \"127.0.0.1\"\n            ],") != std::string::npos);
    CHECK(body.ends_with("        }\n    },\n    \"task\": \"listprofiles\"\n}"));
  }

  TEST_CASE("DEFAULT keys come after own keys; aliases and not-set (PROTOCOL.md 3.6, 5.3.5)") {
    auto built = ProfilesFromIni(
        "[DEFAULT]\nwidth=1024\nzzextra=1\n\n[alias]\nname=Alias hosts\n"
        "host=ts01 (10.0.2.11:2201), ts02 (10.0.2.12), ts03 (srv3.example.org:22)\ncommand=MATE\n"
        "fullscreen=false\ndpi=not-set\nrdpserver=not-set\n");
    REQUIRE(built.profiles.profiles.size() == 1);
    std::string out;
    AppendPlainProfile(ProfileRendering{*built.profiles.profiles[0], "u", false, nullptr, ""}, &out);
    CHECK(out.rfind("[alias]\nname=Alias hosts\nhost=ts01,ts02,ts03\ncommand=MATE\nfullscreen=0\nwidth=1024\n"
                    "zzextra=1\nkdrive=0\n", 0) == 0);
    CHECK(out.find("\ndpi=") == std::string::npos);
    CHECK(out.find("rdpserver") == std::string::npos);
    CHECK(out.find("rootless=0\n") != std::string::npos);
    const SessionProfile& p = *built.profiles.profiles[0];
    CHECK(p.aliases.at("ts01").address == "10.0.2.11");
    CHECK(p.aliases.at("ts01").port == 2201);
    CHECK_FALSE(p.aliases.at("ts02").port.has_value());
    CHECK_FALSE(p.aliases.at("ts03").port.has_value());
  }

  TEST_CASE("autologin, status and BROKER_USER are rendered at the end / in place") {
    auto built = ProfilesFromIni("[p]\nhost=h1,h2\n");
    std::vector<std::string> hosts = {"h2"};
    std::string out;
    AppendPlainProfile(ProfileRendering{*built.profiles.profiles[0], "alice", true, &hosts, "S"}, &out);
    CHECK(out.find("\nhost=h2\n") != std::string::npos);
    CHECK(out.find("\nuser=alice\n") != std::string::npos);
    CHECK(out.ends_with("directrdp=0\nautologin=1\nkey=<will-be-exchanged-during-session-selection>\nstatus=S\n\n"));
  }

  TEST_CASE("JSON escaping follows Python's ensure_ascii") {
    std::string out;
    AppendJsonString("a\"b\\c/\n\t\x01\x7f\xc3\xa9\xf0\x9f\x98\x80", &out);
    CHECK(out == "\"a\\\"b\\\\c/\\n\\t\\u0001\\u007f\\u00e9\\ud83d\\ude00\"");
  }

  TEST_CASE("empty containers are written inline, no trailing newline") {
    JsonValue::Object o;
    o.emplace_back("b", JsonValue::Array{});
    o.emplace_back("a", JsonValue::Object{});
    CHECK(DumpPythonJson(JsonValue(std::move(o)), 4) == "{\n    \"a\": {},\n    \"b\": []\n}");
  }
}

TEST_SUITE("core/profile_renderer") {
  TEST_CASE("the prepared plain template renders like the setting-by-setting path") {
    auto built = ProfilesFromIni(kReferenceProfiles);
    for (const SessionProfilePtr& p : built.profiles.profiles) {
      CHECK(p->plain.usable);
      SessionProfile slow = *p;
      slow.plain.usable = false;
      std::vector<std::string> hosts = {"h9"};
      for (bool autologin : {false, true}) {
        std::string fast_text, slow_text;
        AppendPlainProfile(ProfileRendering{*p, "bob", autologin, &hosts, "R"}, &fast_text);
        AppendPlainProfile(ProfileRendering{slow, "bob", autologin, &hosts, "R"}, &slow_text);
        CHECK(fast_text == slow_text);
      }
    }
    // A configured `status` key forces the slow path (it is replaced in place).
    auto with_status = ProfilesFromIni("[p]\nstatus=X\n");
    CHECK_FALSE(with_status.profiles.profiles[0]->plain.usable);
  }
}
