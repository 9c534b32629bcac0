// SPDX-License-Identifier: AGPL-3.0-or-later
// libFuzzer target: any INI text goes through the inifile reader, the profile builder and both
// renderers without crashing.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "backends/ini/ini_profile_reader.h"
#include "test/fuzz/render_all.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto raw = x2gobroker::backends::ini::ParseIniProfiles(std::string_view(reinterpret_cast<const char*>(data), size),
                                                         "fuzz.conf");
  if (raw.ok()) x2gobroker::test::BuildAndRenderAll(*raw);
  return 0;
}
