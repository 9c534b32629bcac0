// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/deadline.h"
#include "core/unique_fd.h"

namespace x2gobroker::core {
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

Status MakePipe(UniqueFd* read_end, UniqueFd* write_end) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return Internal(std::string("pipe2: ") + std::strerror(errno));
  read_end->reset(fds[0]);
  write_end->reset(fds[1]);
  return Status::Ok();
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

Result<SubprocessOutput> RunSubprocess(const SubprocessSpec& spec) {
  if (spec.argv.empty() || spec.argv[0].empty() || spec.argv[0][0] != '/') {
    return InvalidArgument("a program must be given by its absolute path");
  }
  const Deadline deadline = Deadline::In(static_cast<int>(spec.timeout.count()));
  std::vector<std::string> words = spec.argv;
  std::vector<char*> argv;
  for (std::string& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_words = spec.env;
  std::vector<char*> envp;
  for (std::string& e : env_words) envp.push_back(e.data());
  envp.push_back(nullptr);

  UniqueFd in_r, in_w, out_r, out_w, err_r, err_w;
  if (!spec.stdin_data.empty()) {
    // A socket pair rather than a pipe: send(MSG_NOSIGNAL) cannot raise SIGPIPE in a process
    // that does not ignore it (the command-line tools) when the child stops reading.
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
      return Internal(std::string("socketpair: ") + std::strerror(errno));
    }
    in_r.reset(fds[0]);
    in_w.reset(fds[1]);
  }
  if (Status s = MakePipe(&out_r, &out_w); !s.ok()) return s;
  if (Status s = MakePipe(&err_r, &err_w); !s.ok()) return s;
  SpawnActions fa;
  if (spec.stdin_data.empty()) {
    posix_spawn_file_actions_addopen(&fa.actions, 0, "/dev/null", O_RDONLY, 0);
  } else {
    posix_spawn_file_actions_adddup2(&fa.actions, in_r.get(), 0);
  }
  posix_spawn_file_actions_adddup2(&fa.actions, out_w.get(), 1);
  posix_spawn_file_actions_adddup2(&fa.actions, err_w.get(), 2);
  SpawnAttr attr;
  sigset_t empty, all;
  sigemptyset(&empty);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr.attr, &empty);
  posix_spawnattr_setsigdefault(&attr.attr, &all);
  posix_spawnattr_setflags(&attr.attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, words[0].c_str(), &fa.actions, &attr.attr, argv.data(), envp.data());
  if (rc != 0) return Unavailable("cannot run " + words[0] + ": " + std::strerror(rc));
  in_r.reset();
  out_w.reset();
  err_w.reset();

  SubprocessOutput result;
  size_t written = 0;
  bool out_open = true, err_open = true;
  Status failure;
  char buf[16384];
  while (out_open || err_open) {
    // A child that does not read its input must not block us: stdin is written as it drains.
    pollfd p[3] = {{out_open ? out_r.get() : -1, POLLIN, 0},
                   {err_open ? err_r.get() : -1, POLLIN, 0},
                   {in_w.get(), POLLOUT, 0}};
    int ms = deadline.remaining_ms();
    int n = ms == 0 ? 0 : ::poll(p, 3, ms);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      failure = n == 0 ? DeadlineExceeded(words[0] + " timed out") : Internal("poll failed");
      break;
    }
    if (p[2].fd >= 0 && p[2].revents != 0) {
      ssize_t w = ::send(in_w.get(), spec.stdin_data.data() + written, spec.stdin_data.size() - written,
                         MSG_NOSIGNAL | MSG_DONTWAIT);
      if (w > 0) written += static_cast<size_t>(w);
      if (w < 0 && errno != EAGAIN && errno != EINTR) written = spec.stdin_data.size();  // EPIPE: it stopped reading
      if (written == spec.stdin_data.size()) in_w.reset();
    }
    for (int i = 0; i < 2; ++i) {
      if (p[i].fd < 0 || p[i].revents == 0) continue;
      ssize_t r = ::read(p[i].fd, buf, sizeof(buf));
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) {
        (i == 0 ? out_open : err_open) = false;
        continue;
      }
      std::string& sink = i == 0 ? result.out : result.err;
      sink.append(buf, static_cast<size_t>(r));
      if (sink.size() > spec.max_output_bytes) failure = Unavailable(words[0] + ": output over the limit");
    }
    if (!failure.ok()) break;
  }
  if (!failure.ok()) {
    ::kill(pid, SIGKILL);
    Reap(pid, Deadline::In(0));
    return failure;
  }
  int status = Reap(pid, deadline);
  if (status == -1) return DeadlineExceeded(words[0] + " did not exit in time");
  result.wait_status = status;
  return result;
}

}  // namespace x2gobroker::core
