// SPDX-License-Identifier: AGPL-3.0-or-later
#include "fcgi/body_reader.h"

#include <algorithm>

namespace x2gobroker::fcgi {

core::Result<std::string> ReadBody(size_t length, const StreamReader& read) {
  std::string body(length, '\0');
  size_t have = 0;
  while (have < length) {
    size_t got = read(body.data() + have, length - have);
    if (got == 0) return core::InvalidArgument("request body shorter than CONTENT_LENGTH");
    have += got;
  }
  return body;
}

bool DiscardBody(size_t limit, const StreamReader& read) {
  char buffer[8192];
  size_t discarded = 0;
  while (discarded < limit) {
    size_t got = read(buffer, std::min(sizeof buffer, limit - discarded));
    if (got == 0) return true;
    discarded += got;
  }
  return false;  // gave up at the limit: the caller must close the connection
}

}  // namespace x2gobroker::fcgi
