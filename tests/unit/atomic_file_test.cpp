// write_file_atomically: writes whole files, and on failure throws with the
// path and the OS reason, leaving neither a temporary file nor a damaged target.
#include <gtest/gtest.h>

#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "archsim/atomic_file.hpp"

namespace archsim {
namespace {

namespace fs = std::filesystem;

/// A fresh directory under the system temp dir, removed at the end.
class ScratchDir {
 public:
  ScratchDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() /
            (std::string("archsim-atomic-") + info->name() + "-" + std::to_string(::getpid()));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~ScratchDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }
  size_t entries() const { return static_cast<size_t>(std::distance(fs::directory_iterator(path_), {})); }

 private:
  fs::path path_;
};

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string error_of(const fs::path& path, std::string_view content) {
  try {
    write_file_atomically(path, content);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(AtomicFile, WritesAndReplaces) {
  ScratchDir dir;
  const fs::path file = dir.path() / "result.json";
  write_file_atomically(file, "first\n");
  EXPECT_EQ(read_all(file), "first\n");
  const std::string big(3 << 20, 'x');
  write_file_atomically(file, big);
  EXPECT_EQ(read_all(file), big);
  write_file_atomically(file, "");
  EXPECT_EQ(read_all(file), "");
  EXPECT_EQ(dir.entries(), 1u) << "no temporary file left behind";
}

TEST(AtomicFile, RelativePathInTheCurrentDirectory) {
  ScratchDir dir;
  const fs::path before = fs::current_path();
  fs::current_path(dir.path());
  write_file_atomically("plain.txt", "hello");
  fs::current_path(before);
  EXPECT_EQ(read_all(dir.path() / "plain.txt"), "hello");
  EXPECT_EQ(dir.entries(), 1u);
}

TEST(AtomicFile, MissingDirectoryThrowsAndLeavesNothing) {
  ScratchDir dir;
  const fs::path file = dir.path() / "no-such-dir" / "x.json";
  const std::string error = error_of(file, "content");
  EXPECT_NE(error.find(file.string()), std::string::npos) << error;
  EXPECT_NE(error.find("No such file or directory"), std::string::npos) << error;
  EXPECT_FALSE(fs::exists(file));
  EXPECT_EQ(dir.entries(), 0u);
}

// Tests run as root, so a read-only directory would not stop the write:
// a parent that is a regular file does.
TEST(AtomicFile, ParentIsAFileThrowsAndLeavesItUntouched) {
  ScratchDir dir;
  const fs::path parent = dir.path() / "regular-file";
  write_file_atomically(parent, "keep me");
  const std::string error = error_of(parent / "x.json", "content");
  EXPECT_NE(error.find((parent / "x.json").string()), std::string::npos) << error;
  EXPECT_NE(error.find("Not a directory"), std::string::npos) << error;
  EXPECT_EQ(read_all(parent), "keep me");
  EXPECT_EQ(dir.entries(), 1u);
}

TEST(AtomicFile, TargetIsADirectoryThrowsAndKeepsIt) {
  ScratchDir dir;
  const fs::path target = dir.path() / "out";
  fs::create_directory(target);
  write_file_atomically(target / "inside.txt", "existing");
  const std::string error = error_of(target, "content");
  EXPECT_NE(error.find(target.string()), std::string::npos) << error;
  EXPECT_TRUE(fs::is_directory(target));
  EXPECT_EQ(read_all(target / "inside.txt"), "existing");
  EXPECT_EQ(dir.entries(), 1u) << "the temporary file was removed";
}

/// Lowers the file size limit (as a full disk would stop a write: EFBIG
/// instead of ENOSPC) and ignores SIGXFSZ, restoring both on destruction.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    ::getrlimit(RLIMIT_FSIZE, &saved_);
    rlimit lowered = saved_;
    lowered.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &lowered);
    saved_handler_ = std::signal(SIGXFSZ, SIG_IGN);
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, saved_handler_);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;

 private:
  rlimit saved_{};
  void (*saved_handler_)(int) = SIG_DFL;
};

TEST(AtomicFile, FailedWriteKeepsTheOldContent) {
  ScratchDir dir;
  const fs::path file = dir.path() / "result.json";
  write_file_atomically(file, "good old content");
  std::string error;
  {
    FileSizeLimit limit(4096);
    error = error_of(file, std::string(1 << 20, 'n'));
  }
  EXPECT_NE(error.find(file.string()), std::string::npos) << error;
  EXPECT_NE(error.find("File too large"), std::string::npos) << error;
  EXPECT_EQ(read_all(file), "good old content");
  EXPECT_EQ(dir.entries(), 1u) << "the temporary file was removed";
}

TEST(AtomicFile, PathWithoutFileNameIsRefused) {
  ScratchDir dir;
  const std::string error = error_of(dir.path() / "", "content");
  EXPECT_NE(error.find("cannot write"), std::string::npos) << error;
  EXPECT_EQ(dir.entries(), 0u);
}

}  // namespace
}  // namespace archsim
