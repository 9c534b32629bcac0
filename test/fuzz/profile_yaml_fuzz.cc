// SPDX-License-Identifier: AGPL-3.0-or-later
// libFuzzer target: any YAML text goes through the yaml reader, the profile builder and both
// renderers without crashing (yaml-cpp exceptions must be turned into a Status by the reader).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "backends/yaml/yaml_profile_reader.h"
#include "test/fuzz/render_all.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto raw = x2gobroker::backends::yaml::ParseYamlProfiles(
      std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.yaml");
  if (raw.ok()) x2gobroker::test::BuildAndRenderAll(*raw);
  return 0;
}
