// SPDX-License-Identifier: AGPL-3.0-or-later
#include "agent/known_hosts.h"

#include <doctest/doctest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/base64.h"

using namespace x2gobroker::agent;
using x2gobroker::core::Base64Encode;

namespace {

// A fake SSH key blob: string type, string payload (only the type matters to the parser).
std::string Blob(const std::string& type, const std::string& payload) {
  auto str = [](const std::string& s) {
    std::string out;
    uint32_t n = static_cast<uint32_t>(s.size());
    out += static_cast<char>(n >> 24);
    out += static_cast<char>(n >> 16);
    out += static_cast<char>(n >> 8);
    out += static_cast<char>(n);
    return out + s;
  };
  return str(type) + str(payload);
}

std::string Line(const std::string& hosts, const std::string& blob) {
  return hosts + " " + KeyBlobType(blob) + " " + Base64Encode(blob) + "\n";
}

std::string Hashed(const std::string& name, const std::string& salt) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha1(), salt.data(), static_cast<int>(salt.size()), reinterpret_cast<const unsigned char*>(name.data()),
       name.size(), mac, &len);
  return "|1|" + Base64Encode(salt) + "|" + Base64Encode(std::string(reinterpret_cast<char*>(mac), len));
}

struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/x2gobroker-kh-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const std::string kEd = Blob("ssh-ed25519", "key-one");
const std::string kEdOther = Blob("ssh-ed25519", "key-two");
const std::string kRsa = Blob("ssh-rsa", "rsa-key");

}  // namespace

TEST_SUITE("agent/known_hosts") {
  TEST_CASE("names: plain for port 22, bracketed otherwise") {
    CHECK(KnownHostsName("ts01", 22) == "ts01");
    CHECK(KnownHostsName("127.0.2.1", 40022) == "[127.0.2.1]:40022");
    CHECK(KnownHostsName("::1", 2222) == "[::1]:2222");
    CHECK(KeyBlobType(kEd) == "ssh-ed25519");
    CHECK(KeyBlobType("") == "");
    CHECK(KeyBlobType(std::string("\xff\xff\xff\xff", 4)) == "");
  }

  TEST_CASE("match, mismatch, unknown") {
    const std::vector<std::string> names{"[127.0.2.1]:40022", "[ts01]:40022"};
    const std::string text = "# comment\n\n" + Line("[127.0.2.1]:40022,[ts01]:40022", kEd);
    CHECK(CheckKnownHostsText(text, names, kEd) == HostKeyCheck::kMatch);
    CHECK(CheckKnownHostsText(text, names, kEdOther) == HostKeyCheck::kMismatch);
    CHECK(CheckKnownHostsText(text, names, kRsa) == HostKeyCheck::kUnknown);  // other type: not known
    CHECK(CheckKnownHostsText(text, {"[127.0.2.1]:40023"}, kEd) == HostKeyCheck::kUnknown);  // port matters
    CHECK(CheckKnownHostsText(text, {"127.0.2.1"}, kEd) == HostKeyCheck::kUnknown);
    // by name only
    CHECK(CheckKnownHostsText(Line("[ts01]:40022", kEd), names, kEd) == HostKeyCheck::kMatch);
    // a match anywhere wins over a stale line
    CHECK(CheckKnownHostsText(Line("[ts01]:40022", kEdOther) + Line("[127.0.2.1]:40022", kEd), names, kEd) ==
          HostKeyCheck::kMatch);
    CHECK(CheckKnownHostsText("garbage\n[127.0.2.1]:40022 ssh-ed25519 !!!\n", names, kEd) == HostKeyCheck::kUnknown);
  }

  TEST_CASE("wildcards, negation, hashed names, markers") {
    CHECK(CheckKnownHostsText(Line("*.example.org", kEd), {"ts01.example.org"}, kEd) == HostKeyCheck::kMatch);
    CHECK(CheckKnownHostsText(Line("ts0?", kEd), {"ts07"}, kEd) == HostKeyCheck::kMatch);
    CHECK(CheckKnownHostsText(Line("*,!ts07", kEd), {"ts07"}, kEd) == HostKeyCheck::kUnknown);
    CHECK(CheckKnownHostsText(Line("TS01", kEd), {"ts01"}, kEd) == HostKeyCheck::kMatch);
    CHECK(CheckKnownHostsText(Line(Hashed("[127.0.2.1]:40022", "saltsaltsaltsaltsalt"), kEd), {"[127.0.2.1]:40022"}, kEd) ==
          HostKeyCheck::kMatch);
    CHECK(CheckKnownHostsText(Line(Hashed("[127.0.2.1]:40022", "saltsaltsaltsaltsalt"), kEd), {"[127.0.2.2]:40022"}, kEd) ==
          HostKeyCheck::kUnknown);
    CHECK(CheckKnownHostsText("@cert-authority " + Line("*", kEd), {"ts01"}, kEd) == HostKeyCheck::kUnknown);
    CHECK(CheckKnownHostsText(Line("ts01", kEd) + "@revoked " + Line("*", kEd), {"ts01"}, kEd) == HostKeyCheck::kMismatch);
  }

  TEST_CASE("pin appends once, creates the file, refuses a different key") {
    TempDir dir;
    const std::string file = dir.path + "/known_hosts";
    const std::vector<std::string> names{"[127.0.2.1]:40022", "[ts01]:40022"};
    HostKeyCheck before = HostKeyCheck::kMatch;
    REQUIRE(PinHostKey(file, names[0], names, kEd, &before).ok());
    CHECK(before == HostKeyCheck::kUnknown);
    CHECK(ReadAll(file) == Line("[127.0.2.1]:40022", kEd));
    REQUIRE(PinHostKey(file, names[0], names, kEd, &before).ok());
    CHECK(before == HostKeyCheck::kMatch);
    CHECK(ReadAll(file) == Line("[127.0.2.1]:40022", kEd));  // no duplicate
    REQUIRE(PinHostKey(file, names[0], names, kEdOther, &before).ok());
    CHECK(before == HostKeyCheck::kMismatch);
    CHECK(CheckKnownHostsFiles({"/nonexistent/known_hosts", file}, names, kEd) == HostKeyCheck::kMatch);
    CHECK(KnownKeyTypes({file}, names) == std::vector<std::string>{"ssh-ed25519"});
    // a file without a final newline gets one before the new line
    std::ofstream(dir.path + "/kh2") << "ts09 ssh-ed25519 " << Base64Encode(kEd);
    REQUIRE(PinHostKey(dir.path + "/kh2", "ts01", {"ts01"}, kEd, &before).ok());
    CHECK(ReadAll(dir.path + "/kh2") == "ts09 ssh-ed25519 " + Base64Encode(kEd) + "\n" + Line("ts01", kEd));
    CHECK_FALSE(PinHostKey("/nonexistent-dir/kh", "ts01", {"ts01"}, kEd, &before).ok());
  }
}
