// SPDX-License-Identifier: AGPL-3.0-or-later
// Broker: routing, the status checks of PROTOCOL.md §1.2/§1.4, request fields (§1.5), access
// (§4.1) and the tasks of the plain (§5) and JSON (§6) frontends.
#include "core/broker.h"

#include <ctime>
#include <map>
#include <set>

#include "core/access_check.h"
#include "core/acl.h"
#include "core/broker_frontends.h"
#include "core/broker_metrics.h"
#include "core/broker_pubkeys.h"
#include "core/form_parser.h"
#include "core/ip_address.h"
#include "core/log.h"
#include "core/router.h"
#include "core/string_util.h"
#include "core/uccs_frontend.h"

namespace x2gobroker::core {
namespace {

constexpr std::string_view kRootPage = "<body><html><h1>X2Go Session Broker</h1><p>It works...</p></body></html>";

bool IsBackendName(const std::string& name) {
  if (name.empty() || name.size() > 32) return false;
  for (char c : name) {
    if (c < 'a' || c > 'z') return false;
  }
  return true;
}

HttpResponse MethodNotAllowedResponse(const char* allow) {
  HttpResponse r = ErrorResponse(MethodNotAllowed(std::string("method not allowed; Allow: ") + allow));
  r.headers.emplace_back("Allow", allow);
  return r;
}

// Loopback only (127.0.0.0/8, ::1; ::ffff:127.x is normalised to IPv4): the web server
// snippets restrict /metrics too, this is the second line of defence.
bool IsLoopback(const std::string& remote_addr) {
  std::optional<IpAddress> address = IpAddress::Parse(remote_addr);
  if (!address) return false;
  if (!address->v6) return address->bytes[0] == 127;
  for (size_t i = 0; i < 15; ++i) {
    if (address->bytes[i] != 0) return false;
  }
  return address->bytes[15] == 1;
}

HttpResponse MetricsResponse(const HttpRequest& request) {
  if (request.method != "GET") return MethodNotAllowedResponse("GET");
  if (!IsLoopback(request.remote_addr)) {
    return ErrorResponse(PermissionDenied("/metrics from a non-loopback address ('" + Printable(request.remote_addr) + "')"));
  }
  HttpResponse r;
  r.content_type = std::string(kMetricsContentType);
  r.body = BrokerMetrics().Render();
  return r;
}

HttpResponse Html(std::string body) {
  HttpResponse r;
  r.content_type = "text/html; charset=UTF-8";
  r.body = std::move(body);
  return r;
}

class BrokerImpl final : public Broker {
 public:
  BrokerImpl(BrokerConfig config, const BrokerServices& services) : config_(std::move(config)), services_(services) {}

  Status Init(const Broker* previous);

  // core::RequestHandler
  HttpResponse Handle(const HttpRequest& request) const override;
  std::vector<std::string> WatchedFiles() const override;
  void Maintain() const override;
  // core::Broker
  const BrokerConfig& config() const override { return config_; }
  const SessionBackend* backend(const std::string& name) const override {
    auto it = backends_.find(name);
    return it == backends_.end() ? nullptr : it->second.backend.get();
  }

 private:
  struct EnabledBackend {
    SessionBackendPtr backend;
    std::unique_ptr<AccessChecker> access;
  };

  HttpResponse HandleBrokerFrontend(const HttpRequest& request, const Route& route) const;
  HttpResponse HandleUccsApi(const HttpRequest& request, const Route& route) const;
  HttpResponse HandleUccsPing(const HttpRequest& request) const;
  // The status checks of PROTOCOL.md §1.2 in their order; null with *refusal set on failure.
  const EnabledBackend* ResolveBackend(const std::string& url_backend, bool frontend_enabled, const char* frontend,
                                       const HttpRequest& request, std::optional<IpAddress>* client,
                                       HttpResponse* refusal) const;

  BrokerConfig config_;
  BrokerServices services_;
  AgentServices agents_;
  RequestHooksPtr hooks_;
  std::map<std::string, EnabledBackend> backends_;
  std::set<std::string> known_backends_;
  std::optional<std::string> static_cookie_;
  std::string pubkeys_;  // body of /pubkeys/
  AuthenticatorRegistry builtin_authenticators_;  // `none` only, when services_ has no registry
  CookieStorePtr cookies_;
};

void BrokerImpl::Maintain() const {
  if (agents_.key_deletions == nullptr) return;
  agents_.key_deletions->RunDue(static_cast<int64_t>(time(nullptr)), agents_.ssh.get(), agents_.local.get());
}

Status BrokerImpl::Init(const Broker* previous) {
  if (services_.backends == nullptr) return Internal("no backend registry");
  const AuthenticatorRegistry* authenticators = services_.authenticators;
  if (authenticators == nullptr) {
    Status registered = builtin_authenticators_.Register("none", std::make_unique<NoneAuthenticatorFactory>());
    if (!registered.ok()) return registered;
    authenticators = &builtin_authenticators_;
  }
  if (services_.cookie_store_factory) {
    Result<CookieStorePtr> store = services_.cookie_store_factory(config_);
    if (!store.ok()) return store.status();
    cookies_ = *store;
  }

  if (services_.agent_services_factory) {
    Result<AgentServices> agents = services_.agent_services_factory(config_);
    if (!agents.ok()) return agents.status();
    agents_ = std::move(agents).value();
  }

  if (services_.request_hooks_factory) hooks_ = services_.request_hooks_factory(config_);

  static_cookie_ = LoadStaticCookie(config_);
  pubkeys_ = LoadBrokerPubkeys(config_.env.daemon_user, config_.env.agent_cmd, config_.agent_ssh_directory);
  if (config_.check_credentials && config_.require_cookie && !static_cookie_) {
    return InvalidArgument(config_.source + ": require-cookie is on but neither my-cookie-file (" +
                           config_.my_cookie_file + ") nor my-cookie holds a cookie");
  }
  for (const std::string& name : services_.backends->Names()) {
    known_backends_.insert(name);
    const BackendSection* section = config_.Backend(name);
    if (section == nullptr || !section->enable) continue;
    const SessionBackendFactory* factory = services_.backends->Find(name);
    Result<SessionBackendPtr> created = factory->Create(config_, previous ? previous->backend(name) : nullptr);
    if (!created.ok()) return created.status();
    const std::string mech = config_.AuthMechFor(name);
    AuthenticatorPtr authenticator;
    if (const AuthenticatorFactory* auth_factory = authenticators->Find(mech)) {
      Result<AuthenticatorPtr> made = auth_factory->Create(config_);
      if (!made.ok()) return made.status();
      authenticator = *made;
    } else if (config_.check_credentials && config_.require_password) {
      LogWarning("backend " + name + ": authentication mechanism '" + mech +
                 "' is not available in this build; every password login of this backend fails");
    }
    EnabledBackend enabled{*created, std::make_unique<AccessChecker>(config_, authenticator, cookies_.get(), static_cookie_, mech)};
    backends_.emplace(name, std::move(enabled));
  }
  return Status::Ok();
}

std::vector<std::string> BrokerImpl::WatchedFiles() const {
  std::vector<std::string> files;
  for (const auto& [name, enabled] : backends_) {
    for (std::string& f : enabled.backend->WatchedFiles()) files.push_back(std::move(f));
  }
  return files;
}

HttpResponse BrokerImpl::Handle(const HttpRequest& request) const {
  Route route = ParseRoute(request.path);
  switch (route.kind) {
    case Route::Kind::kRoot:
      if (request.method != "GET" && request.method != "HEAD") return MethodNotAllowedResponse("GET, HEAD");
      return Html(std::string(kRootPage));
    case Route::Kind::kPlain:
    case Route::Kind::kJson:
      return HandleBrokerFrontend(request, route);
    case Route::Kind::kUccsPing:
      return HandleUccsPing(request);
    case Route::Kind::kPubkeys: {
      if (request.method != "GET" && request.method != "HEAD") return MethodNotAllowedResponse("GET, HEAD");
      HttpResponse r;
      r.content_type = "text/plain; charset=utf-8";
      r.body = pubkeys_;
      return r;
    }
    case Route::Kind::kUccsApi:
      return HandleUccsApi(request, route);
    case Route::Kind::kMetrics:
      return MetricsResponse(request);
    case Route::Kind::kNotFound:
      break;
  }
  return ErrorResponse(NotFound("no route for " + Printable(request.path)));
}

HttpResponse BrokerImpl::HandleUccsPing(const HttpRequest& request) const {
  if (request.method == "HEAD" || (request.method == "GET" && config_.env.debug)) {
    // The reference's body is the current UTC time, 26 characters; HEAD drops it.
    return Html(UtcTimestampMicros());
  }
  return MethodNotAllowedResponse(config_.env.debug ? "HEAD, GET" : "HEAD");
}

HttpResponse BrokerImpl::HandleBrokerFrontend(const HttpRequest& request, const Route& route) const {
  const bool json = route.kind == Route::Kind::kJson;
  if (request.method != "POST" && !(request.method == "GET" && config_.env.debug)) {
    return MethodNotAllowedResponse(config_.env.debug ? "POST, GET" : "POST");
  }
  std::optional<IpAddress> client;
  HttpResponse refusal;
  const EnabledBackend* enabled =
      ResolveBackend(route.backend, json ? config_.enable_json_output : config_.enable_plain_output,
                     json ? "json" : "plain", request, &client, &refusal);
  if (enabled == nullptr) return refusal;
  const std::string backend_name = route.backend.empty() ? config_.env.default_backend : route.backend;

  FormFields fields;
  Status parsed = ParseFormInto(request.query, &fields);
  if (parsed.ok() && request.method == "POST") parsed = ParseFormInto(request.body, &fields);
  if (!parsed.ok()) return ErrorResponse(parsed, parsed.message());

  FrontendRequest frontend{request, fields, client ? &*client : nullptr, backend_name};
  FrontendServices services{config_, *enabled->backend, *enabled->access, services_, agents_, hooks_.get()};
  return json ? HandleJsonRequest(frontend, services) : HandlePlainRequest(frontend, services);
}

const BrokerImpl::EnabledBackend* BrokerImpl::ResolveBackend(const std::string& url_backend, bool frontend_enabled,
                                                             const char* frontend, const HttpRequest& request,
                                                             std::optional<IpAddress>* client,
                                                             HttpResponse* refusal) const {
  const std::string name = url_backend.empty() ? config_.env.default_backend : url_backend;
  if (!IsBackendName(name) || !known_backends_.count(name)) {
    *refusal = ErrorResponse(NotFound("unknown backend '" + Printable(name) + "'"));
    return nullptr;
  }
  if (!frontend_enabled) {
    *refusal = ErrorResponse(NotFound(std::string(frontend) + " output is disabled"));
    return nullptr;
  }
  auto enabled = backends_.find(name);
  if (enabled == backends_.end()) {
    *refusal = ErrorResponse(NotFound("backend '" + name + "' is disabled"));
    return nullptr;
  }
  *client = IpAddress::Parse(request.remote_addr);
  if (!*client && !config_.env.debug) {
    *refusal = ErrorResponse(NotFound("no usable client address ('" + Printable(request.remote_addr) + "')"));
    return nullptr;
  }
  return &enabled->second;
}

HttpResponse BrokerImpl::HandleUccsApi(const HttpRequest& request, const Route& route) const {
  if (request.method != "GET") return MethodNotAllowedResponse("GET");
  std::optional<IpAddress> client;
  HttpResponse refusal;
  const EnabledBackend* enabled =
      ResolveBackend(route.backend, config_.enable_uccs_output, "uccs", request, &client, &refusal);
  if (enabled == nullptr) return refusal;
  if (route.api_version != 4 && route.api_version != 5) {
    return ErrorResponse(NotFound("UCCS API version " + std::to_string(route.api_version) + " is not supported"));
  }
  const std::string backend_name = route.backend.empty() ? config_.env.default_backend : route.backend;
  FrontendServices services{config_, *enabled->backend, *enabled->access, services_, agents_, hooks_.get()};
  return HandleUccsRequest(UccsRequest{request, client ? &*client : nullptr, backend_name, route.backend,
                                       route.api_version},
                           services);
}

}  // namespace

Result<std::shared_ptr<const Broker>> Broker::Create(BrokerConfig config, const BrokerServices& services,
                                                     const Broker* previous) {
  auto broker = std::make_shared<BrokerImpl>(std::move(config), services);
  Status status = broker->Init(previous);
  if (!status.ok()) return status;
  return std::shared_ptr<const Broker>(std::move(broker));
}

}  // namespace x2gobroker::core
