// SPDX-License-Identifier: AGPL-3.0-or-later
// libFuzzer target for core/auth/pam_protocol.cc: the frames x2gobroker-authservice reads from
// its socket (and the answers the broker reads back). Hostile bytes must give an error, never a
// crash; whatever decodes must re-encode to exactly the same bytes (the format has one encoding).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/auth/pam_protocol.h"

using namespace x2gobroker::core::auth;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  if (size >= kFrameHeaderBytes) {
    auto body = DecodeFrameHeader(input.substr(0, kFrameHeaderBytes));
    if (body.ok() && (*body < 1 || *body > kMaxFrameBodyBytes)) std::abort();
  }
  auto request = DecodeAuthenticateRequest(input);
  if (request.ok()) {
    if (size > kMaxFrameBytes) std::abort();
    auto again = EncodeAuthenticateRequest(request->user, request->password.view(), request->client_address);
    if (!again.ok() || again->view() != input) std::abort();
  }
  auto answer = DecodeAnswer(input);
  if (answer.ok() && EncodeAnswer(*answer) != input) std::abort();
  return 0;
}
