// SPDX-License-Identifier: AGPL-3.0-or-later
#include "agent_server/command_line.h"

#include "core/string_util.h"

namespace x2gobroker::agent_server {
namespace {

using core::InvalidArgument;

bool IsPlainWordChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '_': case '.': case '/': case '%': case ':': case '@': case ',': case '+': case '=': case '-':
      return true;
    default:
      return false;
  }
}

bool IsPrintableAscii(char c) { return c >= 0x20 && c < 0x7f; }

bool IsAgentWord(std::string_view word) {
  constexpr std::string_view kName = "x2gobroker-agent";
  return word == kName || core::EndsWith(word, std::string("/") + std::string(kName));
}

// Words after the agent word: USER TASK [ARG...].
core::Result<AgentInvocation> FromAgentWords(const std::vector<std::string>& words) {
  if (words.empty() || !IsAgentWord(words[0])) return InvalidArgument("not an x2gobroker-agent command");
  if (words.size() < 3) return InvalidArgument("USER and TASK are required");
  AgentInvocation inv;
  inv.user = words[1];
  inv.task = words[2];
  inv.args.assign(words.begin() + 3, words.end());
  return inv;
}

}  // namespace

core::Result<std::vector<std::string>> SplitCommandWords(std::string_view text) {
  if (text.size() > kMaxCommandBytes) return InvalidArgument("command too long");
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;  // a word has started (it may still be empty: '')
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == ' ') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      ++i;
      continue;
    }
    if (c == '\'' || c == '"') {
      const size_t close = text.find(c, i + 1);
      if (close == std::string_view::npos) return InvalidArgument("unbalanced quote");
      const std::string_view inner = text.substr(i + 1, close - i - 1);
      for (char q : inner) {
        if (!IsPrintableAscii(q)) return InvalidArgument("control or non-ASCII character");
        if (c == '"' && (q == '$' || q == '`' || q == '\\')) {
          return InvalidArgument("$, ` or \\ inside double quotes");
        }
      }
      word.append(inner);
      in_word = true;
      i = close + 1;
      continue;
    }
    if (!IsPrintableAscii(c)) return InvalidArgument("control or non-ASCII character");
    if (!IsPlainWordChar(c)) return InvalidArgument("shell metacharacter outside quotes");
    word.push_back(c);
    in_word = true;
    ++i;
  }
  if (in_word) words.push_back(std::move(word));
  if (words.empty()) return InvalidArgument("empty command");
  return words;
}

core::Result<AgentInvocation> ParseOriginalCommand(std::string_view text) {
  auto words = SplitCommandWords(text);
  if (!words.ok()) return words.status();
  if (words->size() >= 2 && (*words)[0] == "sh" && (*words)[1] == "-c") {
    // The reference broker's wrapper: exactly one more word, itself an agent command.
    if (words->size() != 3) return InvalidArgument("sh -c takes exactly one command word");
    auto inner = SplitCommandWords((*words)[2]);
    if (!inner.ok()) return inner.status();
    return FromAgentWords(*inner);
  }
  return FromAgentWords(*words);
}

core::Result<AgentInvocation> InvocationFromArgv(const std::vector<std::string>& words) {
  if (words.size() < 2) return InvalidArgument("usage: x2gobroker-agent USER TASK [ARG...]");
  AgentInvocation inv;
  inv.user = words[0];
  inv.task = words[1];
  inv.args.assign(words.begin() + 2, words.end());
  return inv;
}

}  // namespace x2gobroker::agent_server
