// SPDX-License-Identifier: AGPL-3.0-or-later
#include "backends/auth_pam/authservice/server.h"

#include <errno.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/unique_fd.h"
#include "core/auth/pam_protocol.h"
#include "core/log.h"

namespace x2gobroker::backends::auth_pam {
namespace {

namespace auth = core::auth;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// After EMFILE/ENFILE, accept nothing for this long instead of spinning on the listen socket.
constexpr milliseconds kAcceptPause{100};

int64_t Millis(Clock::duration d) { return std::chrono::duration_cast<milliseconds>(d).count(); }

struct Job {
  uint64_t id;
  std::string user;
  core::SecretString password;
  std::string client;
};

struct Done {
  uint64_t id;
  PamCheckResult result;
};

struct Connection {
  enum class State { kReading, kThrottled, kInPam, kAnswering };
  core::UniqueFd fd;
  State state = State::kReading;
  pid_t peer_pid = 0;
  uid_t peer_uid = 0;
  Clock::time_point read_deadline;
  core::SecretString buffer;  // the frame being read (it carries the password)
  size_t have = 0;
  Clock::time_point request_time;  // the whole request has arrived
  std::string user;
  std::string client;
  core::SecretString password;     // kept only while throttled
  Clock::time_point due;           // kThrottled: PAM start; kAnswering: answer time
  auth::Answer answer = auth::Answer::kFail;
  std::string outcome;             // for the log line
};

}  // namespace

struct AuthServer::Impl {
  AuthServerConfig config;
  int listen_fd;
  core::UniqueFd wake;  // eventfd: a worker finished
  core::auth::FailureThrottle throttle;
  std::map<uint64_t, Connection> connections;
  uint64_t next_id = 1;
  Clock::time_point accept_paused_until;

  std::mutex mutex;
  std::condition_variable work_ready;
  std::deque<Job> jobs;
  std::deque<Done> done;
  bool stopping = false;
  std::vector<std::thread> workers;

  Impl(AuthServerConfig c, int fd) : config(std::move(c)), listen_fd(fd), throttle(config.throttle) {}

  void StartWorkers() {
    for (int i = 0; i < config.max_concurrent; ++i) workers.emplace_back([this] { WorkerLoop(); });
  }

  void StopWorkers() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      stopping = true;
      jobs.clear();  // SecretStrings wipe the passwords
    }
    work_ready.notify_all();
    for (std::thread& t : workers) t.join();
    workers.clear();
  }

  void WorkerLoop() {
    for (;;) {
      Job job;
      {
        std::unique_lock<std::mutex> lock(mutex);
        work_ready.wait(lock, [this] { return stopping || !jobs.empty(); });
        if (stopping) return;
        job = std::move(jobs.front());
        jobs.pop_front();
      }
      PamCheckResult result = config.check(job.user, job.password, job.client);
      job.password.Clear();
      {
        std::lock_guard<std::mutex> lock(mutex);
        done.push_back(Done{job.id, std::move(result)});
      }
      uint64_t one = 1;
      ssize_t ignored = ::write(wake.get(), &one, sizeof one);
      (void)ignored;
    }
  }

  std::string Who(const Connection& c) const {
    return "user=" + core::Printable(c.user) + " client=" + (c.client.empty() ? "-" : c.client) +
           " peer_pid=" + std::to_string(c.peer_pid);
  }

  void Close(uint64_t id) { connections.erase(id); }

  // Logs the attempt, then sends the answer frame and closes (logged first, so that whoever
  // acts on the answer finds the line). A peer that has gone away is not an error.
  void Answer(uint64_t id, Connection& c) {
    const int64_t ms = Millis(Clock::now() - c.request_time);
    const std::string line = Who(c) + " result=" + std::string(auth::AnswerName(c.answer)) +
                             (c.outcome.empty() ? "" : " (" + c.outcome + ")") + " time=" + std::to_string(ms) + "ms";
    if (c.answer == auth::Answer::kUnavailable) {
      core::LogWarning(line);
    } else {
      core::LogInfo(line);
    }
    const std::string frame = auth::EncodeAnswer(c.answer);
    ssize_t sent = ::send(c.fd.get(), frame.data(), frame.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (sent != static_cast<ssize_t>(frame.size())) {
      core::LogDebug("peer_pid=" + std::to_string(c.peer_pid) + " went away before the answer");
    }
    Close(id);
  }

  void Dispatch(uint64_t id, Connection& c) {
    c.state = Connection::State::kInPam;
    {
      std::lock_guard<std::mutex> lock(mutex);
      jobs.push_back(Job{id, c.user, std::move(c.password), c.client});
    }
    c.password = core::SecretString();
    work_ready.notify_one();
  }

  // The whole frame is in c.buffer.
  void OnRequest(uint64_t id, Connection& c, Clock::time_point now) {
    core::Result<auth::AuthenticateRequest> request = auth::DecodeAuthenticateRequest(c.buffer.view());
    c.buffer = core::SecretString();  // wiped
    if (!request.ok()) {
      core::LogWarning("malformed request from peer_pid=" + std::to_string(c.peer_pid) + " uid=" +
                       std::to_string(c.peer_uid) + ": " + request.status().message() + "; closed without a reply");
      Close(id);
      return;
    }
    // One request per connection: anything after it is out of order.
    char extra;
    if (::recv(c.fd.get(), &extra, 1, MSG_PEEK | MSG_DONTWAIT) > 0) {
      core::LogWarning("bytes after the request from peer_pid=" + std::to_string(c.peer_pid) +
                       "; closed without a reply");
      Close(id);
      return;
    }
    c.request_time = now;
    c.user = std::move(request->user);
    c.client = std::move(request->client_address);
    c.password = std::move(request->password);
    core::auth::FailureThrottle::Decision decision = throttle.Admit(c.user, c.client, now);
    if (decision.refused) {
      c.password.Clear();
      c.answer = auth::Answer::kUnavailable;
      c.outcome = "throttled: too many recent failures for this user or client address";
      Answer(id, c);
      return;
    }
    if (decision.wait.count() > 0) {
      core::LogDebug(Who(c) + " throttled: waits " + std::to_string(decision.wait.count()) + "ms");
      c.state = Connection::State::kThrottled;
      c.due = now + decision.wait;
      return;
    }
    Dispatch(id, c);
  }

  void OnReadable(uint64_t id, Connection& c, Clock::time_point now) {
    for (;;) {
      size_t need = c.buffer.size();
      if (c.have == need) {
        if (need == auth::kFrameHeaderBytes) {
          core::Result<size_t> body = auth::DecodeFrameHeader(c.buffer.view());
          if (!body.ok()) {
            core::LogWarning("malformed frame header from peer_pid=" + std::to_string(c.peer_pid) + ": " +
                             body.status().message() + "; closed without a reply");
            Close(id);
            return;
          }
          c.buffer.Resize(auth::kFrameHeaderBytes + *body);
          continue;
        }
        OnRequest(id, c, now);
        return;
      }
      ssize_t n = ::recv(c.fd.get(), c.buffer.data() + c.have, need - c.have, MSG_DONTWAIT);
      if (n > 0) {
        c.have += static_cast<size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
      if (c.have > 0) {
        core::LogWarning("truncated request from peer_pid=" + std::to_string(c.peer_pid) + "; closed");
      }
      Close(id);  // EOF or error
      return;
    }
  }

  void OnDone(Done d, Clock::time_point now) {
    auto it = connections.find(d.id);
    if (it == connections.end()) return;
    Connection& c = it->second;
    const PamCheckResult& r = d.result;
    switch (r.verdict) {
      case PamVerdict::kSuccess:
        throttle.RecordSuccess(c.user, now);
        c.answer = auth::Answer::kOk;
        Answer(d.id, c);
        return;
      case PamVerdict::kUnavailable:
        c.answer = auth::Answer::kUnavailable;
        c.outcome = "PAM: " + r.pam_message;
        Answer(d.id, c);
        return;
      case PamVerdict::kFailure:
        break;
    }
    c.answer = auth::Answer::kFail;
    c.outcome = "PAM: " + r.pam_message;
    // Unknown user and wrong password: the same answer at (at least) the same time.
    Clock::duration floor = std::max<Clock::duration>(config.fail_delay, r.requested_fail_delay);
    c.state = Connection::State::kAnswering;
    c.due = std::max(now, c.request_time + floor);
    // The back-off counts from the answer: the guesser waits for it on top of the failure delay.
    throttle.RecordFailure(c.user, c.client, c.due);
    if (c.due <= now) Answer(d.id, c);
  }

  void Accept(Clock::time_point now) {
    while (connections.size() < config.max_connections) {
      int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
          core::LogError(std::string("accept: ") + std::strerror(errno) + "; pausing");
          accept_paused_until = now + kAcceptPause;
        }
        return;
      }
      core::UniqueFd conn(fd);
      ucred peer{};
      socklen_t len = sizeof peer;
      if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &len) != 0 || len != sizeof peer) {
        core::LogWarning(std::string("SO_PEERCRED failed: ") + std::strerror(errno) + "; connection closed");
        continue;
      }
      if (config.allowed_uids.count(peer.uid) == 0) {
        core::LogWarning("refused a connection from uid=" + std::to_string(peer.uid) + " pid=" +
                         std::to_string(peer.pid) + " (not an allowed uid); closed without a reply");
        continue;
      }
      const uint64_t id = next_id++;
      Connection& c = connections[id];
      c.fd = std::move(conn);
      c.peer_pid = peer.pid;
      c.peer_uid = peer.uid;
      c.read_deadline = now + config.read_timeout;
      c.buffer.Resize(auth::kFrameHeaderBytes);
    }
  }

  core::Status Run(int stop_fd) {
    wake.reset(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
    if (!wake.valid()) return core::Internal(std::string("eventfd: ") + std::strerror(errno));
    StartWorkers();
    core::Status status = Loop(stop_fd);
    connections.clear();  // closes without answers
    StopWorkers();
    return status;
  }

  core::Status Loop(int stop_fd) {
    std::vector<pollfd> fds;
    std::vector<uint64_t> ids;  // connection id of fds[i], for i >= kFixed
    for (;;) {
      Clock::time_point now = Clock::now();
      // Timers first: they may free connection slots.
      std::optional<Clock::time_point> next;
      auto consider = [&](Clock::time_point t) { next = next ? std::min(*next, t) : t; };
      for (auto it = connections.begin(); it != connections.end();) {
        const uint64_t id = it->first;
        Connection& c = it->second;
        ++it;  // `c` may be erased below
        switch (c.state) {
          case Connection::State::kReading:
            if (now >= c.read_deadline) {
              core::LogWarning("no complete request from peer_pid=" + std::to_string(c.peer_pid) + " within " +
                               std::to_string(config.read_timeout.count()) + "ms; closed");
              Close(id);
            } else {
              consider(c.read_deadline);
            }
            break;
          case Connection::State::kThrottled:
            if (now >= c.due) {
              Dispatch(id, c);
            } else {
              consider(c.due);
            }
            break;
          case Connection::State::kAnswering:
            if (now >= c.due) {
              Answer(id, c);
            } else {
              consider(c.due);
            }
            break;
          case Connection::State::kInPam:
            break;
        }
      }

      fds.clear();
      ids.clear();
      fds.push_back({stop_fd, POLLIN, 0});
      fds.push_back({wake.get(), POLLIN, 0});
      const bool accepting = connections.size() < config.max_connections && now >= accept_paused_until;
      fds.push_back({accepting ? listen_fd : -1, POLLIN, 0});
      if (!accepting && now < accept_paused_until) consider(accept_paused_until);
      constexpr size_t kFixed = 3;
      for (auto& [id, c] : connections) {
        if (c.state != Connection::State::kReading) continue;
        fds.push_back({c.fd.get(), POLLIN, 0});
        ids.push_back(id);
      }
      int timeout = -1;
      if (next) timeout = static_cast<int>(std::clamp<int64_t>(Millis(*next - now) + 1, 0, 60000));
      int n = ::poll(fds.data(), fds.size(), timeout);
      if (n < 0) {
        if (errno == EINTR) continue;
        return core::Internal(std::string("poll: ") + std::strerror(errno));
      }
      now = Clock::now();
      if (fds[0].revents != 0) return core::Status::Ok();  // asked to stop
      if (fds[1].revents != 0) {
        uint64_t count;
        ssize_t ignored = ::read(wake.get(), &count, sizeof count);
        (void)ignored;
        std::deque<Done> finished;
        {
          std::lock_guard<std::mutex> lock(mutex);
          finished.swap(done);
        }
        for (Done& d : finished) OnDone(std::move(d), now);
      }
      for (size_t i = kFixed; i < fds.size(); ++i) {
        if (fds[i].revents == 0) continue;
        auto it = connections.find(ids[i - kFixed]);
        if (it == connections.end() || it->second.state != Connection::State::kReading) continue;
        OnReadable(it->first, it->second, now);
      }
      if (fds[2].fd >= 0 && fds[2].revents != 0) Accept(now);
    }
  }
};

AuthServer::AuthServer(AuthServerConfig config, int listen_fd)
    : impl_(std::make_unique<Impl>(std::move(config), listen_fd)) {}

AuthServer::~AuthServer() = default;

core::Status AuthServer::Run(int stop_fd) { return impl_->Run(stop_fd); }

}  // namespace x2gobroker::backends::auth_pam
