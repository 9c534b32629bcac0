// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/load_checker_protocol.h"

#include <doctest/doctest.h>

#include <string>

using namespace x2gobroker::core;
using namespace x2gobroker::core::load_checker;

namespace {

std::string U32(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>((v >> 16) & 0xff), static_cast<char>((v >> 8) & 0xff),
          static_cast<char>(v & 0xff)};
}
std::string U16(size_t v) { return {static_cast<char>((v >> 8) & 0xff), static_cast<char>(v & 0xff)}; }
std::string Str(const std::string& s) { return U16(s.size()) + s; }
// A frame with a correct length header around `type` and `payload`.
std::string Frame(uint8_t type, const std::string& payload) {
  return U32(static_cast<uint32_t>(1 + payload.size())) + static_cast<char>(type) + payload;
}
LoadFactor Value(int64_t v) { return LoadFactor{v, ""}; }
LoadFactor Word(const char* w) { return LoadFactor{std::nullopt, w}; }

}  // namespace

TEST_SUITE("core/load_checker_protocol") {
  TEST_CASE("request round trip, UTF-8 and spaces in the profile id") {
    Result<std::string> frame = EncodeProfileLoadRequest("inifile", "pool A \xc3\xa4");
    REQUIRE(frame.ok());
    CHECK(*frame == Frame(0x02, Str("inifile") + Str("pool A \xc3\xa4")));
    Result<ProfileLoadRequest> r = DecodeProfileLoadRequest(*frame);
    REQUIRE(r.ok());
    CHECK(r->backend == "inifile");
    CHECK(r->profile_id == "pool A \xc3\xa4");
  }

  TEST_CASE("requests with a bad field are not encoded") {
    CHECK_FALSE(EncodeProfileLoadRequest("", "p").ok());
    CHECK_FALSE(EncodeProfileLoadRequest("inifile", "").ok());
    CHECK_FALSE(EncodeProfileLoadRequest("inifile", "a\rb").ok());
    CHECK_FALSE(EncodeProfileLoadRequest("inifile", "a\nb").ok());
    CHECK_FALSE(EncodeProfileLoadRequest("inifile", std::string("a\0b", 3)).ok());
    CHECK_FALSE(EncodeProfileLoadRequest("inifile", "a\x7f").ok());
    CHECK_FALSE(EncodeProfileLoadRequest(std::string(kMaxBackendBytes + 1, 'b'), "p").ok());
    CHECK_FALSE(EncodeProfileLoadRequest("inifile", std::string(kMaxProfileIdBytes + 1, 'p')).ok());
    CHECK(EncodeProfileLoadRequest(std::string(kMaxBackendBytes, 'b'), std::string(kMaxProfileIdBytes, 'p')).ok());
  }

  TEST_CASE("answer round trip: values, the three words, negative and extreme values") {
    std::map<std::string, LoadFactor> loads = {
        {"ts01", Value(86425)},
        {"ts02", Word(kHostUnreachable)},
        {"ts03", Word(kLoadDataBogus)},
        {"ts04", Word(kLoadUnavailable)},
        {"ts05", Value(-1)},
        {"ts06", Value(INT64_MAX)},
        {"ts07", Value(INT64_MIN)},
        {"fe80::1", Value(0)},
    };
    Result<std::string> frame = EncodeLoadsAnswer(loads);
    REQUIRE(frame.ok());
    Result<LoadAnswer> a = DecodeAnswer(*frame);
    REQUIRE(a.ok());
    CHECK(a->known_profile);
    REQUIRE(a->loads.size() == loads.size());
    for (const auto& [host, f] : loads) {
      CAPTURE(host);
      CHECK(a->loads.at(host).value == f.value);
      CHECK(a->loads.at(host).error == f.error);
    }
  }

  TEST_CASE("an empty answer and the unknown-profile answer differ") {
    Result<LoadAnswer> empty = DecodeAnswer(*EncodeLoadsAnswer({}));
    REQUIRE(empty.ok());
    CHECK(empty->known_profile);
    CHECK(empty->loads.empty());
    CHECK(EncodeUnknownProfileAnswer() == Frame(0x05, ""));
    Result<LoadAnswer> unknown = DecodeAnswer(EncodeUnknownProfileAnswer());
    REQUIRE(unknown.ok());
    CHECK_FALSE(unknown->known_profile);
  }

  TEST_CASE("a factor with neither value nor known word goes out as LOAD-DATA-BOGUS") {
    Result<LoadAnswer> a = DecodeAnswer(*EncodeLoadsAnswer({{"h", LoadFactor{}}, {"i", Word("whatever")}}));
    REQUIRE(a.ok());
    CHECK(a->loads.at("h").error == kLoadDataBogus);
    CHECK(a->loads.at("i").error == kLoadDataBogus);
  }

  TEST_CASE("answers at the limits fit; beyond them they are refused") {
    std::map<std::string, LoadFactor> loads;
    for (size_t i = 0; i < kMaxHosts; ++i) {
      std::string host = std::to_string(i);
      host += std::string(kMaxHostBytes - host.size(), 'x');
      loads[host] = Value(static_cast<int64_t>(i));
    }
    Result<std::string> frame = EncodeLoadsAnswer(loads);
    REQUIRE(frame.ok());
    CHECK(frame->size() <= kMaxFrameBytes);
    CHECK(DecodeAnswer(*frame).ok());
    loads["one too many"] = Value(1);
    CHECK_FALSE(EncodeLoadsAnswer(loads).ok());
    CHECK_FALSE(EncodeLoadsAnswer({{std::string(kMaxHostBytes + 1, 'h'), Value(1)}}).ok());
    CHECK_FALSE(EncodeLoadsAnswer({{"bad\nhost", Value(1)}}).ok());
  }

  TEST_CASE("frame header") {
    CHECK(*DecodeFrameHeader(U32(1)) == 1);
    CHECK(*DecodeFrameHeader(U32(kMaxFrameBytes - kFrameHeaderBytes)) == kMaxFrameBytes - kFrameHeaderBytes);
    CHECK_FALSE(DecodeFrameHeader(U32(0)).ok());
    CHECK_FALSE(DecodeFrameHeader(U32(kMaxFrameBytes - kFrameHeaderBytes + 1)).ok());
    CHECK_FALSE(DecodeFrameHeader(U32(0xffffffff)).ok());
    CHECK_FALSE(DecodeFrameHeader("abc").ok());
  }

  TEST_CASE("hostile requests are InvalidArgument") {
    const std::string good = Str("inifile") + Str("p");
    struct Case {
      const char* name;
      std::string frame;
    };
    const Case cases[] = {
        {"empty", ""},
        {"header only", U32(1)},
        {"truncated", Frame(0x02, good).substr(0, 8)},
        {"trailing byte", Frame(0x02, good) + "x"},
        {"length too small", U32(3) + '\x02' + good},
        {"answer type", Frame(0x03, good)},
        {"unknown request type", Frame(0x04, good)},
        {"bytes after the fields", Frame(0x02, good + "z")},
        {"field length beyond the frame", Frame(0x02, Str("inifile") + U16(200) + "p")},
        {"missing second field", Frame(0x02, Str("inifile"))},
        {"empty backend", Frame(0x02, Str("") + Str("p"))},
        {"CR in the profile id", Frame(0x02, Str("inifile") + Str("a\rb"))},
        {"NUL in the backend", Frame(0x02, Str(std::string("ini\0", 4)) + Str("p"))},
        {"profile id too long", Frame(0x02, Str("inifile") + Str(std::string(kMaxProfileIdBytes + 1, 'p')))},
    };
    for (const Case& c : cases) {
      CAPTURE(c.name);
      Result<ProfileLoadRequest> r = DecodeProfileLoadRequest(c.frame);
      CHECK_FALSE(r.ok());
      if (!r.ok()) CHECK(r.status().code() == StatusCode::kInvalidArgument);
    }
    CHECK(DecodeProfileLoadRequest(Frame(0x02, good)).ok());
  }

  TEST_CASE("hostile answers are InvalidArgument") {
    const std::string value = std::string(1, '\0') + std::string(7, '\0') + '\x05';
    struct Case {
      const char* name;
      std::string frame;
    };
    const Case cases[] = {
        {"request type", Frame(0x02, "")},
        {"unknown answer type", Frame(0x07, "")},
        {"payload in unknown-profile", Frame(0x05, "x")},
        {"missing count", Frame(0x03, "")},
        {"count beyond the entries", Frame(0x03, U16(2) + Str("a") + value)},
        {"count above the limit", Frame(0x03, U16(kMaxHosts + 1))},
        {"truncated value", Frame(0x03, U16(1) + Str("a") + value.substr(0, 5))},
        {"unknown kind", Frame(0x03, U16(1) + Str("a") + '\x04')},
        {"repeated host", Frame(0x03, U16(2) + Str("a") + '\x01' + Str("a") + '\x01')},
        {"hosts out of order", Frame(0x03, U16(2) + Str("b") + '\x01' + Str("a") + '\x01')},
        {"empty host", Frame(0x03, U16(1) + Str("") + '\x01')},
        {"LF in a host", Frame(0x03, U16(1) + Str("a\nb") + '\x01')},
        {"bytes after the entries", Frame(0x03, U16(1) + Str("a") + '\x01' + "z")},
        {"trailing byte after the frame", Frame(0x03, U16(0)) + "z"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.name);
      Result<LoadAnswer> a = DecodeAnswer(c.frame);
      CHECK_FALSE(a.ok());
      if (!a.ok()) CHECK(a.status().code() == StatusCode::kInvalidArgument);
    }
    Result<LoadAnswer> ok = DecodeAnswer(Frame(0x03, U16(2) + Str("a") + value + Str("b") + '\x02'));
    REQUIRE(ok.ok());
    CHECK(ok->loads.at("a").value == 5);
    CHECK(ok->loads.at("b").error == kHostUnreachable);
  }
}
