// SPDX-License-Identifier: AGPL-3.0-or-later
// SecretString: a move-only byte string for passwords and frames that carry them (OpenSSH's
// freezero). Every buffer it has owned is wiped with explicit_bzero before it is freed or
// reused: on destruction, on reassignment, on Clear(), and when growing moves the bytes to a
// larger buffer. It cannot be copied, so a secret exists only where it was put on purpose.
// The buffer is always NUL-terminated (for C APIs such as PAM); the content may itself hold
// NUL bytes. Not thread-safe (like std::string).
//
// What it cannot do: wipe copies made elsewhere (std::string arguments, kernel socket
// buffers, a PAM module's own copies), or keep the pages out of swap or core dumps.
#pragma once

#include <string.h>  // explicit_bzero (glibc, BSD)

#include <cstddef>
#include <cstring>
#include <string_view>
#include <utility>

namespace x2gobroker::core {

class SecretString {
 public:
  SecretString() = default;
  explicit SecretString(std::string_view text) { Append(text); }
  SecretString(SecretString&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)),
        size_(std::exchange(other.size_, 0)),
        capacity_(std::exchange(other.capacity_, 0)) {}
  SecretString& operator=(SecretString&& other) noexcept {
    if (this != &other) {
      Release();
      data_ = std::exchange(other.data_, nullptr);
      size_ = std::exchange(other.size_, 0);
      capacity_ = std::exchange(other.capacity_, 0);
    }
    return *this;
  }
  SecretString(const SecretString&) = delete;
  SecretString& operator=(const SecretString&) = delete;
  ~SecretString() { Release(); }

  // Overwrites `size` bytes at `p` in a way the compiler may not optimise away.
  static void Wipe(void* p, size_t size) {
    if (p != nullptr && size > 0) explicit_bzero(p, size);
  }

  // Replaces the content; the old bytes are wiped (the buffer is reused when large enough).
  void Assign(std::string_view text) {
    Clear();
    Append(text);
  }
  void Append(std::string_view text) {
    if (text.empty()) return;
    Reserve(size_ + text.size());
    std::memcpy(data_ + size_, text.data(), text.size());
    size_ += text.size();
    data_[size_] = '\0';
  }
  void PushBack(char c) { Append(std::string_view(&c, 1)); }
  // Sets the size; new bytes are zero. Shrinking wipes the bytes that are cut off.
  void Resize(size_t size) {
    if (size > size_) {
      Reserve(size);
      std::memset(data_ + size_, 0, size - size_);
    } else if (data_ != nullptr) {
      Wipe(data_ + size, size_ - size);
    }
    size_ = size;
    if (data_ != nullptr) data_[size_] = '\0';
  }
  // Makes room for `capacity` bytes (plus the terminating NUL) without changing the content.
  void Reserve(size_t capacity) {
    if (capacity <= capacity_ && data_ != nullptr) return;
    const size_t size = size_;
    char* bigger = new char[capacity + 1];
    if (data_ != nullptr) std::memcpy(bigger, data_, size);
    bigger[size] = '\0';
    Release();  // wipes the old buffer
    data_ = bigger;
    size_ = size;
    capacity_ = capacity;
  }
  // Wipes the content and keeps the (now zeroed) buffer for reuse.
  void Clear() {
    if (data_ != nullptr) Wipe(data_, capacity_ + 1);
    size_ = 0;
  }

  std::string_view view() const { return data_ == nullptr ? std::string_view() : std::string_view(data_, size_); }
  const char* c_str() const { return data_ == nullptr ? "" : data_; }
  // Writable bytes [0, size()); for reading into the buffer after Resize().
  char* data() { return data_; }
  const char* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  size_t capacity() const { return capacity_; }

 private:
  // Wipes and frees the buffer; the object is empty afterwards.
  void Release() {
    if (data_ != nullptr) {
      Wipe(data_, capacity_ + 1);
      delete[] data_;
    }
    data_ = nullptr;
    size_ = 0;
    capacity_ = 0;
  }

  char* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace x2gobroker::core
