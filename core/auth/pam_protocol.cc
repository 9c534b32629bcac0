// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/auth/pam_protocol.h"

namespace x2gobroker::core::auth {
namespace {

// Each field of REQ_AUTHENTICATE carries a u16 length.
constexpr size_t kFieldHeaderBytes = 2;

uint32_t ReadU32(std::string_view bytes) {
  return (uint32_t{static_cast<uint8_t>(bytes[0])} << 24) | (uint32_t{static_cast<uint8_t>(bytes[1])} << 16) |
         (uint32_t{static_cast<uint8_t>(bytes[2])} << 8) | uint32_t{static_cast<uint8_t>(bytes[3])};
}

void AppendU32(SecretString& out, uint32_t value) {
  out.PushBack(static_cast<char>(value >> 24));
  out.PushBack(static_cast<char>(value >> 16));
  out.PushBack(static_cast<char>(value >> 8));
  out.PushBack(static_cast<char>(value));
}

void AppendField(SecretString& out, std::string_view field) {
  out.PushBack(static_cast<char>(field.size() >> 8));
  out.PushBack(static_cast<char>(field.size() & 0xff));
  out.Append(field);
}

// Takes one length-prefixed field off the front of `*rest`.
bool TakeField(std::string_view* rest, std::string_view* field) {
  if (rest->size() < kFieldHeaderBytes) return false;
  size_t size = (size_t{static_cast<uint8_t>((*rest)[0])} << 8) | size_t{static_cast<uint8_t>((*rest)[1])};
  rest->remove_prefix(kFieldHeaderBytes);
  if (rest->size() < size) return false;
  *field = rest->substr(0, size);
  rest->remove_prefix(size);
  return true;
}

// Splits a whole frame into type and payload after checking the header against the size.
Status SplitFrame(std::string_view frame, uint8_t* type, std::string_view* payload) {
  if (frame.size() < kFrameHeaderBytes) return InvalidArgument("truncated frame header");
  Result<size_t> body = DecodeFrameHeader(frame.substr(0, kFrameHeaderBytes));
  if (!body.ok()) return body.status();
  if (frame.size() - kFrameHeaderBytes != *body) {
    return InvalidArgument(frame.size() - kFrameHeaderBytes < *body ? "truncated frame" : "bytes after the frame");
  }
  *type = static_cast<uint8_t>(frame[kFrameHeaderBytes]);
  *payload = frame.substr(kFrameHeaderBytes + 1);
  return Status::Ok();
}

}  // namespace

Status CheckUserName(std::string_view user) {
  if (user.empty()) return InvalidArgument("empty user name");
  if (user.size() > kMaxUserBytes) return InvalidArgument("user name too long");
  for (unsigned char c : user) {
    if (c < 0x20 || c == 0x7f) return InvalidArgument("control character in user name");
  }
  return Status::Ok();
}

Status CheckPassword(std::string_view password) {
  if (password.empty()) return InvalidArgument("empty password");
  if (password.size() > kMaxPasswordBytes) return InvalidArgument("password too long");
  return Status::Ok();
}

Status CheckClientAddress(std::string_view client_address) {
  if (client_address.size() > kMaxClientAddressBytes) return InvalidArgument("client address too long");
  for (unsigned char c : client_address) {
    if (c <= 0x20 || c >= 0x7f) return InvalidArgument("bad character in client address");
  }
  return Status::Ok();
}

Result<size_t> DecodeFrameHeader(std::string_view header) {
  if (header.size() != kFrameHeaderBytes) return InvalidArgument("frame header must be 4 bytes");
  uint32_t length = ReadU32(header);
  if (length == 0) return InvalidArgument("empty frame");
  if (length > kMaxFrameBodyBytes) return InvalidArgument("frame too large");
  return static_cast<size_t>(length);
}

Result<SecretString> EncodeAuthenticateRequest(std::string_view user, std::string_view password,
                                              std::string_view client_address) {
  if (Status s = CheckUserName(user); !s.ok()) return s;
  if (Status s = CheckPassword(password); !s.ok()) return s;
  if (Status s = CheckClientAddress(client_address); !s.ok()) return s;
  // The limits above keep this far below kMaxFrameBytes (static_assert below).
  const size_t body = 1 + 3 * kFieldHeaderBytes + user.size() + password.size() + client_address.size();
  SecretString frame;
  frame.Reserve(kFrameHeaderBytes + body);
  AppendU32(frame, static_cast<uint32_t>(body));
  frame.PushBack(static_cast<char>(FrameType::kReqAuthenticate));
  AppendField(frame, user);
  AppendField(frame, password);
  AppendField(frame, client_address);
  return frame;
}
static_assert(kFrameHeaderBytes + 1 + 3 * kFieldHeaderBytes + kMaxUserBytes + kMaxPasswordBytes +
                      kMaxClientAddressBytes <= kMaxFrameBytes,
              "a request with every field at its limit must fit in one frame");

Result<AuthenticateRequest> DecodeAuthenticateRequest(std::string_view frame) {
  uint8_t type = 0;
  std::string_view rest;
  if (Status s = SplitFrame(frame, &type, &rest); !s.ok()) return s;
  if (type % 2 != 0) return InvalidArgument("an answer where a request was expected");
  if (type != static_cast<uint8_t>(FrameType::kReqAuthenticate)) return InvalidArgument("unknown request type");
  std::string_view user, password, client_address;
  if (!TakeField(&rest, &user) || !TakeField(&rest, &password) || !TakeField(&rest, &client_address)) {
    return InvalidArgument("truncated field");
  }
  if (!rest.empty()) return InvalidArgument("bytes after the last field");
  if (Status s = CheckUserName(user); !s.ok()) return s;
  if (Status s = CheckPassword(password); !s.ok()) return s;
  if (Status s = CheckClientAddress(client_address); !s.ok()) return s;
  AuthenticateRequest request;
  request.user.assign(user);
  request.password.Assign(password);
  request.client_address.assign(client_address);
  return request;
}

std::string EncodeAnswer(Answer answer) {
  FrameType type = FrameType::kAnsFail;
  switch (answer) {
    case Answer::kOk: type = FrameType::kAnsOk; break;
    case Answer::kFail: type = FrameType::kAnsFail; break;
    case Answer::kUnavailable: type = FrameType::kAnsUnavailable; break;
  }
  return std::string{'\0', '\0', '\0', '\1', static_cast<char>(type)};
}

Result<Answer> DecodeAnswer(std::string_view frame) {
  uint8_t type = 0;
  std::string_view payload;
  if (Status s = SplitFrame(frame, &type, &payload); !s.ok()) return s;
  if (type % 2 == 0) return InvalidArgument("a request where an answer was expected");
  if (!payload.empty()) return InvalidArgument("answer with a payload");
  switch (static_cast<FrameType>(type)) {
    case FrameType::kAnsOk: return Answer::kOk;
    case FrameType::kAnsFail: return Answer::kFail;
    case FrameType::kAnsUnavailable: return Answer::kUnavailable;
    default: return InvalidArgument("unknown answer type");
  }
}

std::string_view AnswerName(Answer answer) {
  switch (answer) {
    case Answer::kOk: return "ok";
    case Answer::kFail: return "fail";
    case Answer::kUnavailable: return "unavailable";
  }
  return "?";
}

}  // namespace x2gobroker::core::auth
