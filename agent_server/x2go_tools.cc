// SPDX-License-Identifier: AGPL-3.0-or-later
#include "agent_server/x2go_tools.h"

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>

#include "core/subprocess.h"

namespace x2gobroker::agent_server {
namespace {

// x2golistsessions on a PostgreSQL farm DB can take a few seconds on a busy server.
constexpr std::chrono::milliseconds kToolTimeout{30000};
constexpr size_t kMaxToolOutput = 4 << 20;

}  // namespace

bool X2GoServerInstalled() {
  for (const char* p : {kX2GoListSessions, kX2GoGetServers, kX2GoChangeStatus}) {
    if (::access(p, X_OK) != 0) return false;
  }
  return true;
}

core::Result<std::string> RunX2GoTool(const TargetUser& user, const std::vector<std::string>& argv, std::string* err) {
  core::SubprocessSpec spec;
  spec.argv = argv;
  spec.env = {"PATH=/usr/bin:/bin", "HOME=" + user.home, "USER=" + user.name, "LOGNAME=" + user.name};
  spec.timeout = kToolTimeout;
  spec.max_output_bytes = kMaxToolOutput;
  auto out = core::RunSubprocess(spec);
  if (!out.ok()) return out.status();
  *err = out->err;
  const int ws = out->wait_status;
  if (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0) {
    const std::string how = WIFEXITED(ws) ? "exit status " + std::to_string(WEXITSTATUS(ws))
                                          : "signal " + std::to_string(WIFSIGNALED(ws) ? WTERMSIG(ws) : 0);
    // The first line of its stderr says why; ErrorLine() strips anything unprintable.
    const std::string why = out->err.substr(0, out->err.find('\n'));
    return core::Unavailable(argv[0] + " failed (" + how + ")" + (why.empty() ? "" : ": " + why));
  }
  return std::move(out->out);
}

}  // namespace x2gobroker::agent_server
