// SPDX-License-Identifier: AGPL-3.0-or-later
// The agent clients use core's Deadline (core/deadline.h).
#pragma once

#include "core/deadline.h"

namespace x2gobroker::agent {
using core::Deadline;
}  // namespace x2gobroker::agent
