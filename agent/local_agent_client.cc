// SPDX-License-Identifier: AGPL-3.0-or-later
#include "agent/local_agent_client.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "agent/agent_log.h"
#include "agent/deadline.h"
#include "core/agent_command.h"
#include "core/agent_output.h"
#include "core/log.h"
#include "core/unique_fd.h"

namespace x2gobroker::agent {
namespace {

// Polling interval while waiting for a child that closed its pipes but has not exited yet.
constexpr int kReapPollMs = 5;

struct SpawnActions {
  posix_spawn_file_actions_t actions;
  SpawnActions() { posix_spawn_file_actions_init(&actions); }
  ~SpawnActions() { posix_spawn_file_actions_destroy(&actions); }
};
struct SpawnAttr {
  posix_spawnattr_t attr;
  SpawnAttr() { posix_spawnattr_init(&attr); }
  ~SpawnAttr() { posix_spawnattr_destroy(&attr); }
};

core::Status MakePipe(core::UniqueFd* read_end, core::UniqueFd* write_end) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return core::Internal(std::string("pipe2: ") + std::strerror(errno));
  read_end->reset(fds[0]);
  write_end->reset(fds[1]);
  return core::Status::Ok();
}

// Waits for `pid` until `deadline`; kills it with SIGKILL then. Returns the wait status, or -1
// if it had to be killed.
int Reap(pid_t pid, const Deadline& deadline) {
  int status = 0;
  for (;;) {
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return status;
    if (r < 0 && errno != EINTR) return -1;
    if (deadline.expired()) break;
    ::poll(nullptr, 0, kReapPollMs);
  }
  ::kill(pid, SIGKILL);
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return -1;
}

}  // namespace

core::Result<std::shared_ptr<LocalAgentClient>> LocalAgentClient::Create(LocalAgentClientOptions options) {
  if (options.command_timeout_ms <= 0) return core::InvalidArgument("agent time-out must be positive");
  if (options.agent_command.empty() || options.agent_command[0] != '/') {
    return core::InvalidArgument("agent command must be an absolute path");
  }
  if (::access(options.agent_command.c_str(), X_OK) != 0) {
    return core::Unavailable("cannot execute " + options.agent_command + ": " + std::strerror(errno) +
                             " (LOCAL mode needs group x2gobroker)");
  }
  return std::shared_ptr<LocalAgentClient>(new LocalAgentClient(std::move(options)));
}

core::Result<core::AgentReply> LocalAgentClient::Run(const core::AgentTarget& target, core::AgentTask task,
                                                     const std::string& user, const std::vector<std::string>& args) const {
  auto words = core::AgentArguments(task, user, args);
  if (!words.ok()) return words.status();
  const Deadline deadline = Deadline::In(options_.command_timeout_ms);
  const std::string where = "localhost" + (target.hostname.empty() ? std::string() : " (" + target.hostname + ")");

  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(options_.agent_command.c_str()));
  for (std::string& w : *words) argv.push_back(w.data());
  argv.push_back(nullptr);
  // The agent cleans its environment itself, but nothing of the broker's (tokens, config
  // paths) needs to reach a setuid program.
  char path_env[] = "PATH=/usr/bin:/bin";
  char* envp[] = {path_env, nullptr};

  core::UniqueFd out_r, out_w, err_r, err_w;
  if (core::Status s = MakePipe(&out_r, &out_w); !s.ok()) return s;
  if (core::Status s = MakePipe(&err_r, &err_w); !s.ok()) return s;
  SpawnActions fa;
  posix_spawn_file_actions_addopen(&fa.actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa.actions, out_w.get(), 1);
  posix_spawn_file_actions_adddup2(&fa.actions, err_w.get(), 2);
  SpawnAttr attr;
  // Worker threads may block signals (SIGTERM handling) or ignore SIGPIPE; the agent starts clean.
  sigset_t empty, all;
  sigemptyset(&empty);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr.attr, &empty);
  posix_spawnattr_setsigdefault(&attr.attr, &all);
  posix_spawnattr_setflags(&attr.attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, options_.agent_command.c_str(), &fa.actions, &attr.attr, argv.data(), envp);
  if (rc != 0) return core::Unavailable("cannot run " + options_.agent_command + ": " + std::strerror(rc));
  out_w.reset();
  err_w.reset();

  std::string out, err;
  bool out_open = true, err_open = true;
  core::Status failure;
  char buf[16384];
  while (out_open || err_open) {
    pollfd p[2] = {{out_open ? out_r.get() : -1, POLLIN, 0}, {err_open ? err_r.get() : -1, POLLIN, 0}};
    int ms = deadline.remaining_ms();
    int n = ms == 0 ? 0 : ::poll(p, 2, ms);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      failure = n == 0 ? core::DeadlineExceeded("local agent timed out") : core::Internal("poll failed");
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (p[i].fd < 0 || p[i].revents == 0) continue;
      ssize_t r = ::read(p[i].fd, buf, sizeof(buf));
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) {
        (i == 0 ? out_open : err_open) = false;
        continue;
      }
      std::string& sink = i == 0 ? out : err;
      sink.append(buf, static_cast<size_t>(r));
      if (sink.size() > core::kMaxAgentOutputBytes) failure = core::Unavailable("local agent output over the limit");
    }
    if (!failure.ok()) break;
  }
  if (!failure.ok()) {
    ::kill(pid, SIGKILL);
    Reap(pid, Deadline::In(0));
    LogAgentStderr(task, where, err);
    return failure;
  }
  int status = Reap(pid, deadline);
  LogAgentStderr(task, where, err);
  if (status == -1) return core::DeadlineExceeded("local agent did not exit in time");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    core::LogDebug(std::string("local agent ") + core::AgentTaskName(task) + " exit status " + std::to_string(status));
  }
  auto reply = core::ParseAgentOutput(out);
  if (!reply.ok()) {
    return core::Status(reply.status().code(), std::string("local agent ") + core::AgentTaskName(task) + ": " +
                                                   reply.status().message());
  }
  return reply;
}

}  // namespace x2gobroker::agent
