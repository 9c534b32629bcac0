// SPDX-License-Identifier: AGPL-3.0-or-later
// A minimal FastCGI client (the web server's side of the protocol) for the fcgi tests:
// BEGIN_REQUEST, PARAMS, STDIN, then STDOUT records until END_REQUEST.
#pragma once

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <string>

#include "core/unique_fd.h"

namespace x2gobroker::fcgi::testing {

inline core::UniqueFd ConnectUnix(const std::string& path) {
  core::UniqueFd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
  if (connect(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) fd.reset();
  return fd;
}

class FcgiClient {
 public:
  explicit FcgiClient(int fd) : fd_(fd) {}

  // Sends one request; returns the STDOUT bytes ("" if the connection broke first).
  std::string Request(const std::map<std::string, std::string>& params, const std::string& body,
                      bool keep_conn = false, uint16_t id = 1) {
    std::string begin(8, '\0');
    begin[1] = 1;  // FCGI_RESPONDER
    begin[2] = keep_conn ? 1 : 0;
    if (!SendRecord(1, id, begin)) return "";
    std::string pairs;
    for (const auto& [name, value] : params) {
      AppendLength(&pairs, name.size());
      AppendLength(&pairs, value.size());
      pairs += name + value;
    }
    if (!SendStream(4, id, pairs)) return "";
    if (!SendStream(5, id, body)) return "";
    std::string out;
    for (;;) {
      uint8_t header[8];
      if (!ReadAll(header, 8)) return "";
      size_t length = (header[4] << 8) | header[5];
      std::string content(length + header[6], '\0');
      if (!ReadAll(content.data(), content.size())) return "";
      content.resize(length);
      if (header[1] == 6) out += content;   // FCGI_STDOUT
      if (header[1] == 3) return out;       // FCGI_END_REQUEST
    }
  }

 private:
  static void AppendLength(std::string* out, size_t n) {
    if (n < 128) {
      *out += static_cast<char>(n);
    } else {
      *out += static_cast<char>(0x80 | ((n >> 24) & 0x7f));
      *out += static_cast<char>((n >> 16) & 0xff);
      *out += static_cast<char>((n >> 8) & 0xff);
      *out += static_cast<char>(n & 0xff);
    }
  }
  bool SendRecord(uint8_t type, uint16_t id, const std::string& content) {
    std::string record = {1, static_cast<char>(type), static_cast<char>(id >> 8), static_cast<char>(id & 0xff),
                          static_cast<char>(content.size() >> 8), static_cast<char>(content.size() & 0xff), 0, 0};
    record += content;
    return WriteAll(record);
  }
  // A stream in records of at most 32 KiB (the 16-bit length), then the empty end record.
  bool SendStream(uint8_t type, uint16_t id, const std::string& data) {
    for (size_t at = 0; at < data.size(); at += 32768) {
      if (!SendRecord(type, id, data.substr(at, 32768))) return false;
    }
    return SendRecord(type, id, "");
  }
  bool WriteAll(const std::string& data) {
    for (size_t at = 0; at < data.size();) {
      ssize_t n = send(fd_, data.data() + at, data.size() - at, MSG_NOSIGNAL);
      if (n <= 0) return false;
      at += static_cast<size_t>(n);
    }
    return true;
  }
  bool ReadAll(void* buffer, size_t size) {
    char* p = static_cast<char*>(buffer);
    while (size > 0) {
      ssize_t n = read(fd_, p, size);
      if (n <= 0) return false;
      p += n;
      size -= static_cast<size_t>(n);
    }
    return true;
  }

  int fd_;
};

}  // namespace x2gobroker::fcgi::testing
