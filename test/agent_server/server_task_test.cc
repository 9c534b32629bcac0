// SPDX-License-Identifier: AGPL-3.0-or-later
#include "agent_server/server_task.h"

#include <doctest/doctest.h>

#include "agent_server/error_reply.h"
#include "agent_server/agent_config.h"

namespace x2gobroker::agent_server {
namespace {

const std::string kKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDl26mMZpwpA3wyuE0RUCT2L/A/NZP5OMe61zzftssfj bob@10.0.0.1";

TEST_SUITE("agent_server/server_task") {
  TEST_CASE("task names of §9.3, and only those") {
    CHECK(ServerTaskFromName("findbusyservers_by_sessionstats") == ServerTask::kFindBusyServers);
    CHECK(ServerTaskFromName("checkload") == ServerTask::kCheckLoad);
    CHECK_FALSE(ServerTaskFromName("Ping"));
    CHECK_FALSE(ServerTaskFromName("ping "));
    CHECK_FALSE(TaskNeedsUser(ServerTask::kPing));
    CHECK(TaskNeedsUser(ServerTask::kAddAuthKey));
    CHECK(AvailableTaskNames(false).size() == 3);
    CHECK(AvailableTaskNames(true).size() == 10);
  }

  TEST_CASE("arguments are validated per task") {
    CHECK(ValidateArguments(ServerTask::kPing, "foo", {}).ok());
    CHECK_FALSE(ValidateArguments(ServerTask::kPing, "foo", {"x"}).ok());
    CHECK_FALSE(ValidateArguments(ServerTask::kPing, "Foo;id", {}).ok());
    CHECK(ValidateArguments(ServerTask::kSuspendSession, "bob", {"bob-50-1462373071_stDXFCE_dp24"}).ok());
    CHECK_FALSE(ValidateArguments(ServerTask::kSuspendSession, "bob", {"../x"}).ok());
    CHECK_FALSE(ValidateArguments(ServerTask::kSuspendSession, "bob", {}).ok());
    CHECK(ValidateArguments(ServerTask::kAddAuthKey, "bob", {kKey, "%h/.x2go/authorized_keys"}).ok());
    CHECK(ValidateArguments(ServerTask::kAddAuthKey, "bob", {"no-pty,from=\"10.0.0.1\" " + kKey, "%h/k"}).ok());
    CHECK_FALSE(ValidateArguments(ServerTask::kAddAuthKey, "bob", {kKey, "%h/.x2go/auth keys"}).ok());
    CHECK_FALSE(ValidateArguments(ServerTask::kAddAuthKey, "bob", {"not a key", "%h/k"}).ok());
    CHECK_FALSE(ValidateArguments(ServerTask::kAddAuthKey, "bob", {kKey + "\n" + kKey, "%h/k"}).ok());
    CHECK_FALSE(ValidateArguments(ServerTask::kAddAuthKey, "bob", {kKey + "\t", "%h/k"}).ok());
    CHECK_FALSE(ValidateArguments(ServerTask::kDelAuthKey, "bob", {kKey}).ok());
  }

  TEST_CASE("error lines are one sanitized line") {
    CHECK(ErrorLine(core::PermissionDenied("operation on system user")) == "ERROR 403 operation on system user\n");
    CHECK(ErrorLine(core::InvalidArgument("a\nb")) == "ERROR 400 a?b\n");
    CHECK(ErrorLine(core::Unavailable(std::string(500, 'x'))).size() == std::string("ERROR 503 \n").size() + 200);
  }

  TEST_CASE("broker-agent.conf min-uid") {
    CHECK(ParseAgentConfig("")->min_uid == kDefaultMinUid);
    CHECK(ParseAgentConfig("# comment\n min-uid = 500 \n")->min_uid == 500);
    CHECK_FALSE(ParseAgentConfig("min-uid=0").ok());
    CHECK_FALSE(ParseAgentConfig("min-uid=-1").ok());
    CHECK_FALSE(ParseAgentConfig("min-uid=abc").ok());
    CHECK_FALSE(ParseAgentConfig("max-uid=5").ok());
    CHECK(LoadAgentConfig("/nonexistent/broker-agent.conf")->min_uid == kDefaultMinUid);
  }
}

}  // namespace
}  // namespace x2gobroker::agent_server
