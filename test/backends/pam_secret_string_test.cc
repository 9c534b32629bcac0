// SPDX-License-Identifier: AGPL-3.0-or-later
// Tests core/secret_string.h. Wiping is checked where it is observable without undefined
// behaviour: on buffers the object still owns (Clear, Assign, Resize keep their buffer).
#include "core/secret_string.h"

#include <doctest/doctest.h>

#include <string>
#include <type_traits>

namespace x2gobroker::core {
namespace {

static_assert(!std::is_copy_constructible_v<SecretString>);
static_assert(!std::is_copy_assignable_v<SecretString>);
static_assert(std::is_nothrow_move_constructible_v<SecretString>);
static_assert(std::is_nothrow_move_assignable_v<SecretString>);

bool AllZero(const char* p, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (p[i] != '\0') return false;
  }
  return true;
}

TEST_SUITE("core/secret_string") {

TEST_CASE("holds any bytes and stays NUL-terminated") {
  SecretString s(std::string_view("a\0b", 3));
  CHECK(s.size() == 3);
  CHECK(s.view() == std::string_view("a\0b", 3));
  CHECK(s.c_str()[3] == '\0');
  SecretString empty;
  CHECK(empty.empty());
  CHECK(std::string(empty.c_str()).empty());
}

TEST_CASE("Clear wipes the bytes and keeps the buffer") {
  SecretString s("correct horse battery staple");
  const char* buffer = s.data();
  const size_t size = s.size();
  s.Clear();
  CHECK(s.empty());
  CHECK(s.data() == buffer);
  CHECK(AllZero(buffer, size));
}

TEST_CASE("Assign of a shorter secret wipes the old tail") {
  SecretString s("long old password");
  const char* buffer = s.data();
  s.Assign("new");
  CHECK(s.data() == buffer);
  CHECK(s.view() == "new");
  CHECK(AllZero(buffer + 3, std::string_view("long old password").size() - 3));
}

TEST_CASE("Resize zero-fills growth and wipes what it cuts off") {
  SecretString s;
  s.Resize(4);
  CHECK(s.size() == 4);
  CHECK(AllZero(s.data(), 4));
  s.Assign("abcdefgh");
  const char* buffer = s.data();
  s.Resize(2);
  CHECK(s.view() == "ab");
  CHECK(AllZero(buffer + 2, 6));
}

TEST_CASE("growing keeps the content") {
  SecretString s("x");
  for (int i = 0; i < 100; ++i) s.Append("0123456789");
  CHECK(s.size() == 1001);
  CHECK(s.view().substr(0, 11) == "x0123456789");
  CHECK(s.c_str()[1001] == '\0');
}

TEST_CASE("moving leaves the source empty and the target owning the buffer") {
  SecretString a("pw");
  const char* buffer = a.data();
  SecretString b(std::move(a));
  CHECK(a.empty());  // NOLINT: moved-from state is specified
  CHECK(a.data() == nullptr);
  CHECK(b.data() == buffer);
  CHECK(b.view() == "pw");
  SecretString c("other");
  c = std::move(b);
  CHECK(c.view() == "pw");
  CHECK(b.empty());  // NOLINT
}

TEST_CASE("Wipe zeroes memory") {
  char buffer[8] = {'s', 'e', 'c', 'r', 'e', 't', '!', '!'};
  SecretString::Wipe(buffer, sizeof buffer);
  CHECK(AllZero(buffer, sizeof buffer));
  SecretString::Wipe(nullptr, 5);  // no-op
}

}  // TEST_SUITE

}  // namespace
}  // namespace x2gobroker::core
