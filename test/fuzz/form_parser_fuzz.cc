// SPDX-License-Identifier: AGPL-3.0-or-later
// libFuzzer target: hostile form bodies must yield OK or InvalidArgument, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/form_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  x2gobroker::core::FormFields fields;
  x2gobroker::core::Status s =
      x2gobroker::core::ParseFormInto(std::string_view(reinterpret_cast<const char*>(data), size), &fields);
  if (!s.ok() && s.code() != x2gobroker::core::StatusCode::kInvalidArgument) __builtin_trap();
  return 0;
}
