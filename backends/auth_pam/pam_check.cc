// SPDX-License-Identifier: AGPL-3.0-or-later
#include "backends/auth_pam/pam_check.h"

#include <security/pam_appl.h>

#include <cstdlib>
#include <cstring>
#include <memory>

namespace x2gobroker::backends::auth_pam {
namespace {

struct Conversation {
  const core::SecretString* password;
  unsigned int requested_delay_usec = 0;
};

// Frees a response array built by Converse; each answer is wiped first.
void FreeResponses(pam_response* responses, int count) {
  if (responses == nullptr) return;
  for (int i = 0; i < count; ++i) {
    if (responses[i].resp != nullptr) {
      core::SecretString::Wipe(responses[i].resp, std::strlen(responses[i].resp));
      std::free(responses[i].resp);
    }
  }
  std::free(responses);
}

// PAM's conversation callback. PAM takes ownership of *out and of each resp (malloc'd).
int Converse(int count, const pam_message** messages, pam_response** out, void* appdata) {
  if (count <= 0 || count > PAM_MAX_NUM_MSG || messages == nullptr || out == nullptr) return PAM_CONV_ERR;
  auto* conversation = static_cast<Conversation*>(appdata);
  auto* responses = static_cast<pam_response*>(std::calloc(static_cast<size_t>(count), sizeof(pam_response)));
  if (responses == nullptr) return PAM_BUF_ERR;
  for (int i = 0; i < count; ++i) {
    switch (messages[i]->msg_style) {
      case PAM_PROMPT_ECHO_OFF: {
        const core::SecretString& password = *conversation->password;
        char* copy = static_cast<char*>(std::malloc(password.size() + 1));
        if (copy == nullptr) {
          FreeResponses(responses, count);
          return PAM_BUF_ERR;
        }
        std::memcpy(copy, password.c_str(), password.size() + 1);
        responses[i].resp = copy;
        break;
      }
      case PAM_ERROR_MSG:
      case PAM_TEXT_INFO:
        break;  // nobody to show it to
      default:  // PAM_PROMPT_ECHO_ON (a user name or a one-time code: we have neither) and others
        FreeResponses(responses, count);
        return PAM_CONV_ERR;
    }
  }
  *out = responses;
  return PAM_SUCCESS;
}

// Installed as PAM_FAIL_DELAY: records the delay instead of sleeping in this thread.
void RecordFailDelay(int /*status*/, unsigned int usec, void* appdata) {
  if (appdata != nullptr) static_cast<Conversation*>(appdata)->requested_delay_usec = usec;
}

struct PamEnder {
  int* last_status;
  void operator()(pam_handle_t* handle) const { pam_end(handle, *last_status); }
};

PamVerdict Classify(int code) {
  if (code == PAM_SUCCESS) return PamVerdict::kSuccess;
  if (code == PAM_ABORT || code == PAM_BUF_ERR) return PamVerdict::kUnavailable;
  return PamVerdict::kFailure;
}

}  // namespace

PamCheckResult CheckPamPassword(const std::string& service, const std::string& user,
                                const core::SecretString& password, const std::string& rhost) {
  PamCheckResult result;
  if (password.view().find('\0') != std::string_view::npos) {
    result.verdict = PamVerdict::kFailure;
    result.pam_code = PAM_AUTH_ERR;
    result.pam_message = "password contains a NUL byte";
    return result;
  }
  Conversation conversation{&password};
  const pam_conv conv{&Converse, &conversation};
  pam_handle_t* raw = nullptr;
  int status = pam_start(service.c_str(), user.c_str(), &conv, &raw);
  if (status != PAM_SUCCESS || raw == nullptr) {
    result.verdict = PamVerdict::kUnavailable;
    result.pam_code = status;
    result.pam_message = std::string("pam_start failed: ") + pam_strerror(raw, status);
    if (raw != nullptr) pam_end(raw, status);
    return result;
  }
  std::unique_ptr<pam_handle_t, PamEnder> handle(raw, PamEnder{&status});
  // The delay callback gets the conversation's appdata_ptr.
  auto* delay_fn = &RecordFailDelay;
  status = pam_set_item(raw, PAM_FAIL_DELAY, reinterpret_cast<const void*>(delay_fn));
  if (status == PAM_SUCCESS && !rhost.empty()) status = pam_set_item(raw, PAM_RHOST, rhost.c_str());
  if (status == PAM_SUCCESS) status = pam_authenticate(raw, PAM_SILENT | PAM_DISALLOW_NULL_AUTHTOK);
  if (status == PAM_SUCCESS) status = pam_acct_mgmt(raw, PAM_SILENT | PAM_DISALLOW_NULL_AUTHTOK);
  result.verdict = Classify(status);
  result.pam_code = status;
  if (status != PAM_SUCCESS) result.pam_message = pam_strerror(raw, status);
  result.requested_fail_delay = std::chrono::microseconds(conversation.requested_delay_usec);
  return result;
}

}  // namespace x2gobroker::backends::auth_pam
