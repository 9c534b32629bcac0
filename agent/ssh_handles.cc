// SPDX-License-Identifier: AGPL-3.0-or-later
#include "agent/ssh_handles.h"

#include <mutex>

namespace x2gobroker::agent {

bool EnsureLibssh2Initialized() {
  static std::once_flag once;
  static bool ok = false;
  // libssh2_exit is never called: sessions may live until the process ends.
  std::call_once(once, [] { ok = libssh2_init(0) == 0; });
  return ok;
}

}  // namespace x2gobroker::agent
