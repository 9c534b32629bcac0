// SPDX-License-Identifier: AGPL-3.0-or-later
// x2gobroker-agent: the server-side X2Go Broker Agent (PROTOCOL.md §9, issue #6), a drop-in for
// Debian's setuid Perl agent. Installed setuid root, mode 4750 root:x2gobroker, at
// /usr/lib/x2go/x2gobroker-agent; sshd runs it as the forced command of the broker's key
// (login x2gobroker) with SSH_ORIGINAL_COMMAND set, or the broker runs it locally with argv.
// Privilege model: agent_server/privilege_drop.h. Accepted grammar: agent_server/command_line.h.
//
// Answer on stdout: `OK\n` + data after the task has succeeded and exit 0, otherwise exactly
// one line `ERROR <code> <text>` and exit 1 (error_reply.h). Nothing is ever run by a shell.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>
#include <vector>

#include "agent_server/agent_config.h"
#include "agent_server/command_line.h"
#include "agent_server/error_reply.h"
#include "agent_server/privilege_drop.h"
#include "agent_server/server_task.h"
#include "agent_server/task_runner.h"

namespace {

using namespace x2gobroker;
using namespace x2gobroker::agent_server;

// A caller may start us with 0, 1 or 2 closed, so that the next file we open (an
// authorized_keys temp file) would receive our output. Occupy them with /dev/null first.
bool OccupyStandardFds() {
  for (int fd = 0; fd < 3; ++fd) {
    if (::fcntl(fd, F_GETFD) != -1) continue;
    const int opened = ::open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
    if (opened != fd) return false;
  }
  return true;
}

void WriteAll(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t w = ::write(fd, text.data() + done, text.size() - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return;
    done += static_cast<size_t>(w);
  }
}

core::Result<AgentInvocation> ReadRequest(int argc, char** argv) {
  if (const char* original = std::getenv("SSH_ORIGINAL_COMMAND")) return ParseOriginalCommand(original);
  std::vector<std::string> words;
  for (int i = 1; i < argc; ++i) words.emplace_back(argv[i]);
  return InvocationFromArgv(words);
}

core::Result<TaskOutput> Serve(int argc, char** argv) {
  if (core::Status s = CheckCaller(kBrokerAgentAccount); !s.ok()) return s;
  auto request = ReadRequest(argc, argv);
  if (!request.ok()) return request.status();
  const auto task = ServerTaskFromName(request->task);
  if (!task) return core::InvalidArgument("unknown task");
  if (core::Status s = ValidateArguments(*task, request->user, request->args); !s.ok()) return s;

  if (!TaskNeedsUser(*task)) {
    if (core::Status s = DropToCaller(); !s.ok()) return s;
    return RunAnonymousTask(*task);
  }
  auto config = LoadAgentConfig(kAgentConfigPath);  // still privileged: root's file
  if (!config.ok()) return config.status();
  auto user = LookupTargetUser(request->user, config->min_uid);
  if (!user.ok()) return user.status();
  if (core::Status s = DropTo(*user); !s.ok()) return s;
  // The caller's working directory may be closed to the user; tools get a sane one.
  if (user->home.empty() || ::chdir(user->home.c_str()) != 0) {
    if (::chdir("/") != 0) return core::Internal("chdir");
  }
  return RunUserTask(*task, *request, *user);
}

}  // namespace

int main(int argc, char** argv) {
  if (!OccupyStandardFds()) return 1;
  ::umask(077);
  // A caller-set RLIMIT_FSIZE must make write() fail (temp file discarded), not kill us midway.
  ::signal(SIGXFSZ, SIG_IGN);
  ::signal(SIGPIPE, SIG_IGN);
  auto result = Serve(argc, argv);
  if (!result.ok()) {
    WriteAll(1, ErrorLine(result.status()));
    return 1;
  }
  WriteAll(1, "OK\n" + result->data);
  if (!result->err.empty()) WriteAll(2, result->err);
  return 0;
}
