// SPDX-License-Identifier: AGPL-3.0-or-later
// Diagnostic: one problem found while loading configuration or profiles, "file:line: text".
#pragma once

#include <string>

namespace x2gobroker::core {

struct Diagnostic {
  enum class Severity { kWarning, kError };
  Severity severity = Severity::kError;
  std::string text;  // "file:line: problem"
};

}  // namespace x2gobroker::core
