// SPDX-License-Identifier: AGPL-3.0-or-later
// The plain (X2Go Client, PROTOCOL.md §5) and JSON (Python X2Go, §6) frontends. Both share
// request fields, access checking, profile visibility and session selection
// (core/broker_tasks.h) and differ only in how they write the answer.
#pragma once

#include <string>

#include "core/access_check.h"
#include "core/agent_services.h"
#include "core/request_hooks.h"
#include "core/broker.h"
#include "core/form_parser.h"
#include "core/http.h"
#include "core/ip_address.h"

namespace x2gobroker::core {

struct FrontendRequest {
  const HttpRequest& http;
  const FormFields& fields;
  const IpAddress* client;  // null only in debug mode without a usable peer address
  const std::string& backend_name;
};

struct FrontendServices {
  const BrokerConfig& config;
  const SessionBackend& backend;
  const AccessChecker& access;
  const BrokerServices& services;
  const AgentServices& agents;
  const RequestHooks* hooks;  // null: no optional scripts
};

HttpResponse HandlePlainRequest(const FrontendRequest& request, const FrontendServices& services);
HttpResponse HandleJsonRequest(const FrontendRequest& request, const FrontendServices& services);

// "YYYY-MM-DD HH:MM:SS.ffffff" in UTC, the body of the UCCS ping.
std::string UtcTimestampMicros();

}  // namespace x2gobroker::core
