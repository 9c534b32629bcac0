// SPDX-License-Identifier: AGPL-3.0-or-later
#include "fcgi/request_params.h"

#include <doctest/doctest.h>

#include <string_view>

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

// What Apache httpd 2.4 mod_proxy_fcgi sends at its defaults, recorded from Apache/2.4.71
// (Debian 12) with a parameter-dumping FastCGI responder behind apache/x2gobroker*.conf:
// curl -d 'task=listsessions&user=foo' -H 'Authorization: Basic Zm9vOmJhcg=='. The
// per-request parameters (method, path, query, body) are filled in by ApacheRequest().
// Apache sends no DOCUMENT_URI; SCRIPT_NAME is the whole path, percent-decoded and normalised,
// and PATH_INFO is absent with ProxyPass. PATH is Apache's own environment (shortened here).
FcgiParams ApacheParams() {
  return {{"CONTEXT_DOCUMENT_ROOT", "/var/www/html"},
          {"CONTEXT_PREFIX", ""},
          {"DOCUMENT_ROOT", "/var/www/html"},
          {"GATEWAY_INTERFACE", "CGI/1.1"},
          {"HTTP_ACCEPT", "*/*"},
          {"HTTP_AUTHORIZATION", "Basic Zm9vOmJhcg=="},  // only with CGIPassAuth On
          {"HTTP_HOST", "127.0.0.1:18089"},
          {"HTTP_USER_AGENT", "curl/7.88.1"},
          {"PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"},
          {"REMOTE_ADDR", "127.0.0.1"},
          {"REMOTE_PORT", "39100"},
          {"REQUEST_SCHEME", "http"},
          {"SERVER_ADDR", "127.0.0.1"},
          {"SERVER_ADMIN", "[no address given]"},
          {"SERVER_NAME", "127.0.0.1"},
          {"SERVER_PORT", "18089"},
          {"SERVER_PROTOCOL", "HTTP/1.1"},
          {"SERVER_SIGNATURE", ""},
          {"SERVER_SOFTWARE", "Apache/2.4.71 (Debian)"}};
}

struct ApacheCase {
  const char* name;             // the request line as the client sent it, and the snippet
  const char* method;
  const char* request_uri;      // REQUEST_URI: raw, as sent
  const char* script_name;      // SCRIPT_NAME: decoded, normalised
  const char* path_info;        // PATH_INFO, nullptr when Apache sends none
  const char* script_filename;  // SCRIPT_FILENAME
  const char* query;            // QUERY_STRING (always sent, "" when none)
  const char* path;             // what the broker must route on
};

FcgiParams ApacheRequest(const ApacheCase& c) {
  FcgiParams params = ApacheParams();
  params["REQUEST_METHOD"] = c.method;
  params["REQUEST_URI"] = c.request_uri;
  params["SCRIPT_NAME"] = c.script_name;
  if (c.path_info != nullptr) params["PATH_INFO"] = c.path_info;
  params["SCRIPT_FILENAME"] = c.script_filename;
  params["QUERY_STRING"] = c.query;
  if (std::string_view(c.method) == "POST") {
    params["CONTENT_TYPE"] = "application/x-www-form-urlencoded";
    params["CONTENT_LENGTH"] = "26";
  }
  return params;
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

  TEST_CASE("converts Apache mod_proxy_fcgi's parameters (recorded from Apache 2.4.71)") {
    ParsedRequest parsed = ParseRequestParams(ApacheRequest(
        {"POST /plain/inifile/?x=1", "POST", "/plain/inifile/?x=1", "/plain/inifile/", nullptr,
         "proxy:fcgi://localhost/plain/inifile/", "x=1", "/plain/inifile/"}));
    REQUIRE(parsed.error.ok());
    const core::HttpRequest& r = parsed.request;
    CHECK(r.method == "POST");
    CHECK(r.path == "/plain/inifile/");
    CHECK(r.query == "x=1");
    CHECK(r.content_type == "application/x-www-form-urlencoded");
    CHECK(r.remote_addr == "127.0.0.1");
    CHECK(r.authorization == "Basic Zm9vOmJhcg==");
    CHECK(IsValidRequestId(r.request_id));  // Apache sends none: a new one
    CHECK(parsed.body_length == 26);
  }

  TEST_CASE("Apache mod_proxy_fcgi paths (recorded from Apache 2.4.71)") {
    // Root: apache/x2gobroker.conf (ProxyPass "/plain/" "unix:...|fcgi://localhost/plain/", ...,
    // ProxyPassMatch "^/$"). Prefix: apache/x2gobroker-prefix.conf (ProxyPass "/x2gobroker/"
    // "unix:...|fcgi://localhost/x2gobroker/"). SetHandler: <Location "/"> SetHandler
    // "proxy:unix:...|fcgi://localhost/" (the only form that splits off a PATH_INFO; it also
    // sends PATH_TRANSLATED "/var/www/html/inifile/").
    const ApacheCase cases[] = {
        {"root: POST /plain/inifile/", "POST", "/plain/inifile/", "/plain/inifile/", nullptr,
         "proxy:fcgi://localhost/plain/inifile/", "", "/plain/inifile/"},
        {"root: GET /", "GET", "/", "/", nullptr, "proxy:fcgi://localhost//", "", "/"},
        {"root: HEAD /uccs/", "HEAD", "/uccs/", "/uccs/", nullptr, "proxy:fcgi://localhost/uccs/", "", "/uccs/"},
        {"root: GET /pubkeys", "GET", "/pubkeys", "/pubkeys", nullptr, "proxy:fcgi://localhost/pubkeys", "",
         "/pubkeys"},
        {"root: POST /plain/ini%66ile/", "POST", "/plain/ini%66ile/", "/plain/inifile/", nullptr,
         "proxy:fcgi://localhost/plain/inifile/", "", "/plain/inifile/"},
        {"root: POST /plain/a+b%20c/", "POST", "/plain/a+b%20c/", "/plain/a+b c/", nullptr,
         "proxy:fcgi://localhost/plain/a+b%20c/", "", "/plain/a+b c/"},
        {"root: POST /plain/../json/inifile/", "POST", "/plain/../json/inifile/", "/json/inifile/", nullptr,
         "proxy:fcgi://localhost/json/inifile/", "", "/json/inifile/"},
        {"root: exec injection through the backend name", "POST",
         "/plain/inifile_broker%3Bimport%20os%3Bos.system(%27true%27)%23/",
         "/plain/inifile_broker;import os;os.system('true')#/", nullptr,
         "proxy:fcgi://localhost/plain/inifile_broker;import%20os;os.system('true')%23/", "",
         "/plain/inifile_broker;import os;os.system('true')#/"},
        {"prefix: POST /x2gobroker/plain/inifile/?x=1", "POST", "/x2gobroker/plain/inifile/?x=1",
         "/x2gobroker/plain/inifile/", nullptr, "proxy:fcgi://localhost/x2gobroker/plain/inifile/", "x=1",
         "/x2gobroker/plain/inifile/"},
        {"prefix: GET /x2gobroker/", "GET", "/x2gobroker/", "/x2gobroker/", nullptr,
         "proxy:fcgi://localhost/x2gobroker/", "", "/x2gobroker/"},
        {"prefix: HEAD /x2gobroker/uccs/", "HEAD", "/x2gobroker/uccs/", "/x2gobroker/uccs/", nullptr,
         "proxy:fcgi://localhost/x2gobroker/uccs/", "", "/x2gobroker/uccs/"},
        {"prefix: POST /%78%32gobroker/plain/inifile/", "POST", "/%78%32gobroker/plain/inifile/",
         "/x2gobroker/plain/inifile/", nullptr, "proxy:fcgi://localhost/x2gobroker/plain/inifile/", "",
         "/x2gobroker/plain/inifile/"},
        {"prefix: POST /x2gobroker//plain/inifile/", "POST", "/x2gobroker//plain/inifile/",
         "/x2gobroker/plain/inifile/", nullptr, "proxy:fcgi://localhost/x2gobroker/plain/inifile/", "",
         "/x2gobroker/plain/inifile/"},
        {"SetHandler: POST /plain/ini%66ile/", "POST", "/plain/ini%66ile/", "/plain", "/inifile/",
         "proxy:fcgi://localhost//var/www/html/plain", "", "/plain/inifile/"},
    };
    for (const ApacheCase& c : cases) {
      CAPTURE(c.name);
      ParsedRequest parsed = ParseRequestParams(ApacheRequest(c));
      REQUIRE(parsed.error.ok());
      CHECK(parsed.request.method == c.method);
      CHECK(parsed.request.path == c.path);
      CHECK(parsed.request.query == c.query);
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
