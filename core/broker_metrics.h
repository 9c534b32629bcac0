// SPDX-License-Identifier: AGPL-3.0-or-later
// The broker's own metrics (served on /metrics), declared in one place on a process-wide
// metrics::Registry. Every label value is mapped onto a closed set here ("other" for anything
// unexpected), so client input can never create series.
//
// BrokerMetrics() declares everything on first use: call it once at start-up, before threads
// and before any fork (x2gobroker-fcgi's main does), then share the registry if pre-forking.
// The Record* functions are thread-safe and lock-free.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/agent_client.h"
#include "core/metrics.h"

namespace x2gobroker::core {

metrics::Registry& BrokerMetrics();

// One answered HTTP request. `path` is the request path (the frontend is derived from its
// route), `task` the access log's task, `status` the HTTP status sent.
void RecordRequest(std::string_view path, std::string_view task, int status, double seconds);

// A login refused by the access check; `mechanism` is the backend's auth-mech.
void RecordAuthFailure(std::string_view mechanism);

enum class AgentCallResult { kOk, kError, kTimeout };
void RecordAgentCall(AgentTask task, AgentCallResult result, double seconds);

// Changes of the pooled SSH connection numbers since the last call (see agent/metered_agent_client).
void RecordSshPool(uint64_t established, uint64_t reused, int64_t idle_delta);

void RecordConfigReload(bool ok);

// The content type of the text exposition format.
inline constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace x2gobroker::core
