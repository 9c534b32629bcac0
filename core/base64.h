// SPDX-License-Identifier: AGPL-3.0-or-later
// Strict standard base64 (RFC 4648, with padding) for HTTP Basic credentials and SSH key blobs.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace x2gobroker::core {

// nullopt on any character outside the alphabet, bad padding or a length not a multiple of 4.
std::optional<std::string> Base64Decode(std::string_view text);
std::string Base64Encode(std::string_view bytes);

}  // namespace x2gobroker::core
