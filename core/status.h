// SPDX-License-Identifier: AGPL-3.0-or-later
// Status and Result<T>: how every library reports failure without exceptions.
// Codes say what went wrong, not which HTTP status it becomes; fcgi/http_status.cc
// holds the only mapping. message() is for logs and never reaches a response body.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace x2gobroker::core {

enum class StatusCode {
  kOk,
  kInvalidArgument,   // hostile or malformed input
  kUnauthenticated,   // credentials missing or wrong
  kPermissionDenied,  // authenticated, but not allowed
  kNotFound,          // unknown route, backend or object
  kMethodNotAllowed,  // HTTP method not served by this route
  kTooLarge,          // request body over the limit
  kUnavailable,       // a backend or agent is down or unusable
  kDeadlineExceeded,  // a time-out expired
  kInternal,          // a bug or an unexpected environment failure
};

class Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
inline Status Unauthenticated(std::string m) { return {StatusCode::kUnauthenticated, std::move(m)}; }
inline Status PermissionDenied(std::string m) { return {StatusCode::kPermissionDenied, std::move(m)}; }
inline Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status MethodNotAllowed(std::string m) { return {StatusCode::kMethodNotAllowed, std::move(m)}; }
inline Status TooLarge(std::string m) { return {StatusCode::kTooLarge, std::move(m)}; }
inline Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
inline Status DeadlineExceeded(std::string m) { return {StatusCode::kDeadlineExceeded, std::move(m)}; }
inline Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

// Result<T> holds either a value or a non-OK Status (Envoy's StatusOr).
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}              // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}      // NOLINT: implicit by design

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace x2gobroker::core
