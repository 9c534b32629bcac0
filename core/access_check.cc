// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/access_check.h"

#include <ctime>
#include <fstream>

#include "core/broker_metrics.h"
#include "core/log.h"
#include "core/secure_random.h"
#include "core/string_util.h"

namespace x2gobroker::core {
namespace {
constexpr std::string_view kPlaceholderCookie = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
AccessDecision Denied() { return AccessDecision{}; }
}  // namespace

std::optional<std::string> LoadStaticCookie(const BrokerConfig& config) {
  std::ifstream in(config.my_cookie_file);
  std::string line;
  while (in && std::getline(in, line)) {
    std::string_view text = Trim(line);
    if (text.empty() || text[0] == '#') continue;
    std::string cookie(text.substr(0, text.find(' ')));
    if (cookie != kPlaceholderCookie) return cookie;
    break;
  }
  if (config.my_cookie && !config.my_cookie->empty() && *config.my_cookie != kPlaceholderCookie) return *config.my_cookie;
  return std::nullopt;
}

AccessChecker::AccessChecker(const BrokerConfig& config, AuthenticatorPtr authenticator, CookieStore* cookies,
                             std::optional<std::string> static_cookie, std::string mechanism)
    : require_password_(config.check_credentials && config.require_password),
      require_cookie_(config.check_credentials && config.require_cookie),
      use_static_cookie_(config.use_static_cookie),
      verify_ip_(config.verify_ip),
      auth_timeout_(config.auth_timeout),
      authenticator_(std::move(authenticator)),
      cookies_(cookies),
      static_cookie_(std::move(static_cookie)),
      mechanism_(std::move(mechanism)) {}

Result<AccessDecision> AccessChecker::Issue(const std::string& token, const AccessRequest& request,
                                            int64_t issued_at) const {
  if (cookies_ == nullptr) return Unavailable("a cookie must be issued but no cookie store is configured");
  Status stored = cookies_->Put(token, CookieRecord{request.user, request.client_address, issued_at});
  if (!stored.ok()) return stored;
  return AccessDecision{true, token};
}

Result<AccessDecision> AccessChecker::LoginWithPassword(const AccessRequest& request) const {
  if (request.preauthenticated) return Issue(RandomUuid4(), request, static_cast<int64_t>(std::time(nullptr)));
  if (!authenticator_) return Denied();  // unknown mechanism: every login fails
  Result<bool> ok = authenticator_->Authenticate(request.user, request.password, request.client_address);
  if (!ok.ok()) return ok.status();
  if (!*ok) return Denied();
  return Issue(RandomUuid4(), request, static_cast<int64_t>(std::time(nullptr)));
}

Result<bool> AccessChecker::CheckPassword(const AccessRequest& request) const {
  Result<bool> ok = DecidePassword(request);
  if (ok.ok() && !*ok) RecordAuthFailure(mechanism_);
  return ok;
}

Result<AccessDecision> AccessChecker::Check(const AccessRequest& request) const {
  Result<AccessDecision> decision = Decide(request);
  if (decision.ok() && !decision->granted) RecordAuthFailure(mechanism_);
  return decision;
}

Result<bool> AccessChecker::DecidePassword(const AccessRequest& request) const {
  if (AllowsAnonymous()) return true;
  if (require_cookie_ || !require_password_ || !authenticator_) return false;
  if (request.user == "check-credentials" && request.password == "FALSE") return false;
  return authenticator_->Authenticate(request.user, request.password, request.client_address);
}

Result<AccessDecision> AccessChecker::Decide(const AccessRequest& request) const {
  if (!require_password_ && !require_cookie_) return AccessDecision{true, std::nullopt};
  if (request.user == "check-credentials" && request.password == "FALSE") return Denied();
  if (require_cookie_ && request.authid.empty()) return Denied();

  const bool matches_static = static_cookie_ && ConstantTimeEquals(request.authid, *static_cookie_);
  if (!require_password_) {
    if (!matches_static) return Denied();
    return AccessDecision{true, *static_cookie_};
  }
  if (matches_static || request.authid.empty()) return LoginWithPassword(request);
  // A dynamic cookie: single use, bound to user, IP and the time of the password login.
  // With require-cookie the cookie stays mandatory: no fall-back to the password then.
  const bool may_fall_back = !require_cookie_ && !request.password.empty();
  if (!LooksLikeUuid(request.authid) || cookies_ == nullptr) {
    return may_fall_back ? LoginWithPassword(request) : Denied();
  }
  Result<CookieRecord> record = cookies_->Take(request.authid, request.user);
  if (!record.ok()) {
    if (record.status().code() != StatusCode::kNotFound) return record.status();
    return may_fall_back ? LoginWithPassword(request) : Denied();
  }
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  if ((verify_ip_ && record->client_address != request.client_address) || now - record->issued_at > auth_timeout_) {
    return may_fall_back ? LoginWithPassword(request) : Denied();
  }
  return Issue(use_static_cookie_ ? request.authid : RandomUuid4(), request, record->issued_at);
}

}  // namespace x2gobroker::core
