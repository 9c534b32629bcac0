// SPDX-License-Identifier: AGPL-3.0-or-later
// Decision tables for PROTOCOL.md §4.5.
#include "core/acl.h"

#include <doctest/doctest.h>

#include "test/core/profiles_from_ini.h"
#include "test/fakes/fakes.h"

using namespace x2gobroker::core;
using x2gobroker::test::FakeGroupResolver;
using x2gobroker::test::ProfilesFromIni;

namespace {

bool Permits(const std::string& acl_lines, const std::string& user, const std::string& ip,
             const FakeGroupResolver& groups, bool ignore_primary = true) {
  auto built = ProfilesFromIni("[p]\nhost=h\n" + acl_lines);
  REQUIRE(built.profiles.profiles.size() == 1);
  auto address = IpAddress::Parse(ip);
  return AclPermits(built.profiles.profiles[0]->acl, AclSubject{user, address ? &*address : nullptr}, groups,
                    ignore_primary);
}

}  // namespace

TEST_SUITE("core/acl") {
  TEST_CASE("user and group decision table") {
    FakeGroupResolver groups;
    groups.AddMember("alice", "students");
    groups.AddMember("bob", "admins");
    groups.SetPrimary("carol", "staff");
    struct Row {
      const char* acl;
      const char* user;
      bool permitted;
    } rows[] = {
        {"", "anyone", true},
        {"acl-users-allow=alice\n", "alice", true},
        {"acl-users-allow=alice\n", "bob", false},  // only user lists, no match → denied
        {"acl-users-allow=foo\nacl-users-deny=ALL\n", "foo", false},  // deny-allow: deny wins
        {"acl-users-allow=foo\nacl-users-deny=ALL\nacl-users-order=allow-deny\n", "foo", true},
        {"acl-users-deny=alice\nacl-groups-allow=students\n", "alice", false},  // user deny beats group allow
        {"acl-users-allow=zed\nacl-groups-allow=students\n", "alice", true},   // undecided user → groups
        {"acl-groups-allow=students\nacl-groups-deny=ALL\n", "alice", false},
        {"acl-groups-allow=students\nacl-groups-deny=ALL\nacl-groups-order=allow-deny\n", "alice", true},
        {"acl-groups-allow=admins\n", "alice", false},
        {"acl-groups-allow=ALL\n", "nobody-known", true},
        {"acl-groups-allow=staff\n", "carol", false},  // primary group ignored by default
        // acl-any-order is the default order of every category (the reference ignores it)
        {"acl-users-allow=foo\nacl-users-deny=ALL\nacl-any-order=allow-deny\n", "foo", true},
        {"acl-users-allow=\n", "anyone", true},  // an empty list is absent
    };
    for (const Row& row : rows) {
      CAPTURE(row.acl);
      CAPTURE(row.user);
      CHECK(Permits(row.acl, row.user, "127.0.0.1", groups) == row.permitted);
    }
    CHECK(Permits("acl-groups-allow=staff\n", "carol", "127.0.0.1", groups, /*ignore_primary=*/false));
  }

  TEST_CASE("client address decision table") {
    FakeGroupResolver groups;
    struct Row {
      const char* acl;
      const char* ip;
      bool permitted;
    } rows[] = {
        {"acl-clients-allow=10.1.0.0/16\n", "10.1.2.3", true},
        {"acl-clients-allow=10.1.0.0/16\n", "10.2.0.1", false},  // undecided = denied
        {"acl-clients-deny=ALL\nacl-clients-allow=10.1.0.0/16\n", "10.1.2.3", false},
        {"acl-clients-deny=ALL\nacl-clients-allow=10.1.0.0/16\nacl-clients-order=allow-deny\n", "10.1.2.3", true},
        {"acl-clients-allow=ALL\n", "::1", true},
        {"acl-clients-allow=2001:db8::/32\n", "2001:db8::5", true},
        {"acl-clients-allow=10.1.0.0/16\n", "::ffff:10.1.2.3", true},  // IPv4-mapped peer
        {"acl-clients-allow=10.1.0.0/16,client.example.org\n", "10.1.2.3", false},  // unparsable → fail closed
        {"acl-clients-allow=ALL\n", "", false},  // no peer address
    };
    for (const Row& row : rows) {
      CAPTURE(row.acl);
      CAPTURE(row.ip);
      CHECK(Permits(row.acl, "u", row.ip, groups) == row.permitted);
    }
  }
}
