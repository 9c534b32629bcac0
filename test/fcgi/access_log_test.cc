// SPDX-License-Identifier: AGPL-3.0-or-later
#include "fcgi/access_log.h"

#include <doctest/doctest.h>

namespace x2gobroker::fcgi {
namespace {

TEST_SUITE("fcgi/access_log") {
  TEST_CASE("one line with id, client, request, status, duration, user and task") {
    core::HttpRequest request;
    request.request_id = "0123abcd";
    request.remote_addr = "192.0.2.1";
    request.method = "POST";
    request.path = "/plain/";
    request.query = "password=hunter2";
    request.body = "user=bob&password=hunter2";
    request.authorization = "Basic c2VjcmV0";
    core::HttpResponse response;
    response.log_user = "bob";
    response.log_task = "listsessions";
    std::string line = FormatAccessLine(request, response, 200, 12.34);
    CHECK(line == "0123abcd 192.0.2.1 \"POST /plain/\" 200 12.3ms user=\"bob\" task=\"listsessions\"");
    CHECK(line.find("hunter2") == std::string::npos);
    CHECK(line.find("c2VjcmV0") == std::string::npos);
  }

  TEST_CASE("errors add their message; quotes in fields are escaped") {
    core::HttpRequest request;
    request.request_id = "0123abcd";
    request.method = "GET";
    request.path = "/a\"b";
    core::HttpResponse response = core::ErrorResponse(core::NotFound("no route"));
    response.log_user = "x\" task=\"forged";
    std::string line = FormatAccessLine(request, response, 404, 0.5);
    CHECK(line == "0123abcd - \"GET /a\\\"b\" 404 0.5ms user=\"x\\\" task=\\\"forged\" task=\"\" error=\"no route\"");
  }
}

}  // namespace
}  // namespace x2gobroker::fcgi
