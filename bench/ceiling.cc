// SPDX-License-Identifier: AGPL-3.0-or-later
// x2gobroker-bench-ceiling: a do-nothing FastCGI responder, the ceiling of bench/run.
// It costs what nginx + FastCGI cost and nothing else: each request's parameters and body are
// read (as the broker must), then a fixed `text/plain; charset=utf-8` body of --body-bytes is
// sent. The worker model is the broker's (fcgi/worker_pool.cc, libfcgi examples/threaded.c):
// N threads, each with its own FCGX_Request; a thread without a kept-alive connection accepts
// under a mutex, a thread bound to a kept connection (nginx fastcgi_keep_conn) waits on that
// connection without holding the mutex, so one idle kept connection never blocks the others.
//
// Usage: x2gobroker-bench-ceiling [--socket unix:PATH] [--threads N] [--body-bytes N]
// Without --socket it accepts on the socket inherited as fd 0 (spawn-fcgi). SIGTERM/SIGINT stop it.
// Not for production: no limits beyond a body cap, no logging.
#include <fcgiapp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace x2gobroker::bench {
namespace {

// The broker caps request bodies at 64 KiB (PROTOCOL.md 1.5); reading more is never needed.
constexpr long kMaxBodyBytes = 64 * 1024;
// A read-only answer larger than this is not a broker answer any more.
constexpr long kMaxAnswerBytes = 16 * 1024 * 1024;

struct Options {
  std::string socket_path;  // empty: inherited fd 0
  int threads = 8;          // the broker's default
  long body_bytes = 24905;  // bench/make-profiles' listsessions answer
};

bool ParseLong(std::string_view text, long min, long max, long* out) {
  long value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return false;
  if (value < min || value > max) return false;
  *out = value;
  return true;
}

void Usage(FILE* out) {
  fprintf(out,
          "Usage: x2gobroker-bench-ceiling [--socket unix:PATH] [--threads N] [--body-bytes N]\n"
          "A do-nothing FastCGI responder: reads each request, answers 200 text/plain with N bytes.\n"
          "Without --socket it accepts on the socket inherited as fd 0 (spawn-fcgi).\n");
}

// Returns false (after printing why) on a bad command line.
bool ParseOptions(int argc, char** argv, Options* options) {
  for (int i = 1; i < argc; ++i) {
    std::string_view name = argv[i];
    if (name == "-h" || name == "--help") {
      Usage(stdout);
      exit(0);
    }
    if (i + 1 >= argc) {
      fprintf(stderr, "x2gobroker-bench-ceiling: %s: missing value\n", argv[i]);
      return false;
    }
    std::string_view value = argv[++i];
    long number = 0;
    if (name == "--socket") {
      if (value.substr(0, 5) != "unix:" || value.size() == 5) {
        fprintf(stderr, "x2gobroker-bench-ceiling: --socket: expected unix:PATH\n");
        return false;
      }
      options->socket_path = std::string(value.substr(5));
    } else if (name == "--threads") {
      if (!ParseLong(value, 1, 1024, &number)) {
        fprintf(stderr, "x2gobroker-bench-ceiling: --threads: expected 1..1024\n");
        return false;
      }
      options->threads = static_cast<int>(number);
    } else if (name == "--body-bytes") {
      if (!ParseLong(value, 0, kMaxAnswerBytes, &number)) {
        fprintf(stderr, "x2gobroker-bench-ceiling: --body-bytes: expected 0..%ld\n", kMaxAnswerBytes);
        return false;
      }
      options->body_bytes = number;
    } else {
      fprintf(stderr, "x2gobroker-bench-ceiling: unknown option %s\n", argv[i - 1]);
      Usage(stderr);
      return false;
    }
  }
  return true;
}

// The complete CGI answer (headers + body), built once and shared read-only by all threads.
std::string BuildAnswer(long body_bytes) {
  std::string answer =
      "Status: 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " + std::to_string(body_bytes) +
      "\r\n\r\n";
  // Printable filler in lines, shaped like a profile listing.
  std::string body;
  body.reserve(static_cast<size_t>(body_bytes));
  static constexpr std::string_view kLine = "key=value-of-a-rendered-session-profile\n";
  while (body.size() < static_cast<size_t>(body_bytes)) body += kLine;
  body.resize(static_cast<size_t>(body_bytes));
  return answer + body;
}

class Responder {
 public:
  Responder(int listen_fd, int threads, std::string answer)
      : listen_fd_(listen_fd), thread_count_(threads), answer_(std::move(answer)) {}

  void Start() {
    running_ = thread_count_;
    for (int i = 0; i < thread_count_; ++i) threads_.emplace_back([this] { Loop(); });
  }

  // Stops accepting; threads blocked on kept connections leave when nginx closes them.
  // Returns false if some thread was still busy after `timeout`.
  bool Stop(std::chrono::milliseconds timeout) {
    FCGX_ShutdownPending();
    stopping_ = true;
    shutdown(listen_fd_, SHUT_RDWR);  // wakes the thread blocked in accept()
    std::unique_lock<std::mutex> lock(state_mutex_);
    bool all = left_.wait_for(lock, timeout, [this] { return running_ == 0; });
    lock.unlock();
    for (std::thread& thread : threads_) {
      if (all) {
        thread.join();
      } else {
        thread.detach();  // main returns and exits the process next
      }
    }
    return all;
  }

 private:
  // Reads what the broker reads: every parameter (copied out, as the broker must before
  // FCGX_Finish_r), the body up to CONTENT_LENGTH (capped), then stdin to its end, so that a
  // kept-alive connection is clean for the next request. Returns false if it is not.
  static bool Consume(FCGX_Request& request, std::vector<std::string>& params, std::string& body) {
    params.clear();
    long content_length = 0;
    bool clean = true;
    for (char** entry = request.envp; entry != nullptr && *entry != nullptr; ++entry) {
      params.emplace_back(*entry);
      std::string_view text = params.back();
      if (text.substr(0, 15) == "CONTENT_LENGTH=" && !ParseLong(text.substr(15), 0, kMaxBodyBytes, &content_length)) {
        content_length = 0;
        clean = false;  // too large or garbage: not read, the connection is dropped
      }
    }
    body.resize(static_cast<size_t>(content_length));
    size_t got = 0;
    while (got < body.size()) {
      int n = FCGX_GetStr(body.data() + got, static_cast<int>(body.size() - got), request.in);
      if (n <= 0) break;
      got += static_cast<size_t>(n);
    }
    body.resize(got);
    if (!clean) return false;
    char rest[4096];
    for (int rounds = 0; rounds < 16; ++rounds) {  // at most 64 KiB beyond CONTENT_LENGTH
      if (FCGX_GetStr(rest, sizeof rest, request.in) <= 0) return true;
    }
    return false;
  }

  void Loop() {
    FCGX_Request request;
    FCGX_InitRequest(&request, listen_fd_, 0);
    std::vector<std::string> params;
    std::string body;
    while (!stopping_) {
      int rc;
      if (request.ipcFd >= 0) {
        // A kept-alive connection (fastcgi_keep_conn on): its next request arrives on it.
        // Waiting here without the mutex keeps the other threads accepting.
        rc = FCGX_Accept_r(&request);
      } else {
        std::lock_guard<std::mutex> lock(accept_mutex_);
        if (stopping_) break;
        rc = FCGX_Accept_r(&request);
      }
      if (rc < 0) {
        if (stopping_) break;
        if (rc == -EINTR || rc == -ECONNABORTED || rc == -EAGAIN) continue;
        fprintf(stderr, "x2gobroker-bench-ceiling: FCGX_Accept_r failed (%d)\n", rc);
        usleep(100 * 1000);  // e.g. EMFILE: do not spin
        continue;
      }
      if (!Consume(request, params, body)) request.keepConnection = 0;
      FCGX_PutStr(answer_.data(), static_cast<int>(answer_.size()), request.out);
      FCGX_Finish_r(&request);
    }
    FCGX_Free(&request, 1);
    std::lock_guard<std::mutex> lock(state_mutex_);
    if (--running_ == 0) left_.notify_all();
  }

  const int listen_fd_;
  const int thread_count_;
  const std::string answer_;
  std::atomic<bool> stopping_{false};
  std::mutex accept_mutex_;
  std::mutex state_mutex_;
  std::condition_variable left_;
  int running_ = 0;  // guarded by state_mutex_
  std::vector<std::thread> threads_;
};

int Main(int argc, char** argv) {
  Options options;
  if (!ParseOptions(argc, argv, &options)) return 2;
  if (FCGX_Init() != 0) {
    fprintf(stderr, "x2gobroker-bench-ceiling: FCGX_Init failed\n");
    return 1;
  }
  int listen_fd = 0;  // FCGI_LISTENSOCK_FILENO, as spawn-fcgi hands it over
  if (!options.socket_path.empty()) {
    unlink(options.socket_path.c_str());
    listen_fd = FCGX_OpenSocket(options.socket_path.c_str(), 1024);
    if (listen_fd < 0) {
      fprintf(stderr, "x2gobroker-bench-ceiling: cannot listen on %s\n", options.socket_path.c_str());
      return 1;
    }
  }
  // Signals go to the main thread only, which waits for them with sigwait().
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);  // nginx may close a connection under us: EPIPE, not death

  Responder responder(listen_fd, options.threads, BuildAnswer(options.body_bytes));
  responder.Start();
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  bool all_left = responder.Stop(std::chrono::milliseconds(500));
  if (!options.socket_path.empty()) unlink(options.socket_path.c_str());
  // Threads still bound to kept connections may hold our mutexes: leave without destructors.
  if (!all_left) _exit(0);
  return 0;
}

}  // namespace
}  // namespace x2gobroker::bench

int main(int argc, char** argv) { return x2gobroker::bench::Main(argc, argv); }
