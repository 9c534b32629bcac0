// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/load_balancer.h"

#include <limits>
#include <set>
#include <tuple>

#include "core/host_matching.h"

namespace x2gobroker::core {
namespace {

struct Candidate {
  std::string host;  // as written in the profile
  std::string key;   // the name compared against the busy map (short name if step 1 applied)
  int64_t sessions = 0;
  const LoadFactor* factor = nullptr;
};

std::string ShortName(const std::string& name) {
  if (IsIpLiteral(name)) return name;
  return name.substr(0, name.find('.'));
}

int64_t SaturatingAdd(int64_t a, int64_t b) {
  int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum))
    return b > 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
  return sum;
}

template <typename Value>
const Candidate* Lowest(const std::vector<Candidate>& candidates, Value (*value)(const Candidate&)) {
  const Candidate* best = nullptr;
  for (const Candidate& c : candidates) {
    if (best == nullptr || std::forward_as_tuple(value(c), c.key, c.host) <
                               std::forward_as_tuple(value(*best), best->key, best->host)) {
      best = &c;
    }
  }
  return best;
}

int64_t Count(const Candidate& c) { return c.sessions; }

double Weight(const Candidate& c) {
  int64_t factor = *c.factor->value;
  if (factor <= 0) return std::numeric_limits<double>::infinity();
  return (static_cast<double>(c.sessions) + 1.0) / static_cast<double>(factor);
}

}  // namespace

std::optional<std::string> ChooseLeastBusyHost(const std::vector<std::string>& profile_hosts,
                                               const std::map<std::string, int64_t>& busy,
                                               const std::map<std::string, LoadFactor>* load_factors) {
  // Step 1: compare short names only when both sides agree on (at most) one subdomain.
  bool use_short_names = false;
  if (NormaliseHostnames(profile_hosts).subdomains.size() == 1) {
    std::vector<std::string> busy_names;
    for (const auto& [name, count] : busy) busy_names.push_back(name);
    use_short_names = NormaliseHostnames(busy_names).subdomains.size() <= 1;
  }
  auto key_of = [use_short_names](const std::string& name) {
    return use_short_names ? ShortName(name) : name;
  };

  std::map<std::string, int64_t> busy_by_key;
  for (const auto& [name, count] : busy) {
    int64_t& total = busy_by_key[key_of(name)];
    total = SaturatingAdd(total, count);
  }

  // Step 2.
  std::vector<Candidate> candidates;
  std::set<std::string> seen_keys;
  for (const std::string& host : profile_hosts) {
    std::string key = key_of(host);
    if (!seen_keys.insert(key).second) continue;
    auto it = busy_by_key.find(key);
    candidates.push_back(Candidate{host, key, it == busy_by_key.end() ? 0 : it->second, nullptr});
  }

  // Step 3.
  bool use_factors = load_factors != nullptr;
  if (load_factors != nullptr) {
    std::vector<Candidate> usable;
    for (Candidate& c : candidates) {
      auto it = load_factors->find(c.host);
      if (it == load_factors->end()) it = load_factors->find(c.key);
      if (it == load_factors->end()) {
        use_factors = false;  // keep the host, but the factors no longer decide
      } else if (!it->second.value) {
        continue;  // the host cannot report its load (or is down): never choose it
      } else {
        c.factor = &it->second;
      }
      usable.push_back(c);
    }
    candidates = std::move(usable);
  }

  // Step 4 and 5.
  const Candidate* best = use_factors ? Lowest(candidates, &Weight) : Lowest(candidates, &Count);
  if (best == nullptr) return std::nullopt;
  return best->host;
}

}  // namespace x2gobroker::core
