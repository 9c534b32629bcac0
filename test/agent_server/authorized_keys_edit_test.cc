// SPDX-License-Identifier: AGPL-3.0-or-later
#include "agent_server/authorized_keys_edit.h"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace x2gobroker::agent_server {
namespace {

namespace fs = std::filesystem;

const std::string kKey = "no-pty ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDl26mMZpwpA3wyuE0RUCT2L/A/NZP5OMe61zzftssfj bob@10.0.0.1";

// A fresh directory standing in for the user's home (the test process is the "user").
class TempHome {
 public:
  TempHome() {
    std::string tmpl = (fs::temp_directory_path() / "agentd-home-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path_ = tmpl;
  }
  ~TempHome() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return path_ + "/" + rel; }

 private:
  std::string path_;
};

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void Spit(const std::string& path, const std::string& text, mode_t mode = 0600) {
  { std::ofstream(path, std::ios::binary) << text; }
  ::chmod(path.c_str(), mode);
}

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

TEST_SUITE("agent_server/authorized_keys_edit") {
  TEST_CASE("path expansion: each escape once, in order") {
    const KeyPathVars v{"bob", "1001", "1002", "/home/bob"};
    CHECK(ExpandKeyFilePath("%h/.x2go/authorized_keys", v) == "/home/bob/.x2go/authorized_keys");
    CHECK(ExpandKeyFilePath("/keys/%u/%U.%G", v) == "/keys/bob/1001.1002");
    CHECK(ExpandKeyFilePath("/x/%u/%u%%", v) == "/x/bob/%u%");
    CHECK(ExpandKeyFilePath("rel/%%%%", v) == "rel/%%%");  // only the first %% is collapsed
  }

  TEST_CASE("content edits are exact-line") {
    CHECK(WithKeyLineAdded("", "k") == std::optional<std::string>("k\n"));
    CHECK(WithKeyLineAdded("a", "k") == std::optional<std::string>("a\nk\n"));
    CHECK(WithKeyLineAdded("a\nk\nb\n", "k") == std::nullopt);  // anywhere, not only the last line
    CHECK(WithKeyLineAdded("a\nk \n", "k") == std::optional<std::string>("a\nk \nk\n"));
    CHECK(WithKeyLineRemoved("a\n\nk\nb\nk\n\n", "k") == std::optional<std::string>("a\n\nb\n\n"));
    CHECK(WithKeyLineRemoved("a\nxk\nk2\n", "k") == std::nullopt);
    CHECK(WithKeyLineRemoved("a\nk", "k") == std::optional<std::string>("a\n"));
  }

  TEST_CASE("add creates 0700 directories and a 0600 file, and is idempotent") {
    TempHome home;
    const std::string file = home / ".x2go/sub/authorized_keys";
    REQUIRE(AddAuthorizedKey(home.path(), file, kKey).ok());
    CHECK(Slurp(file) == kKey + "\n");
    CHECK(ModeOf(home / ".x2go") == 0700);
    CHECK(ModeOf(home / ".x2go/sub") == 0700);
    CHECK(ModeOf(file) == 0600);
    REQUIRE(AddAuthorizedKey(home.path(), file, kKey).ok());
    CHECK(Slurp(file) == kKey + "\n");
    // No temporary file left behind.
    int entries = 0;
    for (const auto& e : fs::directory_iterator(home / ".x2go/sub")) entries += e.path().filename() != "" ? 1 : 0;
    CHECK(entries == 1);
  }

  TEST_CASE("add keeps other lines and the file's mode") {
    TempHome home;
    const std::string file = home / "authorized_keys";
    Spit(file, "ssh-rsa OTHER other@x", 0644);
    REQUIRE(AddAuthorizedKey(home.path(), file, kKey).ok());
    CHECK(Slurp(file) == "ssh-rsa OTHER other@x\n" + kKey + "\n");
    CHECK(ModeOf(file) == 0644);
  }

  TEST_CASE("delete removes exact lines only, keeps empty lines of others") {
    TempHome home;
    const std::string file = home / "authorized_keys";
    Spit(file, "a\n\n" + kKey + "\n" + kKey + " extra\n#" + kKey + "\n" + kKey + "\n\nb\n");
    REQUIRE(DelAuthorizedKey(home.path(), file, kKey).ok());
    CHECK(Slurp(file) == "a\n\n" + kKey + " extra\n#" + kKey + "\n\nb\n");
    REQUIRE(DelAuthorizedKey(home.path(), file, kKey).ok());  // nothing left to delete
    CHECK(Slurp(file) == "a\n\n" + kKey + " extra\n#" + kKey + "\n\nb\n");
  }

  TEST_CASE("delete of a missing file or directory succeeds and creates nothing") {
    TempHome home;
    CHECK(DelAuthorizedKey(home.path(), home / "authorized_keys", kKey).ok());
    CHECK(DelAuthorizedKey(home.path(), home / ".x2go/authorized_keys", kKey).ok());
    CHECK_FALSE(fs::exists(home / ".x2go"));
    CHECK_FALSE(fs::exists(home / "authorized_keys"));
  }

  TEST_CASE("refuses a symlinked file, and leaves its target alone") {
    TempHome home;
    TempHome victim;
    Spit(victim / "shadow", "secret\n");
    fs::create_symlink(victim / "shadow", home / "authorized_keys");
    CHECK(AddAuthorizedKey(home.path(), home / "authorized_keys", kKey).code() == core::StatusCode::kPermissionDenied);
    CHECK(DelAuthorizedKey(home.path(), home / "authorized_keys", "secret").code() == core::StatusCode::kPermissionDenied);
    CHECK(Slurp(victim / "shadow") == "secret\n");
  }

  TEST_CASE("refuses a symlinked directory anywhere below home") {
    TempHome home;
    TempHome victim;
    fs::create_directory_symlink(victim.path(), home / ".x2go");
    CHECK(AddAuthorizedKey(home.path(), home / ".x2go/authorized_keys", kKey).code() ==
          core::StatusCode::kPermissionDenied);
    CHECK(DelAuthorizedKey(home.path(), home / ".x2go/authorized_keys", kKey).code() ==
          core::StatusCode::kPermissionDenied);
    CHECK_FALSE(fs::exists(victim / "authorized_keys"));
    fs::create_directory(home / "real");
    ::chmod((home / "real").c_str(), 0700);
    fs::create_directory_symlink(victim.path(), home / "real/link");
    CHECK_FALSE(AddAuthorizedKey(home.path(), home / "real/link/authorized_keys", kKey).ok());
    CHECK_FALSE(fs::exists(victim / "authorized_keys"));
  }

  TEST_CASE("refuses paths outside the home directory") {
    TempHome home;
    TempHome other;
    CHECK(AddAuthorizedKey(home.path(), other / "authorized_keys", kKey).code() == core::StatusCode::kInvalidArgument);
    CHECK(AddAuthorizedKey(home.path(), home / "../x/authorized_keys", kKey).code() == core::StatusCode::kInvalidArgument);
    CHECK(AddAuthorizedKey(home.path(), home / "./authorized_keys", kKey).code() == core::StatusCode::kInvalidArgument);
    CHECK(AddAuthorizedKey(home.path(), ".x2go/authorized_keys", kKey).code() == core::StatusCode::kInvalidArgument);
    CHECK(AddAuthorizedKey(home.path(), home.path(), kKey).code() == core::StatusCode::kInvalidArgument);
    CHECK(AddAuthorizedKey(home.path(), home.path() + "x/authorized_keys", kKey).code() ==
          core::StatusCode::kInvalidArgument);
    CHECK(AddAuthorizedKey("/", "/etc/authorized_keys", kKey).code() == core::StatusCode::kInvalidArgument);
    CHECK(AddAuthorizedKey("relative", "relative/k", kKey).code() == core::StatusCode::kInvalidArgument);
    CHECK_FALSE(fs::exists(other / "authorized_keys"));
  }

  TEST_CASE("refuses group/world-writable files and directories, non-regular files") {
    TempHome home;
    Spit(home / "gw", "", 0620);
    CHECK(AddAuthorizedKey(home.path(), home / "gw", kKey).code() == core::StatusCode::kPermissionDenied);
    Spit(home / "ww", "", 0602);
    CHECK(DelAuthorizedKey(home.path(), home / "ww", kKey).code() == core::StatusCode::kPermissionDenied);
    fs::create_directory(home / "opendir");
    ::chmod((home / "opendir").c_str(), 0777);
    CHECK(AddAuthorizedKey(home.path(), home / "opendir/k", kKey).code() == core::StatusCode::kPermissionDenied);
    CHECK_FALSE(fs::exists(home / "opendir/k"));
    REQUIRE(::mkfifo((home / "fifo").c_str(), 0600) == 0);
    CHECK(AddAuthorizedKey(home.path(), home / "fifo", kKey).code() == core::StatusCode::kPermissionDenied);
    fs::create_directory(home / "dir");
    CHECK_FALSE(AddAuthorizedKey(home.path(), home / "dir", kKey).ok());
  }

  TEST_CASE("refuses a file or directory owned by someone else (needs root to set up)") {
    if (::geteuid() != 0) return;
    TempHome home;
    Spit(home / "theirs", "x\n");
    REQUIRE(::chown((home / "theirs").c_str(), 65534, 65534) == 0);
    CHECK(AddAuthorizedKey(home.path(), home / "theirs", kKey).code() == core::StatusCode::kPermissionDenied);
    CHECK(Slurp(home / "theirs") == "x\n");
    fs::create_directory(home / "theirdir");
    ::chmod((home / "theirdir").c_str(), 0700);
    REQUIRE(::chown((home / "theirdir").c_str(), 65534, 65534) == 0);
    CHECK(AddAuthorizedKey(home.path(), home / "theirdir/k", kKey).code() == core::StatusCode::kPermissionDenied);
  }
}

}  // namespace
}  // namespace x2gobroker::agent_server
