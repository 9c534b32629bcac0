// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/agent_replies.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace x2gobroker::core;

namespace {

// A real PostgreSQL-backed line of PROTOCOL.md §9.4.
const std::string kPgLine =
    "40002|alice-2302-1795536707_stDXFCE_dp24|2302|ts02|S|2026-11-24T16:11:49|"
    "93a350777993a0040862c616b8631e65|192.168.77.12|47006|47007|2026-11-25T10:11:49|alice|7|47008";

std::string Bogus(const LoadFactor& f) { return f.value ? "value" : f.error; }

}  // namespace

TEST_SUITE("core/agent_replies") {
  TEST_CASE("session lines: usable lines are kept in agent order") {
    std::vector<AgentSession> s = ParseSessionLines({kPgLine, "1|sid|50|ts01|R", "2|sid|51|ts03|S|x|y"});
    REQUIRE(s.size() == 3);
    CHECK(s[0].line == kPgLine);
    CHECK(s[0].server == "ts02");
    CHECK(s[0].status == 'S');
    CHECK(s[1].server == "ts01");
    CHECK(s[1].status == 'R');
    CHECK(s[2].server == "ts03");
  }

  TEST_CASE("session lines: garbage is skipped, never an error") {
    const std::vector<std::string> skipped = {
        "",
        "1|sid|50|ts01",                // 4 fields
        "1|sid|50|ts01|T",              // terminated
        "1|sid|50|ts01|F",              // failed
        "1|sid|50|ts01|RS",             // not a single status letter
        "1|sid|50|ts01|r",              // case matters
        "1|sid|50||R",                  // no server
        "1|sid|50|ts01|R\r",            // CR (the line goes to clients verbatim)
        "1|sid|50|ts01|R|x\ny",         // LF
        std::string("1|sid|50|ts01|R|\0", 17),  // NUL
        "1|sid|50|ts01|R|\t",           // TAB is a control character too
        "1|sid|50|ts01|R|\x7f",         // DEL
        "1|sid|50|ts01|R|\xff\xfe",     // invalid UTF-8
        "OK",
    };
    for (const std::string& line : skipped) {
      CAPTURE(line);
      CHECK(ParseSessionLines({line}).empty());
    }
    CHECK(ParseSessionLines({"1|sid|50|ts01|R|caf\xc3\xa9"}).size() == 1);  // valid UTF-8 is fine
  }

  TEST_CASE("session counts per server") {
    auto counts = CountSessionsPerServer(ParseSessionLines({"1|a|1|ts01|R", "2|b|2|ts02|S", "3|c|3|ts01|S"}));
    CHECK(counts == std::map<std::string, int64_t>{{"ts01", 2}, {"ts02", 1}});
    CHECK(CountSessionsPerServer({}).empty());
  }

  TEST_CASE("getservers") {
    auto ok = ParseGetServers({"ts03 1", "ts02 2", "ts01 2"});
    REQUIRE(ok.has_value());
    CHECK(*ok == std::map<std::string, int64_t>{{"ts01", 2}, {"ts02", 2}, {"ts03", 1}});
    CHECK(ParseGetServers({})->empty());
    CHECK(ParseGetServers({"", "ts01 0", ""})->at("ts01") == 0);
    CHECK(ParseGetServers({"ts01 1000000000000"}).has_value());
    const std::vector<std::vector<std::string>> bad = {
        {"vm"},                 // SQLite: names only
        {"ts01 2", "vm"},       // one line without a count spoils the set
        {"ts01 "},
        {" 2"},
        {"ts01 -1"},
        {"ts01 +1"},
        {"ts01 1.5"},
        {"ts01  2"},
        {"ts01 2 3"},
        {"ts01 1000000000001"},
        {"ts01 99999999999999999999999"},
        {"ts01 1", "ts01 2"},   // duplicate
        {"ts01 1\r"},
    };
    for (const auto& lines : bad) {
      CAPTURE(lines[0]);
      CHECK_FALSE(ParseGetServers(lines).has_value());
    }
  }

  TEST_CASE("findbusyservers") {
    auto ok = ParseFindBusyServers({"20:ts03", "40:ts01", "40:ts02"});
    REQUIRE(ok.has_value());
    CHECK(*ok == std::map<std::string, int64_t>{{"ts01", 40}, {"ts02", 40}, {"ts03", 20}});
    CHECK(ParseFindBusyServers({})->empty());
    CHECK(ParseFindBusyServers({""})->empty());  // no sessions: one empty line
    CHECK(ParseFindBusyServers({"100:fd00::5"})->at("fd00::5") == 100);  // split at the first ':'
    const std::vector<std::string> bad = {"ts01", "40", "40:", ":ts01", "x:ts01", "-1:ts01",
                                          "101:ts01", "40:ts 01", "40:ts01\r", " 40:ts01"};
    for (const std::string& line : bad) {
      CAPTURE(line);
      CHECK_FALSE(ParseFindBusyServers({line}).has_value());
    }
    CHECK_FALSE(ParseFindBusyServers({"1:ts01", "2:ts01"}).has_value());
  }

  TEST_CASE("checkload: the reference formula") {
    struct Case {
      std::vector<std::string> lines;
      std::string expected;
    };
    const std::vector<Case> cases = {
        // PROTOCOL.md §9.3's real answer: 23.85 * 2 * 2446 * 100 / 135 = 86425.33...
        {{"loadavgXX:135", "memAvail:23850", "myMemAvail:23936", "numCPU:2", "typeCPU:2446"}, "86425"},
        // memAvail 0 → myMemAvail: 23.936 * 2 * 2446 * 100 / 135 = 86736.96 (truncated, not rounded)
        {{"loadavgXX:135", "memAvail:0", "myMemAvail:23936", "numCPU:2", "typeCPU:2446"}, "86736"},
        // order of lines and unknown keys/lines do not matter
        {{"junk", "typeCPU:1000", "x:y", "numCPU:1", "memAvail:1000", "loadavgXX:1"}, "100000"},
        // a repeated key: the last one counts
        {{"loadavgXX:2", "loadavgXX:1", "memAvail:1000", "numCPU:1", "typeCPU:1"}, "100"},
        // fractions are accepted like the reference's float()
        {{"loadavgXX:1.5", "memAvail:1000", "numCPU:1", "typeCPU:3"}, "200"},
        {{"loadavgXX:1", "memAvail:0", "myMemAvail:0", "numCPU:1", "typeCPU:1"}, "0"},
        // missing or invalid fields
        {{}, kLoadDataBogus},
        {{"loadavgXX:135", "numCPU:2", "typeCPU:2446"}, kLoadDataBogus},
        {{"loadavgXX:135", "memAvail:0", "numCPU:2", "typeCPU:2446"}, kLoadDataBogus},
        {{"loadavgXX:0", "memAvail:1", "numCPU:2", "typeCPU:2446"}, kLoadDataBogus},
        {{"loadavgXX:-1", "memAvail:1", "numCPU:2", "typeCPU:2446"}, kLoadDataBogus},
        {{"loadavgXX:nan", "memAvail:1", "numCPU:2", "typeCPU:2446"}, kLoadDataBogus},
        {{"loadavgXX:1", "memAvail:inf", "numCPU:2", "typeCPU:2446"}, kLoadDataBogus},
        {{"loadavgXX:1", "memAvail:1e3", "numCPU:2", "typeCPU:2446"}, kLoadDataBogus},
        {{"loadavgXX:1", "memAvail: 1", "numCPU:2", "typeCPU:2446"}, kLoadDataBogus},
        {{"loadavgXX:1", "memAvail:1.", "numCPU:2", "typeCPU:2446"}, kLoadDataBogus},
        {{"loadavgXX:1", "memAvail:", "numCPU:2", "typeCPU:2446"}, kLoadDataBogus},
        // overflow guard: the factor does not fit an int64
        {{"loadavgXX:1", "memAvail:99999999999999999999", "numCPU:99999999", "typeCPU:99999999"},
         kLoadDataBogus},
        {{"loadavgXX:0.0000000000000000000000000000000000001", "memAvail:1000", "numCPU:1",
          "typeCPU:1"},
         kLoadDataBogus},
    };
    for (const Case& c : cases) {
      CAPTURE(c.expected);
      CHECK(FormatLoadFactor(LoadFactorFromCheckLoad(c.lines)) == c.expected);
    }
    LoadFactor f = LoadFactorFromCheckLoad(cases[0].lines);
    CHECK(f.value == 86425);
    CHECK(f.error.empty());
  }

  TEST_CASE("load factor formatting and the load checker client's rule") {
    CHECK(FormatLoadFactor(LoadFactor{86425, ""}) == "86425");
    CHECK(FormatLoadFactor(LoadFactor{std::nullopt, kHostUnreachable}) == "HOST-UNREACHABLE");
    CHECK(FormatLoadFactor(LoadFactor{}) == "LOAD-DATA-BOGUS");
    struct Case {
      std::string text;
      std::string expected;  // value as text or the error word
    };
    const std::vector<Case> cases = {
        {"86425", "86425"},
        {" 12\n", "12"},  // Python int() strips whitespace
        {"+7", "7"},
        {"-7", "-7"},
        {"000000000000000000000000042", "42"},
        {"9223372036854775807", "9223372036854775807"},
        {"-9223372036854775808", "-9223372036854775808"},
        {"LOAD-UNAVAILABLE", "LOAD-UNAVAILABLE"},
        {"HOST-UNREACHABLE", "HOST-UNREACHABLE"},
        {"LOAD-DATA-BOGUS", "LOAD-DATA-BOGUS"},
        {"9223372036854775808", "LOAD-DATA-BOGUS"},
        {"", "LOAD-DATA-BOGUS"},
        {" ", "LOAD-DATA-BOGUS"},
        {"1.5", "LOAD-DATA-BOGUS"},
        {"1 2", "LOAD-DATA-BOGUS"},
        {"- 1", "LOAD-DATA-BOGUS"},
        {"0x10", "LOAD-DATA-BOGUS"},
        {"HOST-UNREACHABLE\n", "LOAD-DATA-BOGUS"},  // the words are compared exactly
        {"garbage", "LOAD-DATA-BOGUS"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.text);
      CHECK(FormatLoadFactor(ParseLoadFactor(c.text)) == c.expected);
    }
    CHECK(Bogus(ParseLoadFactor("5")) == "value");
  }

  TEST_CASE("load checker profile answer") {
    auto f = ParseLoadFactorList("ts01:86425\nts02:HOST-UNREACHABLE\nfd00::5:12\nnoise\n:3\nts03:x\n");
    CHECK(f.size() == 4);
    CHECK(f["ts01"].value == 86425);
    CHECK(f["ts02"].error == kHostUnreachable);
    CHECK(f["fd00::5"].value == 12);
    CHECK(f["ts03"].error == kLoadDataBogus);
    CHECK(ParseLoadFactorList("\n").empty());
  }
}
