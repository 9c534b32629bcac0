// SPDX-License-Identifier: AGPL-3.0-or-later
// Tests backends/ini/ini_profile_reader.cc: INI document → RawProfileSet.
#include "backends/ini/ini_profile_reader.h"

#include <doctest/doctest.h>

#include "test/config/temp_dir.h"

namespace x2gobroker::backends::ini {
namespace {

TEST_SUITE("backends/ini") {

TEST_CASE("sections become profiles and [DEFAULT] the defaults, in file order with lines") {
  core::Result<core::RawProfileSet> raw = ParseIniProfiles(
      "# comment\n"
      "[zeta]\n"
      "name = Zeta\n"
      "host: a, b\n"
      "\n"
      "[DEFAULT]\n"
      "width=1024\n"
      "[alpha]\n"
      "user=\n"
      "command=xterm\n"
      "   -ls\n",
      "p.conf");
  REQUIRE(raw.ok());
  CHECK(raw->source == "p.conf");
  REQUIRE(raw->defaults.size() == 1);
  CHECK(raw->defaults[0].key == "width");
  CHECK(raw->defaults[0].text == "1024");
  CHECK(raw->defaults[0].line == 7);

  REQUIRE(raw->profiles.size() == 2);
  const core::RawProfile& zeta = raw->profiles[0];
  CHECK(zeta.id == "zeta");
  CHECK(zeta.line == 2);
  REQUIRE(zeta.entries.size() == 2);
  CHECK(zeta.entries[0].key == "name");
  CHECK(zeta.entries[0].text == "Zeta");
  CHECK(zeta.entries[0].line == 3);
  CHECK(zeta.entries[1].key == "host");
  CHECK(zeta.entries[1].text == "a, b");  // split later, by the builder
  CHECK_FALSE(zeta.entries[1].items.has_value());

  const core::RawProfile& alpha = raw->profiles[1];
  CHECK(alpha.id == "alpha");
  REQUIRE(alpha.entries.size() == 2);
  CHECK(alpha.entries[0].text == "");
  CHECK_FALSE(alpha.entries[0].multiline);
  CHECK(alpha.entries[1].text == "xterm\n-ls");
  CHECK(alpha.entries[1].multiline);  // refused by the builder
}

TEST_CASE("a file that cannot be parsed is InvalidArgument with file:line") {
  struct Row {
    const char* text;
    const char* prefix;
  };
  const Row rows[] = {
      {"[a]\nx=1\n[a]\n", "p.conf:3: duplicate section"},
      {"[a]\nx=1\nx=2\n", "p.conf:3: duplicate key 'x'"},
      {"[a]\nno separator\n", "p.conf:2: "},
      {"x=1\n", "p.conf:1: "},
      {"[DEFAULT]\n[DEFAULT]\n", "p.conf:2: "},
  };
  for (const Row& row : rows) {
    CAPTURE(row.text);
    core::Result<core::RawProfileSet> raw = ParseIniProfiles(row.text, "p.conf");
    REQUIRE_FALSE(raw.ok());
    CHECK(raw.status().code() == core::StatusCode::kInvalidArgument);
    CHECK(raw.status().message().rfind(row.prefix, 0) == 0);
  }
}

TEST_CASE("reading: an empty file has no profiles; a missing file is Unavailable") {
  testing::TempDir dir;
  core::Result<core::RawProfileSet> empty = ReadIniProfiles(dir.Write("empty.conf", ""));
  REQUIRE(empty.ok());
  CHECK(empty->profiles.empty());

  const std::string missing = dir.path() + "/missing.conf";
  core::Result<core::RawProfileSet> raw = ReadIniProfiles(missing);
  REQUIRE_FALSE(raw.ok());
  CHECK(raw.status().code() == core::StatusCode::kUnavailable);
  CHECK(raw.status().message().rfind(missing + ": ", 0) == 0);
}

}  // TEST_SUITE

}  // namespace
}  // namespace x2gobroker::backends::ini
