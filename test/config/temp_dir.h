// SPDX-License-Identifier: AGPL-3.0-or-later
// TempDir: a private directory for test files, removed with everything in it at scope exit.
// Header-only so that the config and backends test binaries can both use it.
#pragma once

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace x2gobroker::testing {

class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/x2gobroker-test-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }

  // Writes `content` to <dir>/<name> (replacing it) and returns the full path.
  std::string Write(const std::string& name, const std::string& content) const {
    std::string file = path_ + "/" + name;
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out) throw std::runtime_error("cannot write " + file);
    return file;
  }

 private:
  std::string path_;
};

// The test data directory (test/data), set by CTest; when a test binary is run by hand, it is
// found next to this header.
inline std::string TestDataDir() {
  const char* dir = std::getenv("X2GOBROKER_TEST_DATA");
  if (dir != nullptr && *dir != '\0') return dir;
  return (std::filesystem::path(__FILE__).parent_path().parent_path() / "data").string();
}

// The repository root, derived from the test data directory (<root>/test/data).
inline std::string SourceRoot() { return TestDataDir() + "/../.."; }

}  // namespace x2gobroker::testing
