// SPDX-License-Identifier: AGPL-3.0-or-later
// Tests backends/yaml/yaml_profile_reader.cc: the YAML profile format of PROTOCOL.md §3.7.
#include "backends/yaml/yaml_profile_reader.h"

#include <doctest/doctest.h>

#include "test/config/temp_dir.h"

namespace x2gobroker::backends::yaml {
namespace {

const core::RawEntry* FindEntry(const std::vector<core::RawEntry>& entries, const std::string& key) {
  for (const core::RawEntry& e : entries) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

TEST_SUITE("backends/yaml") {

TEST_CASE("defaults and profiles in document order, with 1-based lines") {
  core::Result<core::RawProfileSet> raw = ParseYamlProfiles(
      "# profiles\n"
      "profiles:\n"
      "  zeta:\n"
      "    name: Zeta\n"
      "  alpha:\n"
      "    host: [a, b]\n"
      "defaults:\n"
      "  width: 1024\n",
      "p.yaml");
  REQUIRE_MESSAGE(raw.ok(), raw.status().message());
  CHECK(raw->source == "p.yaml");
  REQUIRE(raw->profiles.size() == 2);
  CHECK(raw->profiles[0].id == "zeta");
  CHECK(raw->profiles[0].line == 3);
  REQUIRE(raw->profiles[0].entries.size() == 1);
  CHECK(raw->profiles[0].entries[0].key == "name");
  CHECK(raw->profiles[0].entries[0].line == 4);
  CHECK(raw->profiles[1].id == "alpha");
  REQUIRE(raw->defaults.size() == 1);
  CHECK(raw->defaults[0].key == "width");
  CHECK(raw->defaults[0].text == "1024");
  CHECK(raw->defaults[0].line == 8);
}

TEST_CASE("scalars keep their source text, never YAML's typing") {
  struct Row {
    const char* yaml_value;
    const char* text;
  };
  const Row rows[] = {
      {"true", "true"},   {"yes", "yes"},       {"0x10", "0x10"},       {"1_024", "1_024"},
      {"1.50", "1.50"},   {"~", ""},            {"null", ""},           {"", ""},
      {"''", ""},         {"'null'", "null"},   {"\"  padded  \"", "padded"}, {"not-set", "not-set"},
      {"!!int 07", "07"}, {"Alpha Terminal", "Alpha Terminal"},       {"'a: b'", "a: b"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.yaml_value);
    core::Result<core::RawProfileSet> raw =
        ParseYamlProfiles(std::string("profiles:\n  p:\n    key: ") + row.yaml_value + "\n", "p.yaml");
    REQUIRE_MESSAGE(raw.ok(), raw.status().message());
    REQUIRE(raw->profiles.size() == 1);
    REQUIRE(raw->profiles[0].entries.size() == 1);
    const core::RawEntry& e = raw->profiles[0].entries[0];
    CHECK(e.text == row.text);
    CHECK_FALSE(e.items.has_value());
    CHECK_FALSE(e.multiline);
  }
}

TEST_CASE("acl: and broker: expand to prefixed keys; sequences only for list keys") {
  core::Result<core::RawProfileSet> raw = ParseYamlProfiles(
      "defaults:\n"
      "  acl:\n"
      "    any-order: allow-deny\n"
      "profiles:\n"
      "  p:\n"
      "    host:\n"
      "      - ts01 (10.0.2.11:2201)\n"
      "      - ~\n"
      "    applications: []\n"
      "    acl:\n"
      "      users-allow: [alice, bob]\n"
      "      users-deny: ALL\n"
      "      clients-allow: [\"::1\"]\n"
      "    broker:\n"
      "      session-autologin: true\n"
      "    acl-groups-deny: [ALL]\n"
      "  empty:\n",
      "p.yaml");
  REQUIRE_MESSAGE(raw.ok(), raw.status().message());
  REQUIRE(raw->defaults.size() == 1);
  CHECK(raw->defaults[0].key == "acl-any-order");
  CHECK(raw->defaults[0].text == "allow-deny");
  CHECK(raw->defaults[0].line == 3);

  const std::vector<core::RawEntry>& e = raw->profiles[0].entries;
  std::vector<std::string> keys;
  for (const core::RawEntry& entry : e) keys.push_back(entry.key);
  CHECK(keys == std::vector<std::string>{"host", "applications", "acl-users-allow", "acl-users-deny",
                                         "acl-clients-allow", "broker-session-autologin", "acl-groups-deny"});
  CHECK(FindEntry(e, "host")->items == std::optional<std::vector<std::string>>({"ts01 (10.0.2.11:2201)", ""}));
  CHECK(FindEntry(e, "applications")->items == std::optional<std::vector<std::string>>(std::vector<std::string>{}));
  CHECK(FindEntry(e, "acl-users-allow")->items == std::optional<std::vector<std::string>>({"alice", "bob"}));
  CHECK(FindEntry(e, "acl-users-allow")->line == 11);
  CHECK(FindEntry(e, "acl-users-deny")->text == "ALL");  // a scalar: the INI list rule applies later
  CHECK_FALSE(FindEntry(e, "acl-users-deny")->items.has_value());
  CHECK(FindEntry(e, "broker-session-autologin")->text == "true");

  REQUIRE(raw->profiles.size() == 2);
  CHECK(raw->profiles[1].id == "empty");
  CHECK(raw->profiles[1].entries.empty());
}

TEST_CASE("multi-line scalars are marked, for the builder to refuse") {
  core::Result<core::RawProfileSet> raw = ParseYamlProfiles("profiles:\n  p:\n    name: |\n      a\n      b\n", "p.yaml");
  REQUIRE(raw.ok());
  const core::RawEntry& e = raw->profiles[0].entries[0];
  CHECK(e.text == "a\nb");
  CHECK(e.multiline);
}

TEST_CASE("empty documents have no profiles") {
  for (const char* text : {"", "# nothing\n", "---\n", "profiles:\n", "defaults:\nprofiles: {}\n"}) {
    CAPTURE(text);
    core::Result<core::RawProfileSet> raw = ParseYamlProfiles(text, "p.yaml");
    REQUIRE_MESSAGE(raw.ok(), raw.status().message());
    CHECK(raw->profiles.empty());
    CHECK(raw->defaults.empty());
  }
}

TEST_CASE("structural problems fail the whole file with file:line") {
  struct Row {
    const char* text;
    int line;
    const char* contains;
  };
  const Row rows[] = {
      {"profiles:\n  a:\n    name: x\n  a:\n    name: y\n", 4, "duplicate profile id 'a'"},
      {"profiles:\n  a:\n    name: x\n    name: y\n", 4, "duplicate key 'name'"},
      {"profiles:\n  a:\n    acl-users-allow: x\n    acl:\n      users-allow: y\n", 5, "duplicate key 'acl-users-allow'"},
      {"defaults:\n  broker:\n    session-autologin: 1\n    session-autologin: 0\n", 4, "duplicate key 'broker-session-autologin'"},
      {"profiles: {}\nprofiles: {}\n", 2, "duplicate top-level key 'profiles'"},
      {"profile:\n  a: {}\n", 1, "unknown top-level key 'profile'"},
      {"- a\n- b\n", 1, "top level must be a map"},
      {"profiles: [a, b]\n", 1, "'profiles' must be a map"},
      {"profiles:\n  a: text\n", 2, "profile 'a' must be a map"},
      {"defaults: [1]\n", 1, "'defaults' must be a map"},
      {"profiles:\n  a:\n    command: [xterm, -ls]\n", 3, "'command' takes a single value"},
      {"profiles:\n  a:\n    broker:\n      agent-query-mode: [SSH]\n", 4, "'broker-agent-query-mode' takes a single value"},
      {"profiles:\n  a:\n    acl:\n      users-order: [allow-deny]\n", 4, "'acl-users-order' takes a single value"},
      {"profiles:\n  a:\n    name:\n      first: x\n", 3, "'name' cannot take a map"},
      {"profiles:\n  a:\n    acl: ALL\n", 3, "'acl:' must be a map"},
      {"profiles:\n  a:\n    host:\n      - [a, b]\n", 4, "items of 'host' must be scalars"},
      {"profiles:\n  a:\n    host: [a, b\n", 4, "YAML syntax error"},
      {"profiles:\n  a: {}\n---\nprofiles: {}\n", 4, "only one YAML document"},
      {"profiles:\n  a:\n    <<: {name: x}\n", 3, "merge keys"},
      {"profiles:\n  DEFAULT:\n    name: x\n", 2, "'DEFAULT' is reserved"},
      {"profiles:\n  ? [a, b]\n  : {}\n", 2, "keys must be scalars"},
      {"profiles:\n  a:\n    ~: x\n", 3, "empty key"},
      {"profiles:\n  a:\n    name: x\n   bad: indentation\n", 4, "YAML syntax error"},
      {"profiles:\n  a:\n    name: \"a\tb\" x\n", 3, "YAML syntax error"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.text);
    core::Result<core::RawProfileSet> raw = ParseYamlProfiles(row.text, "p.yaml");
    REQUIRE_FALSE(raw.ok());
    CHECK(raw.status().code() == core::StatusCode::kInvalidArgument);
    const std::string& message = raw.status().message();
    CHECK_MESSAGE(message.rfind("p.yaml:" + std::to_string(row.line) + ": ", 0) == 0, message);
    CHECK_MESSAGE(message.find(row.contains) != std::string::npos, message);
  }
}

TEST_CASE("anchors and aliases are plain YAML and work") {
  core::Result<core::RawProfileSet> raw = ParseYamlProfiles(
      "profiles:\n"
      "  a: &common\n"
      "    command: XFCE\n"
      "    host: &hosts [h1, h2]\n"
      "  b: *common\n",
      "p.yaml");
  REQUIRE_MESSAGE(raw.ok(), raw.status().message());
  REQUIRE(raw->profiles.size() == 2);
  CHECK(raw->profiles[1].entries.size() == 2);
  CHECK(raw->profiles[1].entries[0].text == "XFCE");
}

TEST_CASE("reading: a missing file is Unavailable") {
  testing::TempDir dir;
  const std::string missing = dir.path() + "/missing.yaml";
  core::Result<core::RawProfileSet> raw = ReadYamlProfiles(missing);
  REQUIRE_FALSE(raw.ok());
  CHECK(raw.status().code() == core::StatusCode::kUnavailable);
  CHECK(raw.status().message().rfind(missing + ": ", 0) == 0);
  core::Result<core::RawProfileSet> good = ReadYamlProfiles(dir.Write("p.yaml", "profiles:\n  a: {}\n"));
  REQUIRE(good.ok());
  CHECK(good->source == dir.path() + "/p.yaml");
}

}  // TEST_SUITE

}  // namespace
}  // namespace x2gobroker::backends::yaml
