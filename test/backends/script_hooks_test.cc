// SPDX-License-Identifier: AGPL-3.0-or-later
#include "backends/optional_scripts/script_hooks.h"

#include <doctest/doctest.h>

using namespace x2gobroker;
using backends::optional_scripts::ApplyHookAnswer;
using backends::optional_scripts::EncodeHookFields;

TEST_SUITE("backends/optional_scripts") {
  TEST_CASE("the request is one JSON object with all eight fields and the stage") {
    core::HookFields f{"al\"ice", "pw", "listsessions", "p1", "10.0.0.1", "", true, "ts01"};
    CHECK(EncodeHookFields(core::HookStage::kPostAuth, f) ==
          "{\"stage\":\"post_auth\",\"username\":\"al\\\"ice\",\"password\":\"pw\",\"task\":\"listsessions\","
          "\"profile_id\":\"p1\",\"ip\":\"10.0.0.1\",\"cookie\":\"\",\"authed\":true,\"server\":\"ts01\"}\n");
  }

  TEST_CASE("answers change exactly the named fields; anything malformed changes nothing") {
    core::HookFields f{"alice", "pw", "listsessions", "", "10.0.0.1", "", false, ""};
    CHECK(ApplyHookAnswer("", &f).ok());
    CHECK(ApplyHookAnswer("  {}\n", &f).ok());
    CHECK(f.username == "alice");
    CHECK(ApplyHookAnswer("{\"username\": \"bob\", \"authed\": true, \"server\": \"x\"}", &f).ok());
    CHECK(f.username == "bob");
    CHECK(f.authed);
    CHECK(f.server == "x");
    const char* bad[] = {"not json", "[1]", "{\"username\": 1}", "{\"authed\": \"yes\"}", "{\"evil\": \"x\"}",
                         "{\"username\": \"c\", \"authed\": 1}"};
    for (const char* answer : bad) {
      CAPTURE(answer);
      core::HookFields before = f;
      CHECK_FALSE(ApplyHookAnswer(answer, &f).ok());
      CHECK(f.username == before.username);
      CHECK(f.authed == before.authed);
    }
  }

  TEST_CASE("policy: deny turns a failing script into PermissionDenied, continue keeps the fields") {
    backends::optional_scripts::ScriptHooksOptions o;
    o.pre_auth = {"/bin/false"};
    o.timeout = std::chrono::seconds(5);
    core::HookFields f{"alice", "", "", "", "", "", false, ""};
    backends::optional_scripts::ScriptHooks deny(o);
    CHECK(deny.Run(core::HookStage::kPreAuth, f).status().code() == core::StatusCode::kPermissionDenied);
    o.deny_on_failure = false;
    backends::optional_scripts::ScriptHooks go_on(o);
    core::Result<core::HookFields> r = go_on.Run(core::HookStage::kPreAuth, f);
    REQUIRE(r.ok());
    CHECK(r->username == "alice");
    CHECK(go_on.Has(core::HookStage::kPreAuth));
    CHECK_FALSE(go_on.Has(core::HookStage::kSelectSession));
  }
}
