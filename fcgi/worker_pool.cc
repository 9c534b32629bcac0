// SPDX-License-Identifier: AGPL-3.0-or-later
#include "fcgi/worker_pool.h"

#include <fcgiapp.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <string>
#include <string_view>
#include <system_error>

#include "core/broker_metrics.h"
#include "core/log.h"
#include "fcgi/access_log.h"
#include "fcgi/exchange.h"

namespace x2gobroker::fcgi {
namespace {

// What a worker sends if answering itself failed (e.g. out of memory while rendering).
constexpr std::string_view kLastResortBody =
    "<html><title>500: Internal Server Error</title><body>500: Internal Server Error</body></html>";
constexpr std::string_view kLastResort =
    "Status: 500 Internal Server Error\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Length: 93\r\n\r\n"
    "<html><title>500: Internal Server Error</title><body>500: Internal Server Error</body></html>";
static_assert(kLastResortBody.size() == 93 && kLastResort.ends_with(kLastResortBody));

// Copies the parameters out of the request: libfcgi frees them in FCGX_Finish_r.
FcgiParams CopyParams(const FCGX_Request& request) {
  FcgiParams params;
  for (char** entry = request.envp; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    size_t equals = text.find('=');
    if (equals == std::string_view::npos) continue;
    params.emplace(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
  }
  return params;
}

// Answers one accepted request and finishes it (FCGX_Finish_r).
void Serve(FCGX_Request& request, const HandlerPtr& snapshot) {
  auto start = std::chrono::steady_clock::now();
  StreamReader read_stdin = [&request](char* buffer, size_t size) -> size_t {
    if (size == 0) return 0;
    int got = FCGX_GetStr(buffer, static_cast<int>(size), request.in);
    return got > 0 ? static_cast<size_t>(got) : 0;
  };
  Exchange exchange;
  bool answered = false;
  try {
    exchange = Answer(CopyParams(request), read_stdin, *snapshot);
    answered = true;
  } catch (const std::exception& e) {
    core::LogError(std::string("request failed before an answer: ") + e.what());
  } catch (...) {
    core::LogError("request failed before an answer: unknown exception");
  }
  std::string_view bytes = answered ? std::string_view(exchange.rendered.bytes) : kLastResort;
  if (FCGX_PutStr(bytes.data(), static_cast<int>(bytes.size()), request.out) < 0) {
    core::LogDebug("request " + exchange.request.request_id + ": the web server went away before the answer");
  }
  // Unread stdin would be taken for the next request on a kept-alive connection.
  if (!answered || !exchange.connection_clean) request.keepConnection = 0;
  FCGX_Finish_r(&request);
  if (!answered) return;

  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  int status = exchange.rendered.status;
  core::RecordRequest(exchange.request.path, exchange.response.log_task, status, ms / 1000);
  core::LogAccess(FormatAccessLine(exchange.request, exchange.response, status, ms));
  if (status >= 500) {
    // Also at error level, so that --log-level warning still shows server-side failures.
    core::LogError("request " + exchange.request.request_id + ": " + std::to_string(status) + ": " +
                   exchange.response.error.message());
  }
  if (exchange.rendered.dropped_headers > 0) {
    core::LogWarning("request " + exchange.request.request_id + ": dropped " +
                     std::to_string(exchange.rendered.dropped_headers) + " malformed or reserved header(s)");
  }
}

}  // namespace

WorkerPool::WorkerPool(int listen_fd, int threads, const SnapshotHolder& holder, PoolTimeouts timeouts)
    : listen_fd_(listen_fd), thread_count_(threads), holder_(holder), timeouts_(timeouts) {}

WorkerPool::~WorkerPool() {
  Stop();
  if (WaitStopped(std::chrono::milliseconds(0))) return;
  for (std::thread& thread : threads_) thread.detach();  // only reached when the caller _exits next
}

core::Status WorkerPool::Start() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) return core::Internal(std::string("pipe2: ") + strerror(errno));
  wake_read_.reset(fds[0]);
  wake_write_.reset(fds[1]);
  std::lock_guard<std::mutex> lock(state_mutex_);
  for (int i = 0; i < thread_count_; ++i) {
    try {
      threads_.emplace_back([this] { WorkerLoop(); });
    } catch (const std::system_error& e) {
      Stop();
      return core::Internal(std::string("cannot start a worker thread: ") + e.what());
    }
    ++running_;
  }
  return core::Status::Ok();
}

void WorkerPool::Stop() {
  if (stopping_.exchange(true)) return;
  // The pipe is never read: once written it stays readable and wakes every poll, now and later.
  if (wake_write_.valid()) {
    ssize_t ignored = write(wake_write_.get(), "x", 1);
    (void)ignored;
  }
}

bool WorkerPool::WaitStopped(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(state_mutex_);
  if (!all_left_.wait_for(lock, timeout, [this] { return running_ == 0; })) return false;
  lock.unlock();
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  return true;
}

WorkerPool::Wait WorkerPool::WaitReadable(int fd, int timeout_ms) {
  pollfd fds[2] = {{fd, POLLIN, 0}, {wake_read_.get(), POLLIN, 0}};
  while (!stopping_.load()) {
    int ready = poll(fds, 2, timeout_ms);
    if (ready == 0) return Wait::kTimedOut;
    if (ready < 0) {
      if (errno == EINTR) continue;
      core::LogError(std::string("poll: ") + strerror(errno));
      Pause(std::chrono::seconds(1));
      continue;
    }
    if (fds[1].revents != 0) return Wait::kStopping;
    if (fds[0].revents & POLLNVAL) {
      core::LogError("poll: descriptor " + std::to_string(fd) + " is not open");
      Pause(std::chrono::seconds(1));
      continue;
    }
    if (fds[0].revents != 0) return Wait::kReadable;  // readable, or hung up/error: accept/read will tell
  }
  return Wait::kStopping;
}

void WorkerPool::Pause(std::chrono::milliseconds duration) {
  pollfd wake = {wake_read_.get(), POLLIN, 0};
  poll(&wake, 1, static_cast<int>(duration.count()));
}

core::UniqueFd WorkerPool::AcceptConnection() {
  std::lock_guard<std::mutex> lock(accept_mutex_);
  if (stopping_.load() || WaitReadable(listen_fd_, -1) != Wait::kReadable) return {};
  core::UniqueFd connection(accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC));
  if (!connection.valid()) {
    // EAGAIN: a sibling process took the connection between poll and accept. The others are
    // the peer giving up before we got to it (Linux reports them from accept).
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR || errno == ECONNABORTED || errno == EPROTO ||
        errno == ECONNRESET) {
      return {};
    }
    core::LogError(std::string("accept: ") + strerror(errno));
    Pause(std::chrono::milliseconds(200));  // e.g. EMFILE: do not spin (the mutex keeps the others waiting)
    return {};
  }
  return connection;
}

void WorkerPool::WorkerLoop() {
  FCGX_Request request;
  // No listen socket for libfcgi (-1): it only ever reads connections we hand it.
  FCGX_InitRequest(&request, -1, 0);
  const timeval io_timeout = {static_cast<time_t>(timeouts_.io.count() / 1000),
                              static_cast<suseconds_t>(timeouts_.io.count() % 1000 * 1000)};
  while (!stopping_.load()) {
    if (request.ipcFd < 0) {
      core::UniqueFd connection = AcceptConnection();
      if (!connection.valid()) continue;
      setsockopt(connection.get(), SOL_SOCKET, SO_RCVTIMEO, &io_timeout, sizeof io_timeout);
      setsockopt(connection.get(), SOL_SOCKET, SO_SNDTIMEO, &io_timeout, sizeof io_timeout);
      int one = 1;
      setsockopt(connection.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // fails harmlessly on unix sockets
      request.ipcFd = connection.release();
      // FCGX_Accept_r starts by finishing the previous request; this stops it from closing
      // the connection we just gave it. The BEGIN_REQUEST record then sets the real value.
      request.keepConnection = 1;
    } else {
      // A kept-alive connection (fastcgi_keep_conn): the next request comes on it.
      Wait wait = WaitReadable(request.ipcFd, static_cast<int>(timeouts_.keep_alive_idle.count()));
      if (wait == Wait::kStopping) break;
      if (wait == Wait::kTimedOut) {
        FCGX_Free(&request, 1);
        continue;
      }
    }
    if (FCGX_Accept_r(&request) < 0) {
      // libfcgi closed the connection: it ended or timed out before a complete request
      // (its own retry then fails on the absent listen socket, which is what we want).
      core::LogDebug("FastCGI connection closed before a complete request");
      continue;
    }
    ++busy_;
    Serve(request, holder_.Current());
    --busy_;
  }
  FCGX_Free(&request, 1);  // closes a kept-alive connection
  std::lock_guard<std::mutex> lock(state_mutex_);
  if (--running_ == 0) all_left_.notify_all();
}

}  // namespace x2gobroker::fcgi
