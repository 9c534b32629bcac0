// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/ssh_public_key.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/base64.h"

using namespace x2gobroker::core;

namespace {

// Real keys made with OpenSSH's ssh-keygen (public halves only).
const std::string kEd25519 = "AAAAC3NzaC1lZDI1NTE5AAAAIDl26mMZpwpA3wyuE0RUCT2L/A/NZP5OMe61zzftssfj";
const std::string kRsa2048 =
    "AAAAB3NzaC1yc2EAAAADAQABAAABAQCpDZJ4hK7YuqNfHsrwXbrZLchGVMZY1MB8meVANscEtpafSyMtcc0c1EFsegZyY2R3mpLR"
    "c1gWB3WJCJ/1QsGkivC7t3lmaNpfIqP4EecHmtoqo7G9/99W+BObVfytBhYp2Q4BuSFoACFLgdOk7dl36sKGnpcudy2O1vi6X10r"
    "eluU0lk+yflg+3rJOMtOlnybZbSndgX0q3CYZU7jC84xYe2tltf+u8ZkX2KyJYthT3pIBQlrofqfKGCsiyPOgBEPbL+TWHBmFwDx"
    "Url08TgprSuPidNbbVuNzBT1WDMmgvJDOHp7UZMMrlczN10HrUKDHh1u57ksT82J2Y5yzkdj";
const std::string kEcdsa256 =
    "AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBB1xD3er3rrK5AXXVnTcv193evoJ5xYYyNnxSJmj+18TgobP"
    "Y9lANP5hPsHRp98jdIXopPm6CP563xlCNRFeEDk=";
const std::string kEcdsa384 =
    "AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBCmuogpYehwdfMA7M5jypRNS/CzOryDIj8E4SF0Zf+uzlpdc"
    "JxgyRjrTFSBJA4LsZZrhfOT1oiUyZS7Dw2uJuIsp3NPD+wWTFBG+ig6TqpKxcQE1eWP8kgsQSA2WuSvCGg==";
const std::string kEcdsa521 =
    "AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBABZ9QQCWGfubk+tD6wIRNmyvc9It++gVGEQ5jMmeCKF7oq5"
    "CVdbqW2o5GHxqodFsu2c4gFsLW78iyTAUx1AC0DR/gAQLke+llOvj52d7NwyzuUTBX8+TVk3nW3TaNd2sRPWENjQmmbq/5Nthxqq"
    "DzDRjI7YW6qtIs/F5rWfxItHfsoYzQ==";

// SSH wire-format builders for hand-made blobs.
std::string Str(std::string_view s) {
  std::string out;
  auto n = static_cast<uint32_t>(s.size());
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((n >> shift) & 0xff));
  out += s;
  return out;
}
std::string B64(const std::string& blob) { return Base64Encode(blob); }
std::string Ed25519Blob(size_t point_bytes, const std::string& type = "ssh-ed25519") {
  return Str(type) + Str(std::string(point_bytes, '\x11'));
}
// An RSA blob whose modulus mpint is `n_bytes` long: a zero byte, then n_bytes - 1 magnitude bytes
// (top bit set, so (n_bytes - 1) * 8 bits), odd unless told otherwise; exponent mpint `e`.
std::string RsaBlob(const std::string& e, size_t n_bytes, bool odd = true) {
  std::string n(1, '\0');  // leading zero: the top bit of the next byte is set
  n += '\xc5';
  n += std::string(n_bytes - 3, '\x5a');
  n += odd ? '\x01' : '\x02';
  return Str("ssh-rsa") + Str(e) + Str(n);
}

Status ParseStatus(std::string_view text) { return ParseClientPublicKey(text).status(); }

}  // namespace

TEST_SUITE("core/ssh_public_key") {
  TEST_CASE("accepts the key types of §9.7, with and without options and comment") {
    struct Case {
      std::string text;
      std::string type;
      std::string blob;
      std::string comment;
    };
    const std::vector<Case> cases = {
        {"ssh-ed25519 " + kEd25519, "ssh-ed25519", kEd25519, ""},
        {"ssh-ed25519 " + kEd25519 + " alice@example", "ssh-ed25519", kEd25519, "alice@example"},
        {"ssh-rsa " + kRsa2048 + " x", "ssh-rsa", kRsa2048, "x"},
        {"ecdsa-sha2-nistp256 " + kEcdsa256, "ecdsa-sha2-nistp256", kEcdsa256, ""},
        {"ecdsa-sha2-nistp384 " + kEcdsa384, "ecdsa-sha2-nistp384", kEcdsa384, ""},
        {"ecdsa-sha2-nistp521 " + kEcdsa521, "ecdsa-sha2-nistp521", kEcdsa521, ""},
        // what Python X2Go sends (x2go/utils.py genkeypair)
        {"no-X11-forwarding,no-pty,no-user-rc ssh-rsa " + kRsa2048 + " bob@127.0.0.1", "ssh-rsa", kRsa2048,
         "bob@127.0.0.1"},
        // client options are dropped, quoted ones with spaces and commas included
        {"command=\"/bin/evil --x, y\",from=\"*\" ssh-ed25519 " + kEd25519 + " c", "ssh-ed25519", kEd25519, "c"},
        {"  ssh-ed25519   " + kEd25519 + "   spaced  ", "ssh-ed25519", kEd25519, "spaced"},
        // the comment keeps [A-Za-z0-9@._-] only, at most 64 characters
        {"ssh-ed25519 " + kEd25519 + " J\xc3\xbcrgen M\xc3\xbcller@pc-1 (work)", "ssh-ed25519", kEd25519,
         "JrgenMller@pc-1work"},
        {"ssh-ed25519 " + kEd25519 + " " + std::string(100, 'c'), "ssh-ed25519", kEd25519, std::string(64, 'c')},
        {"ssh-ed25519 " + kEd25519 + " \"#%&*", "ssh-ed25519", kEd25519, ""},
    };
    for (const Case& c : cases) {
      CAPTURE(c.text);
      Result<SshPublicKey> key = ParseClientPublicKey(c.text);
      REQUIRE(key.ok());
      CHECK(key->type == c.type);
      CHECK(key->blob_base64 == c.blob);
      CHECK(key->comment == c.comment);
    }
  }

  TEST_CASE("refuses everything else with InvalidArgument") {
    const std::string ed = "ssh-ed25519 " + kEd25519;
    const std::vector<std::string> bad = {
        "",
        "   ",
        "ssh-ed25519",
        "ssh-ed25519 ",
        "AAAA",
        "ssh-dss " + kEd25519,                                // unsupported type
        "ssh-ed25519-cert-v01@openssh.com " + kEd25519,
        "ssh-rsa " + kEd25519,                                 // blob of another type
        "ecdsa-sha2-nistp384 " + kEcdsa256,                    // curve mismatch
        "ssh-ed25519 " + kEd25519 + "x",                       // garbage glued to the blob
        "ssh-ed25519 " + kEd25519.substr(0, kEd25519.size() - 4),  // truncated
        "ssh-ed25519 " + kEd25519 + "=",
        ed + "\n",                                             // control characters
        ed + "\r\nssh-ed25519 " + kEd25519,
        ed + "\t",
        "ssh-ed25519\t" + kEd25519,
        ed + std::string(1, '\0'),
        ed + " a\x7f",
        ed + " it's",                                         // ' ; ! \ ` $ anywhere
        ed + " a;id",
        ed + " a!b",
        ed + " a\\b",
        ed + " `id`",
        ed + " $(id)",
        "command=\"$(id)\" " + ed,
        "from=\"x ssh-ed25519 " + kEd25519,                    // unbalanced quote
        "opt\xc3\xa9 " + ed,                                   // non-ASCII options
        "opts also-not-a-type " + ed,                          // one options word at most
        ed + " " + std::string(kMaxClientKeyBytes, 'c'),       // too long
    };
    for (const std::string& text : bad) {
      CAPTURE(text);
      CHECK(ParseStatus(text).code() == StatusCode::kInvalidArgument);
    }
  }

  TEST_CASE("blob structure checks") {
    struct Case {
      std::string why;
      std::string type;
      std::string blob;
      bool ok;
    };
    const std::string e65537("\x01\x00\x01", 3);
    const std::vector<Case> cases = {
        {"ed25519 with 32 bytes", "ssh-ed25519", Ed25519Blob(32), true},
        {"ed25519 with 31 bytes", "ssh-ed25519", Ed25519Blob(31), false},
        {"ed25519 with 33 bytes", "ssh-ed25519", Ed25519Blob(33), false},
        {"ed25519 with trailing bytes", "ssh-ed25519", Ed25519Blob(32) + "x", false},
        {"string length past the end", "ssh-ed25519", Str("ssh-ed25519") + std::string("\x00\x00\x00\x21", 4) + std::string(32, 'a'), false},
        {"only a type", "ssh-ed25519", Str("ssh-ed25519"), false},
        {"empty blob", "ssh-ed25519", "", false},
        {"rsa 1024 bits", "ssh-rsa", RsaBlob(e65537, 129), true},
        {"rsa 16384 bits", "ssh-rsa", RsaBlob(e65537, 2049), true},
        {"rsa 1016 bits", "ssh-rsa", RsaBlob(e65537, 128), false},
        {"rsa 16392 bits", "ssh-rsa", RsaBlob(e65537, 2050), false},
        {"rsa even modulus", "ssh-rsa", RsaBlob(e65537, 257, false), false},
        {"rsa e = 3", "ssh-rsa", RsaBlob("\x03", 257), true},
        {"rsa e = 1", "ssh-rsa", RsaBlob("\x01", 257), false},
        {"rsa e even", "ssh-rsa", RsaBlob("\x04", 257), false},
        {"rsa e = 0 (empty mpint)", "ssh-rsa", RsaBlob("", 257), false},
        {"rsa e negative", "ssh-rsa", RsaBlob("\x81", 257), false},
        {"rsa e with a needless leading zero", "ssh-rsa", RsaBlob(std::string("\x00\x03", 2), 257), false},
        {"rsa e wider than 64 bits", "ssh-rsa", RsaBlob(std::string(8, '\x11') + "\x01", 257), false},
        {"rsa without modulus", "ssh-rsa", Str("ssh-rsa") + Str(e65537), false},
        {"ecdsa point not uncompressed", "ecdsa-sha2-nistp256",
         Str("ecdsa-sha2-nistp256") + Str("nistp256") + Str("\x02" + std::string(64, 'a')), false},
        {"ecdsa point of the wrong size", "ecdsa-sha2-nistp256",
         Str("ecdsa-sha2-nistp256") + Str("nistp256") + Str("\x04" + std::string(96, 'a')), false},
        {"ecdsa good hand-made point", "ecdsa-sha2-nistp256",
         Str("ecdsa-sha2-nistp256") + Str("nistp256") + Str("\x04" + std::string(64, 'a')), true},
        {"ecdsa 521 point size", "ecdsa-sha2-nistp521",
         Str("ecdsa-sha2-nistp521") + Str("nistp521") + Str("\x04" + std::string(132, 'a')), true},
    };
    for (const Case& c : cases) {
      CAPTURE(c.why);
      Result<SshPublicKey> key = ParseClientPublicKey(c.type + " " + B64(c.blob));
      CHECK(key.ok() == c.ok);
      if (!key.ok()) CHECK(key.status().code() == StatusCode::kInvalidArgument);
    }
  }

  TEST_CASE("comments") {
    CHECK(KeyComment("bob", "192.168.77.12") == "bob@192.168.77.12");
    CHECK(KeyComment("bob", "fd00::1") == "bob@fd001");
    CHECK(KeyComment("b'o$b", "1.2.3.4") == "bob@1.2.3.4");
    CHECK(KeyComment(std::string(70, 'u'), "1.2.3.4") == std::string(64, 'u'));
    CHECK(FilterKeyComment("a b\"c!d") == "abcd");
  }

  TEST_CASE("expiry-time format") {
    CHECK(FormatExpiryTime(0) == "19700101000000Z");
    CHECK(FormatExpiryTime(1795536707) == "20261124161147Z");
    CHECK(FormatExpiryTime(951782400) == "20000229000000Z");  // leap day
    CHECK(FormatExpiryTime(253402300799) == "99991231235959Z");
    CHECK_FALSE(FormatExpiryTime(253402300800).has_value());
    CHECK_FALSE(FormatExpiryTime(-1).has_value());
  }

  TEST_CASE("authorized_keys line") {
    SshPublicKey key{"ssh-ed25519", kEd25519, "alice@10.0.0.7"};
    CHECK(AuthorizedKeyLine(key, {}) ==
          "no-X11-forwarding,no-pty,no-user-rc,no-agent-forwarding,no-port-forwarding ssh-ed25519 " + kEd25519 +
              " alice@10.0.0.7");
    // The same literal string is asserted in test/integration/test_authorized_key_line.py, which
    // checks that the real sshd and x2gobroker-agent accept, expire and delete this format.
    SshPublicKey pinned{"ssh-ed25519", "AAAAC3NzaC1lZDI1NTE5AAAAIBERERERERERERERERERERERERERERERERERERERERER",
                        "alice@127.0.0.1"};
    CHECK(AuthorizedKeyLine(pinned, {"127.0.0.1", 1795536707}) ==
          "no-X11-forwarding,no-pty,no-user-rc,no-agent-forwarding,no-port-forwarding,"
          "from=\"127.0.0.1\",expiry-time=\"20261124161147Z\" ssh-ed25519 "
          "AAAAC3NzaC1lZDI1NTE5AAAAIBERERERERERERERERERERERERERERERERERERERERER alice@127.0.0.1");
    SshPublicKey no_comment{"ssh-rsa", kRsa2048, ""};
    CHECK(AuthorizedKeyLine(no_comment, {std::nullopt, 0}) ==
          std::string(kAuthorizedKeyFixedOptions) + ",expiry-time=\"19700101000000Z\" ssh-rsa " + kRsa2048);
    // canonical addresses
    CHECK(AuthorizedKeyLine(no_comment, {"::ffff:10.1.2.3", std::nullopt}).find(",from=\"10.1.2.3\" ") !=
          std::string::npos);
    CHECK(AuthorizedKeyLine(no_comment, {"FD00:0::1", std::nullopt}).find(",from=\"fd00::1\" ") != std::string::npos);
    // the comment is filtered again
    SshPublicKey dirty{"ssh-ed25519", kEd25519, "a b'$!c"};
    CHECK(AuthorizedKeyLine(dirty, {}) == std::string(kAuthorizedKeyFixedOptions) + " ssh-ed25519 " + kEd25519 + " abc");
  }

  TEST_CASE("authorized_keys line fails closed") {
    SshPublicKey key{"ssh-ed25519", kEd25519, "c"};
    CHECK(AuthorizedKeyLine(key, {"ts01.example.org", std::nullopt}).empty());
    CHECK(AuthorizedKeyLine(key, {"10.0.0.0/8", std::nullopt}).empty());
    CHECK(AuthorizedKeyLine(key, {"1.2.3.4\" ssh-rsa", std::nullopt}).empty());
    CHECK(AuthorizedKeyLine(key, {std::nullopt, -5}).empty());
    CHECK(AuthorizedKeyLine(key, {std::nullopt, 300000000000}).empty());
    CHECK(AuthorizedKeyLine(SshPublicKey{"ssh-dss", kEd25519, ""}, {}).empty());
    CHECK(AuthorizedKeyLine(SshPublicKey{"ssh-rsa", kEd25519, ""}, {}).empty());
    CHECK(AuthorizedKeyLine(SshPublicKey{"ssh-ed25519", kEd25519 + " x", ""}, {}).empty());
    CHECK(AuthorizedKeyLine(SshPublicKey{"ssh-ed25519", "", ""}, {}).empty());
  }
}
