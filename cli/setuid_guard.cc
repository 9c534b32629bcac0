// SPDX-License-Identifier: AGPL-3.0-or-later
#include "cli/setuid_guard.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

extern char** environ;

namespace x2gobroker::cli {

bool RunningSetuid() { return getuid() != geteuid() || getgid() != getegid(); }

int DropCallerBrokerEnvironment() {
  static constexpr char kPrefix[] = "X2GOBROKER_";
  std::vector<std::string> names;  // collected first: unsetenv changes environ
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    if (std::strncmp(*e, kPrefix, sizeof kPrefix - 1) != 0) continue;
    const char* equals = std::strchr(*e, '=');
    names.emplace_back(*e, equals == nullptr ? std::strlen(*e) : static_cast<size_t>(equals - *e));
  }
  for (const std::string& name : names) unsetenv(name.c_str());
  return static_cast<int>(names.size());
}

}  // namespace x2gobroker::cli
