// SPDX-License-Identifier: AGPL-3.0-or-later
// Tests backends/zeroconf/zeroconf_backend.cc against the reference's zeroconf listing.
#include "backends/zeroconf/zeroconf_backend.h"

#include <doctest/doctest.h>

#include <regex>

#include "core/broker_config.h"
#include "test/backends/profile_description.h"

namespace x2gobroker::backends::zeroconf {
namespace {

// The profile body of the reference (python-x2gobroker 0.0.4.3, [broker_zeroconf] defaults),
// rendered by its plain frontend; the id line is checked separately.
constexpr const char* kReferenceBody =
    "command=KDE\nkdrive=0\ndefsndport=1\nuseiconv=0\niconvfrom=UTF-8\nheight=600\nexport=\nquality=9\n"
    "fullscreen=0\nlayout=\nuseexports=1\nwidth=800\nspeed=2\nsoundsystem=pulse\nprint=1\ntype=auto\n"
    "sndport=4713\nxinerama=1\nvariant=\nusekbd=1\nfstunnel=1\napplications=TERMINAL,WWWBROWSER,MAILCLIENT,OFFICE\n"
    "multidisp=0\nsshproxyport=22\nsound=1\nrootless=0\niconvto=UTF-8\nsoundtunnel=1\ndpi=96\nsshport=22\n"
    "setdpi=0\npack=16m-jpeg\nuser=\nhost=localhost\ndirectrdp=0\nname=LOCALHOST\n\n";

const std::regex kUuid4("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

TEST_SUITE("backends/zeroconf") {

TEST_CASE("renders exactly like the reference, under a fresh UUIDv4 each time") {
  core::BrokerConfig config;
  config.backends["zeroconf"];  // built-in values: desktop-shell = KDE
  core::Result<core::SessionBackendPtr> backend = ZeroconfBackendFactory().Create(config, nullptr);
  REQUIRE(backend.ok());
  CHECK((*backend)->GeneratesProfiles());
  CHECK((*backend)->WatchedFiles().empty());
  CHECK((*backend)->Diagnostics().empty());

  auto first = (*backend)->Profiles();
  auto second = (*backend)->Profiles();
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  REQUIRE(first.value()->profiles.size() == 1);
  const core::SessionProfile& profile = *first.value()->profiles[0];
  CHECK(std::regex_match(profile.id, kUuid4));
  CHECK(profile.id != second.value()->profiles[0]->id);

  std::string plain;
  core::AppendPlainProfile(core::ProfileRendering{profile, "foo", false, nullptr, ""}, &plain);
  CHECK(plain == "[" + profile.id + "]\n" + kReferenceBody);
  CHECK(profile.hosts == std::vector<std::string>{"localhost"});
  CHECK(profile.sshport == 22);
  CHECK(profile.user.empty());
}

TEST_CASE("desktop-shell is upper-cased into the command") {
  core::BrokerConfig config;
  config.backends["zeroconf"].desktop_shell = "mate";
  auto backend = ZeroconfBackendFactory().Create(config, nullptr);
  REQUIRE(backend.ok());
  std::shared_ptr<const core::ProfileSet> set = (*backend)->Profiles().value();
  const core::SessionProfile& profile = *set->profiles[0];
  CHECK(profile.command == "MATE");
  CHECK(profile.settings.front().key == "command");
  CHECK(testing::DescribeValue(profile.settings.front().value) == "s:MATE");
}

TEST_CASE("without a [broker_zeroconf] section creation fails") {
  CHECK_FALSE(ZeroconfBackendFactory().Create(core::BrokerConfig{}, nullptr).ok());
}

TEST_CASE("a desktop-shell that makes the profile invalid fails creation") {
  core::BrokerConfig config;
  config.backends["zeroconf"].desktop_shell = "KDE\x01";
  auto backend = ZeroconfBackendFactory().Create(config, nullptr);
  REQUIRE_FALSE(backend.ok());
  CHECK(backend.status().code() == core::StatusCode::kInvalidArgument);
}

}  // TEST_SUITE

}  // namespace
}  // namespace x2gobroker::backends::zeroconf
