// SPDX-License-Identifier: AGPL-3.0-or-later
#include "fcgi/request_params.h"

#include <doctest/doctest.h>

#include "fcgi/request_id.h"

namespace x2gobroker::fcgi {
namespace {

// What nginx sends with fastcgi_params for POST /plain/inifile/?x=1.
FcgiParams NginxParams() {
  return {{"REQUEST_METHOD", "POST"},
          {"DOCUMENT_URI", "/plain/inifile/"},
          {"REQUEST_URI", "/plain/inifile/?x=1"},
          {"SCRIPT_NAME", "/plain/inifile/"},
          {"QUERY_STRING", "x=1"},
          {"CONTENT_TYPE", "application/x-www-form-urlencoded"},
          {"CONTENT_LENGTH", "31"},
          {"REMOTE_ADDR", "192.0.2.7"},
          {"HTTP_AUTHORIZATION", "Basic Zm9vOmJhcg=="},
          {"REQUEST_ID", "0123456789abcdef0123456789abcdef"}};
}

TEST_SUITE("fcgi/request_params") {
  TEST_CASE("converts nginx's parameters") {
    ParsedRequest parsed = ParseRequestParams(NginxParams());
    REQUIRE(parsed.error.ok());
    const core::HttpRequest& r = parsed.request;
    CHECK(r.method == "POST");
    CHECK(r.path == "/plain/inifile/");
    CHECK(r.query == "x=1");
    CHECK(r.content_type == "application/x-www-form-urlencoded");
    CHECK(r.remote_addr == "192.0.2.7");
    CHECK(r.authorization == "Basic Zm9vOmJhcg==");
    CHECK(r.request_id == "0123456789abcdef0123456789abcdef");
    CHECK(r.body.empty());
    CHECK(parsed.body_length == 31);
  }

  TEST_CASE("path source order") {
    struct Case {
      const char* name;
      FcgiParams params;
      const char* path;
    };
    const Case cases[] = {
        {"DOCUMENT_URI first", {{"DOCUMENT_URI", "/json/"}, {"SCRIPT_NAME", "/x"}, {"REQUEST_URI", "/y"}}, "/json/"},
        {"Apache: SCRIPT_NAME + PATH_INFO",
         {{"SCRIPT_NAME", "/x2gobroker"}, {"PATH_INFO", "/plain/inifile/"}, {"REQUEST_URI", "/y"}},
         "/x2gobroker/plain/inifile/"},
        {"PATH_INFO alone", {{"PATH_INFO", "/uccs/"}}, "/uccs/"},
        {"REQUEST_URI decoded, query cut",
         {{"REQUEST_URI", "/plain/ini%66ile/?task=x%2Fy"}}, "/plain/inifile/"},
        {"REQUEST_URI keeps '+'", {{"REQUEST_URI", "/a+b"}}, "/a+b"},
        {"empty DOCUMENT_URI counts as unset", {{"DOCUMENT_URI", ""}, {"REQUEST_URI", "/x"}}, "/x"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.name);
      FcgiParams params = c.params;
      params["REQUEST_METHOD"] = "GET";
      ParsedRequest parsed = ParseRequestParams(params);
      CHECK(parsed.error.ok());
      CHECK(parsed.request.path == c.path);
    }
  }

  TEST_CASE("bad paths are 400 with a public reason") {
    const FcgiParams cases[] = {
        {{"REQUEST_URI", "/plain/%zz"}},
        {{"REQUEST_URI", "/plain/%4"}},
        {{"REQUEST_URI", "/plain/%00x"}},
        {{"REQUEST_URI", "http://host/plain/"}},
        {},
    };
    for (FcgiParams params : cases) {
      params["REQUEST_METHOD"] = "POST";
      ParsedRequest parsed = ParseRequestParams(params);
      CHECK(parsed.error.code() == core::StatusCode::kInvalidArgument);
      CHECK_FALSE(parsed.public_reason.empty());
      CHECK(IsValidRequestId(parsed.request.request_id));  // the 400 still gets an access log line
    }
  }

  TEST_CASE("the method must be an upper-case token") {
    for (const char* method : {"", "get", "PO ST", "AVERYLONGMETHODNAMEX"}) {
      CAPTURE(method);
      FcgiParams params = NginxParams();
      params["REQUEST_METHOD"] = method;
      CHECK(ParseRequestParams(params).error.code() == core::StatusCode::kInvalidArgument);
    }
  }

  TEST_CASE("CONTENT_LENGTH is checked before anything is read") {
    struct Case {
      const char* value;
      core::StatusCode code;
      size_t length;
    };
    const Case cases[] = {
        {"", core::StatusCode::kOk, 0},
        {"0", core::StatusCode::kOk, 0},
        {"65536", core::StatusCode::kOk, 65536},  // exactly kMaxBodyBytes
        {"65537", core::StatusCode::kTooLarge, 0},
        {"99999999999999999999999999999999", core::StatusCode::kTooLarge, 0},  // no overflow
        {"12a", core::StatusCode::kInvalidArgument, 0},
        {"-1", core::StatusCode::kInvalidArgument, 0},
        {" 5", core::StatusCode::kInvalidArgument, 0},
        {"0x10", core::StatusCode::kInvalidArgument, 0},
    };
    for (const Case& c : cases) {
      CAPTURE(c.value);
      FcgiParams params = NginxParams();
      params["CONTENT_LENGTH"] = c.value;
      ParsedRequest parsed = ParseRequestParams(params);
      CHECK(parsed.error.code() == c.code);
      if (parsed.error.ok()) CHECK(parsed.body_length == c.length);
    }
    FcgiParams absent = NginxParams();
    absent.erase("CONTENT_LENGTH");
    CHECK(ParseRequestParams(absent).body_length == 0);
  }

  TEST_CASE("request id: the web server's, then the header's, else a new one") {
    FcgiParams params = NginxParams();
    params["HTTP_X_REQUEST_ID"] = "aaaaaaaabbbbbbbb";
    CHECK(ParseRequestParams(params).request.request_id == "0123456789abcdef0123456789abcdef");
    params["REQUEST_ID"] = "not-hex\n";
    CHECK(ParseRequestParams(params).request.request_id == "aaaaaaaabbbbbbbb");
    params["HTTP_X_REQUEST_ID"] = "short";
    std::string fresh = ParseRequestParams(params).request.request_id;
    CHECK(fresh.size() == 16);
    CHECK(IsValidRequestId(fresh));
  }

  TEST_CASE("PercentDecodePath leaves *out untouched on failure") {
    std::string out = "unchanged";
    CHECK_FALSE(PercentDecodePath("/a%2", &out));
    CHECK(out == "unchanged");
    CHECK(PercentDecodePath("/a%2Fb%c3%A9", &out));
    CHECK(out == "/a/b\xc3\xa9");
  }
}

}  // namespace
}  // namespace x2gobroker::fcgi
