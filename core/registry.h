// SPDX-License-Identifier: AGPL-3.0-or-later
// Registry<Factory>: an explicit, named list of factories of one kind (Envoy's registries).
// Filled once at start-up by backends/register_builtin.cc; read-only afterwards (thread-safe
// for concurrent reads). Registration is explicit because static initialisers get dropped from
// static archives.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"

namespace x2gobroker::core {

template <typename Factory>
class Registry {
 public:
  // Adds a factory. A duplicate or malformed name is an error (names match ^[a-z_]+$).
  Status Register(const std::string& name, std::unique_ptr<Factory> factory) {
    if (name.empty()) return InvalidArgument("empty factory name");
    for (char c : name) {
      if (!((c >= 'a' && c <= 'z') || c == '_')) return InvalidArgument("bad factory name: " + name);
    }
    if (!factories_.emplace(name, std::move(factory)).second) {
      return InvalidArgument("duplicate factory name: " + name);
    }
    return Status::Ok();
  }

  // Exact, case-sensitive lookup; nullptr if unknown.
  const Factory* Find(const std::string& name) const {
    auto it = factories_.find(name);
    return it == factories_.end() ? nullptr : it->second.get();
  }

  std::vector<std::string> Names() const {
    std::vector<std::string> names;
    for (const auto& [name, factory] : factories_) names.push_back(name);
    return names;
  }

 private:
  std::map<std::string, std::unique_ptr<Factory>> factories_;
};

}  // namespace x2gobroker::core
