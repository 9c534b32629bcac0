// SPDX-License-Identifier: AGPL-3.0-or-later
// libFuzzer target for core/load_checker_protocol.cc: the frames x2gobroker-loadchecker reads
// from its socket and the answers the broker reads back. Hostile bytes must give an error,
// never a crash; whatever decodes must re-encode to exactly the same bytes (one encoding).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/load_checker_protocol.h"

using namespace x2gobroker::core::load_checker;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  if (size >= kFrameHeaderBytes) {
    auto body = DecodeFrameHeader(input.substr(0, kFrameHeaderBytes));
    if (body.ok() && (*body < 1 || *body > kMaxFrameBytes - kFrameHeaderBytes)) std::abort();
  }
  auto request = DecodeProfileLoadRequest(input);
  if (request.ok()) {
    auto again = EncodeProfileLoadRequest(request->backend, request->profile_id);
    if (!again.ok() || *again != input) std::abort();
  }
  auto answer = DecodeAnswer(input);
  if (answer.ok()) {
    if (size > kMaxFrameBytes) std::abort();
    if (!answer->known_profile) {
      if (EncodeUnknownProfileAnswer() != input) std::abort();
    } else {
      auto again = EncodeLoadsAnswer(answer->loads);
      if (!again.ok() || *again != input) std::abort();
    }
  }
  return 0;
}
