// SPDX-License-Identifier: AGPL-3.0-or-later
#include "fcgi/exchange.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>

#include "test/fcgi/test_handler.h"

namespace x2gobroker::fcgi {
namespace {

// A stdin stream over a string, counting what was read.
struct FakeStdin {
  std::string data;
  size_t position = 0;
  StreamReader Reader() {
    return [this](char* buffer, size_t size) -> size_t {
      size_t n = std::min(size, data.size() - position);
      memcpy(buffer, data.data() + position, n);
      position += n;
      return n;
    };
  }
};

FcgiParams Post(const std::string& path, const std::string& length) {
  return {{"REQUEST_METHOD", "POST"}, {"DOCUMENT_URI", path}, {"CONTENT_LENGTH", length}, {"REMOTE_ADDR", "::1"}};
}

std::string BodyOf(const Exchange& e) { return e.rendered.bytes.substr(e.rendered.bytes.find("\r\n\r\n") + 4); }

TEST_SUITE("fcgi/exchange") {
  TEST_CASE("reads exactly CONTENT_LENGTH bytes and answers with the handler") {
    testing::EchoHandler handler;
    FakeStdin in{"task=listsessions"};
    Exchange e = Answer(Post("/plain/", "17"), in.Reader(), handler);
    CHECK(e.rendered.status == 200);
    CHECK(BodyOf(e) == "v1 POST /plain/ q= b=task=listsessions a=::1");
    CHECK(e.connection_clean);
    CHECK(e.response.log_user == "tester");
  }

  TEST_CASE("a body over the limit is 413, discarded unread by the handler") {
    testing::EchoHandler handler;
    FakeStdin in{std::string(core::kMaxBodyBytes + 10, 'x')};
    Exchange e = Answer(Post("/plain/", std::to_string(core::kMaxBodyBytes + 10)), in.Reader(), handler);
    CHECK(e.rendered.status == 413);
    CHECK(handler.calls == 0);
    CHECK(in.position == in.data.size());  // drained, so the web server can read the answer
    CHECK(e.connection_clean);
  }

  TEST_CASE("a non-numeric CONTENT_LENGTH is 400") {
    testing::EchoHandler handler;
    FakeStdin in{"abc"};
    Exchange e = Answer(Post("/plain/", "3x"), in.Reader(), handler);
    CHECK(e.rendered.status == 400);
    CHECK(handler.calls == 0);
  }

  TEST_CASE("a body shorter than CONTENT_LENGTH is 400") {
    testing::EchoHandler handler;
    FakeStdin in{"abc"};
    Exchange e = Answer(Post("/plain/", "10"), in.Reader(), handler);
    CHECK(e.rendered.status == 400);
    CHECK(BodyOf(e) == "400: Bad Request: request body shorter than Content-Length\n");
    CHECK(handler.calls == 0);
  }

  TEST_CASE("bytes beyond CONTENT_LENGTH are discarded, not handed to the next request") {
    testing::EchoHandler handler;
    FakeStdin in{"abcEXTRA"};
    Exchange e = Answer(Post("/plain/", "3"), in.Reader(), handler);
    CHECK(BodyOf(e) == "v1 POST /plain/ q= b=abc a=::1");
    CHECK(in.position == in.data.size());
  }

  TEST_CASE("a stream that never ends within the discard limit marks the connection unclean") {
    testing::EchoHandler handler;
    size_t served = 0;
    StreamReader endless = [&served](char* buffer, size_t size) {
      memset(buffer, 'x', size);
      served += size;
      return size;
    };
    Exchange e = Answer(Post("/plain/", "99999999"), endless, handler);
    CHECK(e.rendered.status == 413);
    CHECK_FALSE(e.connection_clean);
    CHECK(served == kMaxDiscardBytes);
  }

  TEST_CASE("an exception escaping the handler is a 500 without its text") {
    testing::EchoHandler handler;
    FakeStdin in;
    Exchange e = Answer(Post("/throw", "0"), in.Reader(), handler);
    CHECK(e.rendered.status == 500);
    CHECK(e.rendered.bytes.find("exploded") == std::string::npos);
    CHECK(e.response.error.message().find("exploded") != std::string::npos);  // for the log line
  }

  TEST_CASE("an error from the handler keeps its message out of the body") {
    testing::EchoHandler handler;
    FakeStdin in;
    Exchange e = Answer(Post("/denied", "0"), in.Reader(), handler);
    CHECK(e.rendered.status == 403);
    CHECK(e.rendered.bytes.find("acl") == std::string::npos);
  }

  TEST_CASE("HEAD gets no body") {
    testing::EchoHandler handler;
    FakeStdin in;
    FcgiParams params = {{"REQUEST_METHOD", "HEAD"}, {"DOCUMENT_URI", "/uccs/"}};
    Exchange e = Answer(params, in.Reader(), handler);
    CHECK(e.rendered.status == 200);
    CHECK(BodyOf(e).empty());
    CHECK(e.rendered.bytes.find("Content-Length: 23\r\n") != std::string::npos);
  }
}

}  // namespace
}  // namespace x2gobroker::fcgi
