// SPDX-License-Identifier: AGPL-3.0-or-later
#include "backends/optional_scripts/script_hooks.h"

#include <sys/wait.h>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/log.h"
#include "core/subprocess.h"

namespace x2gobroker::backends::optional_scripts {
namespace {

// A script answers with a few short fields; anything bigger is a broken script.
constexpr size_t kMaxAnswerBytes = 64 * 1024;

std::vector<std::string> AbsolutePaths(const std::vector<std::string>& entries) {
  std::vector<std::string> paths;
  for (const std::string& e : entries) {
    if (!e.empty() && e[0] == '/') paths.push_back(e);
  }
  return paths;
}

std::string DescribeExit(int status) {
  if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "wait status " + std::to_string(status);
}

}  // namespace

const char* HookStageName(core::HookStage stage) {
  switch (stage) {
    case core::HookStage::kPreAuth: return "pre_auth";
    case core::HookStage::kPostAuth: return "post_auth";
    case core::HookStage::kSelectSession: return "select_session";
  }
  return "?";
}

std::shared_ptr<ScriptHooks> ScriptHooks::FromConfig(const core::BrokerConfig& config) {
  ScriptHooksOptions o;
  o.pre_auth = AbsolutePaths(config.pre_auth_scripts);
  o.post_auth = AbsolutePaths(config.post_auth_scripts);
  o.select_session = AbsolutePaths(config.select_session_scripts);
  o.timeout = std::chrono::seconds(config.optional_scripts_timeout);
  o.deny_on_failure = config.optional_scripts_on_failure != "continue";
  return std::make_shared<ScriptHooks>(std::move(o));
}

const std::vector<std::string>& ScriptHooks::Scripts(core::HookStage stage) const {
  switch (stage) {
    case core::HookStage::kPreAuth: return options_.pre_auth;
    case core::HookStage::kPostAuth: return options_.post_auth;
    case core::HookStage::kSelectSession: break;
  }
  return options_.select_session;
}

std::string EncodeHookFields(core::HookStage stage, const core::HookFields& f) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  auto str = [&w](const char* key, const std::string& value) {
    w.Key(key);
    w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  };
  w.StartObject();
  w.Key("stage");
  w.String(HookStageName(stage));
  str("username", f.username);
  str("password", f.password);
  str("task", f.task);
  str("profile_id", f.profile_id);
  str("ip", f.ip);
  str("cookie", f.cookie);
  w.Key("authed");
  w.Bool(f.authed);
  str("server", f.server);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

core::Status ApplyHookAnswer(std::string_view answer, core::HookFields* fields) {
  size_t start = answer.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return core::Status::Ok();  // no output: no change
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseStopWhenDoneFlag>(answer.data() + start, answer.size() - start);
  if (doc.HasParseError()) {
    return core::InvalidArgument(std::string("answer is not JSON: ") + rapidjson::GetParseError_En(doc.GetParseError()));
  }
  if (!doc.IsObject()) return core::InvalidArgument("answer is not a JSON object");
  core::HookFields changed = *fields;
  std::string* strings[] = {&changed.username, &changed.password, &changed.task, &changed.profile_id,
                            &changed.ip, &changed.cookie, &changed.server};
  const char* names[] = {"username", "password", "task", "profile_id", "ip", "cookie", "server"};
  for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) {
    std::string key(it->name.GetString(), it->name.GetStringLength());
    if (key == "authed") {
      if (!it->value.IsBool()) return core::InvalidArgument("\"authed\" must be true or false");
      changed.authed = it->value.GetBool();
      continue;
    }
    bool known = false;
    for (size_t i = 0; i < std::size(names); ++i) {
      if (key != names[i]) continue;
      if (!it->value.IsString()) return core::InvalidArgument("\"" + key + "\" must be a string");
      *strings[i] = std::string(it->value.GetString(), it->value.GetStringLength());
      known = true;
    }
    if (!known && key != "stage") return core::InvalidArgument("unknown field in the answer");
  }
  *fields = std::move(changed);
  return core::Status::Ok();
}

core::Result<core::HookFields> ScriptHooks::Run(core::HookStage stage, core::HookFields fields) const {
  for (const std::string& script : Scripts(stage)) {
    core::SubprocessSpec spec;
    spec.argv = {script};
    spec.env = {"PATH=/usr/bin:/bin"};
    spec.stdin_data = EncodeHookFields(stage, fields);
    spec.timeout = options_.timeout;
    spec.max_output_bytes = kMaxAnswerBytes;
    core::Result<core::SubprocessOutput> ran = core::RunSubprocess(spec);
    core::Status problem;
    if (!ran.ok()) {
      problem = ran.status();
    } else if (!WIFEXITED(ran->wait_status) || WEXITSTATUS(ran->wait_status) != 0) {
      problem = core::Unavailable(DescribeExit(ran->wait_status));
    } else {
      problem = ApplyHookAnswer(ran->out, &fields);
    }
    if (problem.ok()) continue;
    const std::string what = std::string(HookStageName(stage)) + " script " + script + " failed (" + problem.message() + ")";
    if (options_.deny_on_failure) {
      core::LogError(what + ": denying the request (optional-scripts-on-failure = deny)");
      return core::PermissionDenied(what);
    }
    core::LogWarning(what + ": continuing without its changes (optional-scripts-on-failure = continue)");
  }
  return fields;
}

}  // namespace x2gobroker::backends::optional_scripts
