// SPDX-License-Identifier: AGPL-3.0-or-later
#include "tools/authorized_keys_merge.h"

#include <algorithm>

#include "core/string_util.h"

namespace x2gobroker::tools {
namespace {

bool IsBrokerKeyType(std::string_view type) {
  return type == "ssh-rsa" || type == "ssh-ed25519" || type == "ecdsa-sha2-nistp256" ||
         type == "ecdsa-sha2-nistp384" || type == "ecdsa-sha2-nistp521";
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    lines.push_back(text.substr(0, nl));
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
  }
  return lines;
}

bool HoldsKey(const std::vector<std::string_view>& fields, const core::SshPublicKey& key) {
  for (size_t i = 0; i + 1 < fields.size(); ++i) {
    if (fields[i] == key.type && fields[i + 1] == key.blob_base64) return true;
  }
  return false;
}

}  // namespace

core::Result<std::vector<BrokerKeyLine>> ParseBrokerKeyLines(std::string_view body) {
  if (body.size() > kMaxPubkeysBytes) return core::InvalidArgument("more than 64 KiB: not a /pubkeys/ answer");
  std::vector<BrokerKeyLine> keys;
  const std::string prefix = std::string(kBrokerKeyOptions) + " ";
  int number = 0;
  for (std::string_view raw : Lines(body)) {
    ++number;
    const std::string where = "line " + std::to_string(number) + ": ";
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    std::string_view line = core::Trim(raw);
    if (line.empty() || line[0] == '#') continue;
    if (line.substr(0, prefix.size()) != prefix) {
      return core::InvalidArgument(where + "does not start with the agent's forced command and options");
    }
    std::string_view rest = line.substr(prefix.size());
    std::vector<std::string_view> fields = core::SplitWhitespace(rest);
    if (fields.empty() || !IsBrokerKeyType(fields[0])) {
      return core::InvalidArgument(where + "key type is not ssh-rsa, ssh-ed25519 or ecdsa-sha2-*");
    }
    auto key = core::ParseClientPublicKey(rest);
    if (!key.ok()) return core::InvalidArgument(where + key.status().message());
    if (key->type != fields[0]) return core::InvalidArgument(where + "malformed key");
    const bool duplicate = std::any_of(keys.begin(), keys.end(), [&](const BrokerKeyLine& k) {
      return k.key.type == key->type && k.key.blob_base64 == key->blob_base64;
    });
    if (duplicate) continue;
    BrokerKeyLine entry{*key, prefix + key->type + " " + key->blob_base64};
    if (!key->comment.empty()) entry.line += " " + key->comment;
    keys.push_back(std::move(entry));
  }
  if (keys.empty()) return core::InvalidArgument("no broker key in the answer (does the broker have id_rsa.pub?)");
  return keys;
}

AuthorizedKeysMerge MergeAuthorizedKeys(std::string_view existing, const std::vector<BrokerKeyLine>& keys) {
  AuthorizedKeysMerge merge;
  const std::string prefix = std::string(kBrokerKeyOptions) + " ";
  std::vector<bool> installed(keys.size(), false);
  std::vector<std::string_view> kept;
  for (std::string_view line : Lines(existing)) {
    std::vector<std::string_view> fields = core::SplitWhitespace(line);
    bool drop = false;
    for (size_t k = 0; k < keys.size(); ++k) {
      if (!HoldsKey(fields, keys[k].key)) continue;
      if (core::Trim(line).substr(0, prefix.size()) == prefix) {
        if (!installed[k]) ++merge.present;
        installed[k] = true;
      } else {
        drop = true;
      }
    }
    if (drop) {
      ++merge.removed;
    } else {
      kept.push_back(line);
    }
  }
  for (std::string_view line : kept) {
    merge.text.append(line);
    merge.text += '\n';
  }
  for (size_t k = 0; k < keys.size(); ++k) {
    if (installed[k]) continue;
    merge.text += keys[k].line + "\n";
    ++merge.added;
  }
  merge.text_changed = merge.text != existing;
  return merge;
}

}  // namespace x2gobroker::tools
