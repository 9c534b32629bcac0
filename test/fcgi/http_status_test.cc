// SPDX-License-Identifier: AGPL-3.0-or-later
#include "fcgi/http_status.h"

#include <doctest/doctest.h>

namespace x2gobroker::fcgi {
namespace {

TEST_SUITE("fcgi/http_status") {
  TEST_CASE("maps every status code to its HTTP status") {
    struct Case {
      core::Status status;
      int http;
    };
    const Case cases[] = {
        {core::Status::Ok(), 200},
        {core::InvalidArgument("x"), 400},
        {core::Unauthenticated("x"), 401},
        {core::PermissionDenied("x"), 403},
        {core::NotFound("x"), 404},
        {core::MethodNotAllowed("x"), 405},
        {core::TooLarge("x"), 413},
        {core::Internal("x"), 500},
        {core::Unavailable("x"), 503},
        {core::DeadlineExceeded("x"), 504},
    };
    for (const Case& c : cases) {
      CAPTURE(c.http);
      CHECK(HttpStatusFor(c.status) == c.http);
    }
  }

  TEST_CASE("an out-of-range code is a server error, never a success") {
    core::Status odd(static_cast<core::StatusCode>(999), "future code");
    CHECK(HttpStatusFor(odd) == 500);
  }

  TEST_CASE("reason phrases are Tornado's") {
    CHECK(ReasonPhrase(200) == "OK");
    CHECK(ReasonPhrase(401) == "Unauthorized");
    CHECK(ReasonPhrase(405) == "Method Not Allowed");
    CHECK(ReasonPhrase(413) == "Request Entity Too Large");
    CHECK(ReasonPhrase(503) == "Service Unavailable");
    CHECK(ReasonPhrase(504) == "Gateway Timeout");
    CHECK(ReasonPhrase(299) == "Unknown");
  }
}

}  // namespace
}  // namespace x2gobroker::fcgi
