// SPDX-License-Identifier: AGPL-3.0-or-later
// Only the SSH CLI may mark a request as already authenticated (core::HttpRequest::
// preauthenticated, PROTOCOL.md §8.2). Nothing a web client or web server sends can set it.
#include <doctest/doctest.h>

#include "fcgi/request_params.h"

namespace x2gobroker::fcgi {

TEST_SUITE("fcgi/request_params") {
  TEST_CASE("regression: the FastCGI frontend never sets preauthenticated, whatever the parameters say") {
    FcgiParams params = {{"REQUEST_METHOD", "POST"},
                         {"DOCUMENT_URI", "/plain/inifile/"},
                         {"CONTENT_LENGTH", "0"},
                         {"REMOTE_ADDR", "127.0.0.1"},
                         {"REMOTE_USER", "alice"},
                         {"AUTH_TYPE", "Basic"},
                         {"PREAUTHENTICATED", "1"},
                         {"HTTP_PREAUTHENTICATED", "true"},
                         {"HTTP_X_PREAUTHENTICATED", "1"},
                         {"SSH_CLIENT", "127.0.0.1 1 22"}};
    ParsedRequest parsed = ParseRequestParams(params);
    CHECK(parsed.error.ok());
    CHECK_FALSE(parsed.request.preauthenticated);
    CHECK_FALSE(core::HttpRequest{}.preauthenticated);
  }
}

}  // namespace x2gobroker::fcgi
