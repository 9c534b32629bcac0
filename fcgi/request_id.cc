// SPDX-License-Identifier: AGPL-3.0-or-later
#include "fcgi/request_id.h"

#include <sys/random.h>

#include <atomic>
#include <chrono>
#include <cstdint>

namespace x2gobroker::fcgi {

bool IsValidRequestId(std::string_view id) {
  if (id.size() < 8 || id.size() > 32) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string NewRequestId() {
  uint64_t value = 0;
  if (getrandom(&value, sizeof value, GRND_NONBLOCK) != static_cast<ssize_t>(sizeof value)) {
    // Ids only need to be unique enough to tell log lines apart, not unpredictable.
    static std::atomic<uint64_t> counter{0};
    value = static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) * 0x9e3779b97f4a7c15ULL +
            counter.fetch_add(1);
  }
  static const char kHex[] = "0123456789abcdef";
  std::string id(16, '0');
  for (int i = 15; i >= 0; --i, value >>= 4) id[i] = kHex[value & 15];
  return id;
}

}  // namespace x2gobroker::fcgi
