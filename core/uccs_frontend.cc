// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/uccs_frontend.h"

#include "core/base64.h"
#include "core/broker_tasks.h"
#include "core/log.h"
#include "core/python_json.h"
#include "core/secure_random.h"
#include "core/string_util.h"

namespace x2gobroker::core {
namespace {

constexpr const char* kRealm = "Basic realm=\"Authentication required\"";

HttpResponse AskForCredentials(const std::string& user, std::string why) {
  HttpResponse r = ErrorResponse(Unauthenticated(std::move(why)));
  r.headers.emplace_back("WWW-Authenticate", kRealm);
  r.log_user = user;
  r.log_task = "uccs";
  return r;
}

struct BasicCredentials {
  std::string user;
  std::string password;
};

// "Basic <base64(user:password)>", split at the first ':' (a password may contain ':').
std::optional<BasicCredentials> ParseBasic(std::string_view header) {
  if (!StartsWith(header, "Basic ")) return std::nullopt;
  std::optional<std::string> decoded = Base64Decode(Trim(header.substr(6)));
  if (!decoded || !IsValidUtf8(*decoded)) return std::nullopt;
  size_t colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  BasicCredentials c{decoded->substr(0, colon), decoded->substr(colon + 1)};
  for (unsigned char ch : c.user) {
    if (ch < 0x20 || ch == 0x7f) return std::nullopt;
  }
  if (c.password.find('\0') != std::string::npos) return std::nullopt;
  return c;
}

const Setting* FindSetting(const SessionProfile& p, std::string_view key) {
  for (const Setting& s : p.settings) {
    if (s.key == key) return &s;
  }
  return nullptr;
}

std::string UserOf(const SessionProfile& p, const std::string& broker_user) {
  const Setting* s = FindSetting(p, "user");
  if (s == nullptr) return "";
  const std::string& text = std::get<std::string>(s->value);
  return text == "BROKER_USER" ? broker_user : text;
}

JsonValue ServerEntry(const VisibleProfile& v, const std::string& user, int api_version) {
  const SessionProfile& p = *v.profile;
  JsonValue::Object server;
  const std::string name = p.name.empty() ? p.id : p.name;
  if (p.directrdp) {
    server.emplace_back("URL", "http://" + v.hosts().front() + "/");
    server.emplace_back("Name", name);
    server.emplace_back("Protocol", "rdp");
    server.emplace_back("DomainRequired", true);
    server.emplace_back("Username", user);
    server.emplace_back("Password", "");
    server.emplace_back("WindowsDomain", "LOCAL");
    return JsonValue(std::move(server));
  }
  // A random host of the profile, through its alias (reference behaviour).
  const std::string& host = v.hosts()[RandomBelow(v.hosts().size())];
  std::string address = host;
  int64_t port = p.sshport;
  if (auto alias = p.aliases.find(host); alias != p.aliases.end()) {
    address = alias->second.address;
    if (alias->second.port) port = *alias->second.port;
  }
  if (address.find(':') != std::string::npos) address = "[" + address + "]";  // IPv6 literal in a URL
  server.emplace_back("URL", "http://" + address + ":" + std::to_string(port) + "/");
  server.emplace_back("Name", name);
  server.emplace_back("Protocol", "x2go");
  server.emplace_back("Username", user);
  server.emplace_back("Password", "");
  if (api_version == 4) {
    server.emplace_back("SessionType", p.command);
    server.emplace_back("SessionTypeRequired", true);
  } else {
    server.emplace_back("Command", p.command);
    server.emplace_back("CommandRequired", true);
  }
  return JsonValue(std::move(server));
}

}  // namespace

HttpResponse HandleUccsRequest(const UccsRequest& request, const FrontendServices& services) {
  FormFields no_fields;
  FrontendRequest frontend{request.http, no_fields, request.client, request.backend_name};
  std::string client = request.client ? request.client->ToString() : std::string();

  // Who is asking: anonymous when no credentials are required, else HTTP Basic.
  BrokerFields fields;
  if (services.access.AllowsAnonymous()) {
    fields.user = "anonymous";
  } else {
    std::optional<BasicCredentials> credentials = ParseBasic(request.http.authorization);
    if (!credentials) return AskForCredentials("", "no usable Basic credentials");
    Result<bool> ok = services.access.CheckPassword({credentials->user, credentials->password, "", client});
    if (ok.ok() && !*ok && credentials->user.find('@') != std::string::npos) {
      // UCCS clients log in with e-mail addresses: retry with the local part.
      credentials->user.resize(credentials->user.find('@'));
      ok = services.access.CheckPassword({credentials->user, credentials->password, "", client});
    }
    if (!ok.ok()) return ErrorResponse(ok.status());
    if (!*ok) return AskForCredentials(credentials->user, "wrong credentials");
    fields.user = credentials->user;
  }
  fields.task = "uccs";

  BrokerTasks tasks(frontend, services, fields);
  Status loaded = tasks.LoadProfiles();
  if (!loaded.ok()) return ErrorResponse(loaded);

  std::string base(services.config.my_uccs_url_base);
  while (!base.empty() && base.back() == '/') base.pop_back();
  std::string url = base + "/uccs/" + request.url_backend;
  while (!url.empty() && url.back() == '/') url.pop_back();
  url += "/";

  JsonValue::Array servers;
  std::string default_server;
  for (const VisibleProfile& v : tasks.ListProfiles()) {
    if (v.hosts().empty()) {
      LogWarning("uccs: profile " + v.profile->id + " has no host; not listed");
      continue;
    }
    servers.push_back(ServerEntry(v, UserOf(*v.profile, fields.user), request.api_version));
    default_server = v.profile->name.empty() ? v.profile->id : v.profile->name;
  }
  JsonValue::Object document;
  document.emplace_back("URL", url);
  document.emplace_back("Name", "X2Go Session Broker");
  const bool have_servers = !servers.empty();
  document.emplace_back("RemoteDesktopServers", std::move(servers));
  document.emplace_back("AdditionalManagementServers", JsonValue::Array{});
  if (have_servers) document.emplace_back("DefaultServer", default_server);

  HttpResponse r;
  r.content_type = "text/plain; charset=utf-8";
  WritePythonJson(JsonValue(std::move(document)), 2, &r.body);
  r.log_user = fields.user;
  r.log_task = "uccs";
  return r;
}

}  // namespace x2gobroker::core
