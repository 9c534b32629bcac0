// SPDX-License-Identifier: AGPL-3.0-or-later
#include "fcgi/exchange.h"

#include <exception>
#include <string>

namespace x2gobroker::fcgi {
namespace {

core::HttpResponse HandleGuarded(const core::RequestHandler& handler, const core::HttpRequest& request) {
  // Handle() promises not to throw; a worker must survive it if it does anyway.
  try {
    return handler.Handle(request);
  } catch (const std::exception& e) {
    return core::ErrorResponse(core::Internal(std::string("exception escaped the handler: ") + e.what()));
  } catch (...) {
    return core::ErrorResponse(core::Internal("unknown exception escaped the handler"));
  }
}

}  // namespace

Exchange Answer(const FcgiParams& params, const StreamReader& read_stdin, const core::RequestHandler& handler) {
  Exchange exchange;
  ParsedRequest parsed = ParseRequestParams(params);
  exchange.request = std::move(parsed.request);
  if (!parsed.error.ok()) {
    exchange.response = core::ErrorResponse(std::move(parsed.error), std::move(parsed.public_reason));
  } else if (auto body = ReadBody(parsed.body_length, read_stdin); !body.ok()) {
    exchange.response = core::ErrorResponse(body.status(), "request body shorter than Content-Length");
  } else {
    exchange.request.body = std::move(body).value();
    exchange.response = HandleGuarded(handler, exchange.request);
  }
  // Whatever is left of stdin: unread after an error, or bytes beyond CONTENT_LENGTH.
  exchange.connection_clean = DiscardBody(kMaxDiscardBytes, read_stdin);
  exchange.rendered = RenderResponse(exchange.response, exchange.request.method == "HEAD");
  return exchange;
}

}  // namespace x2gobroker::fcgi
