// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/broker_frontends.h"

#include <sys/time.h>

#include <cstdio>
#include <ctime>

#include "core/broker_tasks.h"
#include "core/python_json.h"

namespace x2gobroker::core {
namespace {

// X2Go Client's connectivity test divides the answer's size by the time it took; the
// reference's 2-byte "OK" made that meaningless (and its "Login failed"). 32 KiB of filler.
constexpr size_t kTestconPadding = 32 * 1024;

BrokerFields FieldsOf(const FormFields& f, bool json) {
  BrokerFields fields;
  fields.user = f.Get("user");
  fields.login = f.Get("login");
  fields.password = f.Get("password");
  fields.authid = f.Get("authid");
  fields.pubkey = f.Get("pubkey");
  fields.task = f.Get("task");
  if (json) {
    if (fields.task == "listsessions") fields.task = "listprofiles";
    fields.profile_id = f.Has("sid") ? f.Get("sid") : f.Get("profile-id");
  } else {
    fields.profile_id = f.Get("sid");
  }
  return fields;
}

HttpResponse Refused(const Status& status, const BrokerFields& fields) {
  HttpResponse r = ErrorResponse(status);
  r.log_user = fields.user;
  r.log_task = fields.task;
  return r;
}

HttpResponse Unauthorized(const BrokerFields& fields) { return Refused(Unauthenticated("access denied"), fields); }

// X2Go Client's connectivity dialog sends a bare `task=testcon`. It measures bandwidth and
// reveals nothing, so without any credentials it is answered even where a login is required
// (the reference's 401 there makes X2Go Client exit). With credentials it is a normal request.
bool IsAnonymousTestcon(const BrokerFields& f) {
  return f.task == "testcon" && f.user.empty() && f.password.empty() && f.authid.empty();
}

// Loads profiles and checks access; returns an error response or nullopt to go on.
std::optional<HttpResponse> Admit(BrokerTasks& tasks, AccessDecision* decision) {
  Status loaded = tasks.LoadProfiles();
  if (!loaded.ok()) return ErrorResponse(loaded);
  if (IsAnonymousTestcon(tasks.fields())) {
    *decision = AccessDecision{true, std::nullopt};
    return std::nullopt;
  }
  Result<AccessDecision> access = tasks.CheckAccess();
  if (!access.ok()) return ErrorResponse(access.status());
  if (!access->granted) return Unauthorized(tasks.fields());
  *decision = *access;
  return std::nullopt;
}

HttpResponse Answer(std::string content_type, std::string body, const BrokerFields& fields) {
  HttpResponse r;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  r.log_user = fields.user;
  r.log_task = fields.task;
  return r;
}

}  // namespace

std::string UtcTimestampMicros() {
  timeval now{};
  gettimeofday(&now, nullptr);
  tm parts{};
  gmtime_r(&now.tv_sec, &parts);
  char buf[96];
  snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d.%06ld", parts.tm_year + 1900, parts.tm_mon + 1,
           parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec, static_cast<long>(now.tv_usec));
  return buf;
}

HttpResponse HandlePlainRequest(const FrontendRequest& request, const FrontendServices& services) {
  BrokerTasks tasks(request, services, FieldsOf(request.fields, false));
  AccessDecision access;
  if (auto refused = Admit(tasks, &access)) return *refused;
  const BrokerFields& fields = tasks.fields();

  std::string out;
  if (access.next_cookie) out += "AUTHID:" + *access.next_cookie + "\n";
  out += "Access granted\n";
  if (fields.task == "testcon") {
    out.append(kTestconPadding, '\n');
  } else if (fields.task == "listsessions") {
    std::vector<VisibleProfile> visible = tasks.ListProfiles();
    if (!visible.empty()) {
      out.reserve(visible.size() * 640);
      out += "START_USER_SESSIONS\n\n";
      for (const VisibleProfile& v : visible) AppendPlainProfile(tasks.Rendering(v), &out);
      out += "END_USER_SESSIONS\n";
    }
  } else if (fields.task == "selectsession" && !fields.profile_id.empty()) {
    Result<SelectedSession> chosen = tasks.SelectSession();
    if (!chosen.ok()) return Refused(chosen.status(), fields);
    const SelectedSession& selected = *chosen;
    out += "SERVER:" + selected.server + ":" + std::to_string(selected.port) + "\n";
    if (selected.private_key) out += *selected.private_key;
    if (selected.session_info) out += "SESSION_INFO:" + *selected.session_info + "\n";
  }
  return Answer("text/plain; charset=utf-8", std::move(out), fields);
}

HttpResponse HandleJsonRequest(const FrontendRequest& request, const FrontendServices& services) {
  BrokerTasks tasks(request, services, FieldsOf(request.fields, true));
  AccessDecision access;
  if (auto refused = Admit(tasks, &access)) return *refused;
  const BrokerFields& fields = tasks.fields();

  JsonValue::Object payload;
  payload.emplace_back("task", fields.task);
  payload.emplace_back("auth-status", "Access granted");
  if (access.next_cookie) payload.emplace_back("next-authid", *access.next_cookie);
  if (fields.task == "listprofiles") {
    JsonValue::Object profiles;
    for (const VisibleProfile& v : tasks.ListProfiles()) {
      profiles.emplace_back(v.profile->id, JsonProfile(tasks.Rendering(v)));
    }
    payload.emplace_back("profiles", std::move(profiles));
  } else if (fields.task == "selectsession") {
    JsonValue::Object selected_session;
    if (!fields.profile_id.empty()) {
      Result<SelectedSession> chosen = tasks.SelectSession();
      if (!chosen.ok()) return Refused(chosen.status(), fields);
      const SelectedSession& selected = *chosen;
      selected_session.emplace_back("server", selected.server);
      selected_session.emplace_back("port", std::to_string(selected.port));
      if (selected.private_key) selected_session.emplace_back("key", *selected.private_key);
      if (selected.pubkey_status) selected_session.emplace_back("authentication_pubkey", *selected.pubkey_status);
      if (selected.session_info) selected_session.emplace_back("session_info", *selected.session_info);
    }
    payload.emplace_back("selected_session", std::move(selected_session));
  }
  std::string body;
  body.reserve(4096);
  WritePythonJson(JsonValue(std::move(payload)), 4, &body);
  return Answer("text/json; charset=utf-8", std::move(body), fields);
}

}  // namespace x2gobroker::core
