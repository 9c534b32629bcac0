// SPDX-License-Identifier: AGPL-3.0-or-later
// Tests core/auth/pam_protocol.cc (the frame codec between the broker and
// x2gobroker-authservice). Lives in test/backends because broker_auth is built from
// backends/auth_pam/CMakeLists.txt and linked through broker_backends.
#include "core/auth/pam_protocol.h"

#include <doctest/doctest.h>

#include <string>

namespace x2gobroker::core::auth {
namespace {

std::string Frame(uint32_t length, std::string body) {
  std::string f{static_cast<char>(length >> 24), static_cast<char>(length >> 16), static_cast<char>(length >> 8),
                static_cast<char>(length)};
  return f + body;
}

std::string Field(std::string_view s) {
  return std::string{static_cast<char>(s.size() >> 8), static_cast<char>(s.size() & 0xff)} + std::string(s);
}

// A request frame built by hand, with the length computed from the body.
std::string Request(std::string_view user, std::string_view password, std::string_view client, char type = 0x02) {
  std::string body = std::string(1, type) + Field(user) + Field(password) + Field(client);
  return Frame(static_cast<uint32_t>(body.size()), body);
}

TEST_SUITE("core/auth/pam_protocol") {

TEST_CASE("a request round-trips and matches the documented layout") {
  Result<SecretString> frame = EncodeAuthenticateRequest("alice", "s3cret", "192.0.2.7");
  REQUIRE(frame.ok());
  CHECK(frame->view() == Request("alice", "s3cret", "192.0.2.7"));
  Result<AuthenticateRequest> decoded = DecodeAuthenticateRequest(frame->view());
  REQUIRE(decoded.ok());
  CHECK(decoded->user == "alice");
  CHECK(decoded->password.view() == "s3cret");
  CHECK(decoded->client_address == "192.0.2.7");
}

TEST_CASE("any byte value may appear in a password, including CR, LF and NUL") {
  std::string password;
  for (int b = 0; b < 256; ++b) password += static_cast<char>(b);
  password += "\r\n\r\n";
  Result<SecretString> frame = EncodeAuthenticateRequest("bob", password, "");
  REQUIRE(frame.ok());
  Result<AuthenticateRequest> decoded = DecodeAuthenticateRequest(frame->view());
  REQUIRE(decoded.ok());
  CHECK(decoded->password.view() == password);
  CHECK(decoded->client_address.empty());
}

TEST_CASE("fields at their limits fit in one frame; one byte more is refused") {
  std::string user(kMaxUserBytes, 'u');
  std::string password(kMaxPasswordBytes, '\xff');
  std::string client(kMaxClientAddressBytes, 'c');
  Result<SecretString> frame = EncodeAuthenticateRequest(user, password, client);
  REQUIRE(frame.ok());
  CHECK(frame->size() <= kMaxFrameBytes);
  CHECK(DecodeAuthenticateRequest(frame->view()).ok());
  CHECK_FALSE(EncodeAuthenticateRequest(user + "u", password, client).ok());
  CHECK_FALSE(EncodeAuthenticateRequest(user, password + "p", client).ok());
  CHECK_FALSE(EncodeAuthenticateRequest(user, password, client + "c").ok());
  CHECK_FALSE(DecodeAuthenticateRequest(Request(user + "u", password, client)).ok());
  CHECK_FALSE(DecodeAuthenticateRequest(Request(user, password + "p", client)).ok());
  CHECK_FALSE(DecodeAuthenticateRequest(Request(user, password, client + "c")).ok());
}

TEST_CASE("the encoder refuses what the decoder would refuse") {
  struct Case {
    const char* name;
    std::string user, password, client;
  };
  const Case cases[] = {
      {"empty user", "", "pw", ""},
      {"empty password", "u", "", ""},
      {"NUL in user", std::string("a\0b", 3), "pw", ""},
      {"CR in user", "a\rb", "pw", ""},
      {"LF in user", "a\nb", "pw", ""},
      {"DEL in user", "a\x7f", "pw", ""},
      {"space in client", "u", "pw", "1.2.3.4 x"},
      {"LF in client", "u", "pw", "1.2.3.4\n"},
      {"non-ASCII client", "u", "pw", "\xc3\xa9"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    Result<SecretString> encoded = EncodeAuthenticateRequest(c.user, c.password, c.client);
    CHECK(encoded.status().code() == StatusCode::kInvalidArgument);
    CHECK(DecodeAuthenticateRequest(Request(c.user, c.password, c.client)).status().code() ==
          StatusCode::kInvalidArgument);
  }
}

TEST_CASE("malformed request frames are errors, never partial results") {
  const std::string good = Request("alice", "pw", "::1");
  const std::string body = good.substr(4);
  struct Case {
    const char* name;
    std::string frame;
  };
  const Case cases[] = {
      {"empty input", ""},
      {"truncated header", good.substr(0, 3)},
      {"header only", good.substr(0, 4)},
      {"zero length", Frame(0, "")},
      {"oversized length", Frame(kMaxFrameBodyBytes + 1, std::string(kMaxFrameBodyBytes + 1, 'x'))},
      {"huge length", Frame(0xffffffffu, body)},
      {"truncated body", good.substr(0, good.size() - 1)},
      {"bytes after the frame", good + "x"},
      {"a second frame after the first", good + good},
      {"answer type where a request belongs", Request("alice", "pw", "::1", 0x03)},
      {"unknown even type", Request("alice", "pw", "::1", 0x04)},
      {"type zero", Request("alice", "pw", "::1", 0x00)},
      {"no fields", Frame(1, "\x02")},
      {"truncated field length", Frame(2, std::string("\x02\x00", 2))},
      {"field longer than the frame", Frame(4, std::string("\x02\x00\x09u", 4))},
      {"only two fields", Frame(static_cast<uint32_t>(1 + Field("a").size() + Field("b").size()),
                                "\x02" + Field("a") + Field("b"))},
      {"bytes after the last field", Frame(static_cast<uint32_t>(body.size() + 1), body + "z")},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    Result<AuthenticateRequest> decoded = DecodeAuthenticateRequest(c.frame);
    CHECK_FALSE(decoded.ok());
    CHECK(decoded.status().code() == StatusCode::kInvalidArgument);
  }
}

TEST_CASE("frame headers: 1..4092 body bytes") {
  CHECK(DecodeFrameHeader(Frame(1, "")).ok());
  CHECK(*DecodeFrameHeader(Frame(4092, "")) == 4092);
  CHECK_FALSE(DecodeFrameHeader(Frame(4093, "")).ok());
  CHECK_FALSE(DecodeFrameHeader(Frame(0, "")).ok());
  CHECK_FALSE(DecodeFrameHeader(std::string("\x00\x00\x01", 3)).ok());
  CHECK_FALSE(DecodeFrameHeader(Frame(0x01000001, "")).ok());  // big-endian: 16 MiB, not 0x01
}

TEST_CASE("answers round-trip; requests, payloads and unknown types are refused") {
  for (Answer a : {Answer::kOk, Answer::kFail, Answer::kUnavailable}) {
    std::string frame = EncodeAnswer(a);
    CHECK(frame.size() == 5);
    Result<Answer> decoded = DecodeAnswer(frame);
    REQUIRE(decoded.ok());
    CHECK(*decoded == a);
    CHECK((static_cast<uint8_t>(frame[4]) & 1) == 1);  // answers are odd
  }
  CHECK(EncodeAnswer(Answer::kOk) == std::string("\0\0\0\1\3", 5));
  CHECK(EncodeAnswer(Answer::kFail) == std::string("\0\0\0\1\5", 5));
  CHECK(EncodeAnswer(Answer::kUnavailable) == std::string("\0\0\0\1\7", 5));
  CHECK_FALSE(DecodeAnswer(std::string("\0\0\0\1\2", 5)).ok());       // a request type
  CHECK_FALSE(DecodeAnswer(std::string("\0\0\0\1\x09", 5)).ok());     // unknown odd type
  CHECK_FALSE(DecodeAnswer(std::string("\0\0\0\2\3x", 6)).ok());      // payload
  CHECK_FALSE(DecodeAnswer(std::string("\0\0\0\1", 4)).ok());         // truncated
  CHECK_FALSE(DecodeAnswer(std::string("\0\0\0\1\3\3", 6)).ok());     // trailing byte
  CHECK_FALSE(DecodeAnswer("ok\n").ok());                             // the reference's answer
  CHECK_FALSE(DecodeAnswer(Request("a", "b", "")).ok());
}

TEST_CASE("the reference's line protocol is not a frame") {
  CHECK_FALSE(DecodeAuthenticateRequest("alice\rpassword\rx2gobroker\n").ok());
}

}  // TEST_SUITE

}  // namespace
}  // namespace x2gobroker::core::auth
