// SPDX-License-Identifier: AGPL-3.0-or-later
// INI/YAML equivalence (PROTOCOL.md §3.7): each pair <name>.conf / <name>.yaml in
// test/data/profiles/ (and the shipped samples in config/) must give identical typed profiles,
// identical diagnostics (apart from file:line) and byte-identical plain and JSON renderings.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "backends/ini/ini_profile_reader.h"
#include "backends/yaml/yaml_profile_reader.h"
#include "core/profile_builder.h"
#include "test/backends/profile_description.h"
#include "test/config/temp_dir.h"

namespace x2gobroker::backends {
namespace {

struct Pair {
  std::string name;
  std::string ini;
  std::string yaml;
};

std::vector<Pair> Pairs() {
  const std::string data = testing::TestDataDir() + "/profiles/";
  const std::string samples = testing::SourceRoot() + "/config/";
  std::vector<Pair> pairs;
  for (const char* name : {"protocol-3-7", "reference-5-3", "acl-broker-defaults"}) {
    pairs.push_back({name, data + name + ".conf", data + name + ".yaml"});
  }
  pairs.push_back({"config sample", samples + "x2gobroker-sessionprofiles.conf", samples + "x2gobroker-sessionprofiles.yaml"});
  return pairs;
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// "file:line: text" → "text", so that diagnostics of both formats can be compared.
std::vector<std::string> DiagnosticTexts(const core::ProfileBuildResult& built, const std::string& file) {
  std::vector<std::string> texts;
  for (const core::Diagnostic& d : built.diagnostics) {
    std::string text = d.text;
    if (text.rfind(file + ":", 0) == 0) {
      size_t end = text.find(": ", file.size() + 1);
      if (end != std::string::npos) text = text.substr(end + 2);
    }
    texts.push_back((d.severity == core::Diagnostic::Severity::kError ? "error: " : "warning: ") + text);
  }
  return texts;
}

struct Built {
  core::ProfileBuildResult ini;
  core::ProfileBuildResult yaml;
};

Built BuildPair(const Pair& pair) {
  core::Result<core::RawProfileSet> ini = ini::ReadIniProfiles(pair.ini);
  core::Result<core::RawProfileSet> yaml = yaml::ReadYamlProfiles(pair.yaml);
  REQUIRE_MESSAGE(ini.ok(), ini.status().message());
  REQUIRE_MESSAGE(yaml.ok(), yaml.status().message());
  return Built{core::BuildProfiles(ini.value()), core::BuildProfiles(yaml.value())};
}

const core::SessionProfile& Get(const core::ProfileSet& set, const std::string& id) {
  const core::SessionProfile* p = set.Find(id);
  REQUIRE_MESSAGE(p != nullptr, id);
  return *p;
}

std::vector<std::string> Keys(const core::SessionProfile& p) {
  std::vector<std::string> keys;
  for (const core::Setting& s : p.settings) keys.push_back(s.key);
  return keys;
}

TEST_SUITE("backends/equivalence") {

TEST_CASE("each INI/YAML pair gives identical profiles and renderings") {
  for (const Pair& pair : Pairs()) {
    CAPTURE(pair.name);
    Built built = BuildPair(pair);
    CHECK_FALSE(built.ini.profiles.profiles.empty());
    CHECK(testing::DescribeProfiles(built.ini.profiles) == testing::DescribeProfiles(built.yaml.profiles));
    CHECK(DiagnosticTexts(built.ini, pair.ini) == DiagnosticTexts(built.yaml, pair.yaml));
    for (bool autologin : {false, true}) {
      CAPTURE(autologin);
      CHECK(testing::RenderPlain(built.ini.profiles, "foo", autologin) ==
            testing::RenderPlain(built.yaml.profiles, "foo", autologin));
      CHECK(testing::RenderJson(built.ini.profiles, "foo", autologin) ==
            testing::RenderJson(built.yaml.profiles, "foo", autologin));
    }
  }
}

TEST_CASE("the fixtures' diagnostics are the intended ones") {
  const std::vector<std::vector<std::string>> expected = {
      {},  // protocol-3-7
      {},  // reference-5-3
      {"error: 'fullscreen' must be a boolean (1/yes/true/on or 0/no/false/off), not 'maybe'"},
      {},  // the shipped sample must load without a single complaint
  };
  std::vector<Pair> pairs = Pairs();
  for (size_t i = 0; i < pairs.size(); ++i) {
    CAPTURE(pairs[i].name);
    Built built = BuildPair(pairs[i]);
    CHECK(DiagnosticTexts(built.ini, pairs[i].ini) == expected[i]);
  }
}

TEST_CASE("reference-5-3 renders the reference broker's listing byte for byte") {
  // reference-5-3.plain: python-x2gobroker 0.0.4.3's /plain/ listsessions body for user foo
  // (after "Access granted\n"), broker without agent.
  const std::string expected = ReadText(testing::TestDataDir() + "/profiles/reference-5-3.plain");
  REQUIRE_FALSE(expected.empty());
  Built built = BuildPair(Pairs()[1]);
  CHECK(testing::RenderPlain(built.ini.profiles, "foo") == expected);
  CHECK(testing::RenderPlain(built.yaml.profiles, "foo") == expected);
}

TEST_CASE("protocol-3-7 gives the key order PROTOCOL.md §3.7 describes") {
  Built built = BuildPair(Pairs()[0]);
  const core::SessionProfile& alpha = Get(built.yaml.profiles, "alpha");
  std::vector<std::string> keys = Keys(alpha);
  REQUIRE(keys.size() > 7);
  CHECK(std::vector<std::string>(keys.begin(), keys.begin() + 7) ==
        std::vector<std::string>{"name", "host", "usebrokerpass", "width", "zzextra", "command", "kdrive"});
  CHECK(testing::DescribeValue(alpha.settings[2].value) == "s:true");
  CHECK(alpha.acl.users.allow == std::vector<std::string>{"alice", "bob"});

  const core::SessionProfile& pool = Get(built.yaml.profiles, "pool-b");
  CHECK(pool.command == "XFCE");
  CHECK(pool.sshport == 2222);
  CHECK(pool.hosts == std::vector<std::string>{"ts01", "ts02"});
  CHECK(pool.aliases.at("ts01").address == "10.0.2.11");
  CHECK(pool.aliases.at("ts01").port == std::optional<int64_t>(2201));
  CHECK_FALSE(pool.aliases.at("ts02").port.has_value());  // default port = sshport: not recorded
  CHECK(*pool.BrokerOption("session-autologin") == "true");
  CHECK(*pool.BrokerOption("agent-query-mode") == "SSH");
}

TEST_CASE("acl-broker-defaults: quirks, not-set, ACLs and the dropped profile agree") {
  Built built = BuildPair(Pairs()[2]);
  for (const core::ProfileBuildResult* result : {&built.ini, &built.yaml}) {
    const core::ProfileSet& set = result->profiles;
    std::vector<std::string> ids;
    for (const auto& p : set.profiles) ids.push_back(p->id);
    CHECK(ids == std::vector<std::string>{"alias", "lab", "shadow"});  // `broken` left out

    const core::SessionProfile& alias = Get(set, "alias");
    CHECK(alias.hosts == std::vector<std::string>{"ts01", "ts02", "ts03"});
    std::vector<std::string> keys = Keys(alias);
    CHECK(std::find(keys.begin(), keys.end(), "dpi") == keys.end());
    CHECK(std::find(keys.begin(), keys.end(), "rdpserver") == keys.end());
    CHECK(std::find(keys.begin(), keys.end(), "default") == keys.end());
    CHECK(std::vector<std::string>(keys.begin(), keys.begin() + 6) ==
          std::vector<std::string>{"name", "host", "command", "fullscreen", "width", "zzextra"});
    CHECK(*alias.BrokerOption("portscan-x2goservers") == "false");  // from the defaults
    CHECK(alias.acl.any_order == "allow-deny");

    const core::SessionProfile& lab = Get(set, "lab");
    CHECK(lab.hosts == std::vector<std::string>{"lab1.example.org", "lab2.example.org"});
    CHECK(lab.user.empty());
    keys = Keys(lab);
    CHECK(std::find(keys.begin(), keys.end(), "alias") == keys.end());  // named like a profile
    CHECK(std::find(keys.begin(), keys.end(), "quality") == keys.end());
    CHECK(lab.acl.users.deny == std::vector<std::string>{"mallory"});
    CHECK(lab.acl.groups.allow == std::vector<std::string>{"students", "staff"});
    CHECK(lab.acl.clients.allow.size() == 3);
    CHECK(lab.acl.clients.present);
    CHECK(lab.BrokerOption("sshproxy-authorized-keys") == nullptr);  // empty = absent
    CHECK(*lab.BrokerOption("session-autologin") == "TRUE");

    const core::SessionProfile& shadow = Get(set, "shadow");
    CHECK(shadow.IsShadow());
    CHECK(shadow.sshport == 2022);
  }
}

}  // TEST_SUITE

}  // namespace
}  // namespace x2gobroker::backends
