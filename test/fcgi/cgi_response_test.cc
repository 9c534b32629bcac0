// SPDX-License-Identifier: AGPL-3.0-or-later
#include "fcgi/cgi_response.h"

#include <doctest/doctest.h>

namespace x2gobroker::fcgi {
namespace {

TEST_SUITE("fcgi/cgi_response") {
  TEST_CASE("a success carries Content-Type, the literal Expires and Content-Length, in that order") {
    core::HttpResponse response;
    response.content_type = "text/plain; charset=utf-8";
    response.body = "Access granted\n";
    RenderedResponse out = RenderResponse(response, false);
    CHECK(out.status == 200);
    CHECK(out.bytes ==
          "Status: 200 OK\r\n"
          "Content-Type: text/plain; charset=utf-8\r\n"
          "Expires: +1h\r\n"
          "Content-Length: 15\r\n"
          "\r\n"
          "Access granted\n");
  }

  TEST_CASE("an error gets Tornado's HTML page and never the internal message") {
    core::HttpResponse response = core::ErrorResponse(core::Unauthenticated("secret detail: user bob"));
    response.headers.emplace_back("WWW-Authenticate", "Basic realm=\"x2gobroker\"");
    RenderedResponse out = RenderResponse(response, false);
    const std::string body = "<html><title>401: Unauthorized</title><body>401: Unauthorized</body></html>";
    CHECK(out.status == 401);
    CHECK(out.bytes ==
          "Status: 401 Unauthorized\r\n"
          "Content-Type: text/html; charset=UTF-8\r\n"
          "Content-Length: " + std::to_string(body.size()) + "\r\n"
          "WWW-Authenticate: Basic realm=\"x2gobroker\"\r\n"
          "\r\n" + body);
    CHECK(out.bytes.find("secret") == std::string::npos);
    CHECK(out.bytes.find("Expires") == std::string::npos);
  }

  TEST_CASE("HTML error pages for every non-400/413 code") {
    struct Case {
      core::Status status;
      const char* title;
    };
    const Case cases[] = {
        {core::PermissionDenied("m"), "403: Forbidden"},
        {core::NotFound("m"), "404: Not Found"},
        {core::MethodNotAllowed("m"), "405: Method Not Allowed"},
        {core::Internal("m"), "500: Internal Server Error"},
        {core::Unavailable("m"), "503: Service Unavailable"},
        {core::DeadlineExceeded("m"), "504: Gateway Timeout"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.title);
      RenderedResponse out = RenderResponse(core::ErrorResponse(c.status), false);
      CHECK(out.bytes.find(std::string("<html><title>") + c.title + "</title><body>" + c.title + "</body></html>") !=
            std::string::npos);
      CHECK(out.bytes.find("Content-Type: text/html; charset=UTF-8\r\n") != std::string::npos);
    }
  }

  TEST_CASE("400 and 413 get one text/plain line with the public reason") {
    RenderedResponse bad = RenderResponse(core::ErrorResponse(core::InvalidArgument("internal"), "malformed percent-escape"), false);
    CHECK(bad.status == 400);
    CHECK(bad.bytes.find("Content-Type: text/plain; charset=utf-8\r\n") != std::string::npos);
    CHECK(bad.bytes.substr(bad.bytes.find("\r\n\r\n") + 4) == "400: Bad Request: malformed percent-escape\n");

    RenderedResponse large = RenderResponse(core::ErrorResponse(core::TooLarge("internal")), false);
    CHECK(large.status == 413);
    CHECK(large.bytes.substr(large.bytes.find("\r\n\r\n") + 4) == "413: Request Entity Too Large\n");
  }

  TEST_CASE("extra headers with CR/LF, bad names or owned names are dropped") {
    core::HttpResponse response;
    response.content_type = "text/plain";
    response.headers = {{"Allow", "POST"},
                        {"X-Evil", "a\r\nSet-Cookie: x=1"},
                        {"Bad Name", "v"},
                        {"content-length", "1"},
                        {"Status", "200 OK"}};
    RenderedResponse out = RenderResponse(response, false);
    CHECK(out.dropped_headers == 4);
    CHECK(out.bytes.find("Allow: POST\r\n") != std::string::npos);
    CHECK(out.bytes.find("Set-Cookie") == std::string::npos);
    CHECK(out.bytes.find("Content-Length: 0\r\n") != std::string::npos);
  }

  TEST_CASE("a content type with CR/LF falls back to the default") {
    core::HttpResponse response;
    response.content_type = "text/plain\r\nX-Injected: 1";
    RenderedResponse out = RenderResponse(response, false);
    CHECK(out.bytes.find("X-Injected") == std::string::npos);
    CHECK(out.bytes.find("Content-Type: text/html; charset=UTF-8\r\n") != std::string::npos);
  }

  TEST_CASE("HEAD keeps the headers and Content-Length but sends no body") {
    core::HttpResponse response;
    response.content_type = "text/html; charset=UTF-8";
    response.body = "2024-01-01 00:00:00.000000";
    RenderedResponse out = RenderResponse(response, true);
    CHECK(out.bytes.find("Content-Length: 26\r\n") != std::string::npos);
    CHECK(out.bytes.size() == out.bytes.find("\r\n\r\n") + 4);
  }
}

}  // namespace
}  // namespace x2gobroker::fcgi
