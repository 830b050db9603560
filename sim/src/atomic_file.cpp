// Atomic file replacement (see atomic_file.hpp): temp file in the target's
// directory, write, fsync, rename; the temp file never outlives a failure.
#include "archsim/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <random>
#include <stdexcept>
#include <string>
#include <system_error>

#include <fmt/format.h>

namespace archsim {

namespace {

std::string os_reason(int error) { return std::generic_category().message(error); }

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what, int error) {
  throw std::runtime_error(fmt::format("cannot write {}: {}: {}", path.string(), what, os_reason(error)));
}

/// An open temporary file that is closed and unlinked unless committed.
class TempFile {
 public:
  TempFile(const std::filesystem::path& target, const std::filesystem::path& dir) : target_(target) {
    std::random_device entropy;
    for (int attempt = 0; attempt < 100; ++attempt) {
      path_ = dir / fmt::format(".{}.{}.{:08x}.tmp", target.filename().string(), ::getpid(), entropy());
      fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
      if (fd_ >= 0) return;
      if (errno != EEXIST) break;
    }
    fail(target_, fmt::format("cannot create a temporary file in {}", dir.string()), errno);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(path_.c_str());
  }

  void write_all(std::string_view content) {
    while (!content.empty()) {
      ssize_t written = ::write(fd_, content.data(), content.size());
      if (written < 0) {
        if (errno == EINTR) continue;
        fail(target_, fmt::format("writing {}", path_.string()), errno);
      }
      content.remove_prefix(static_cast<size_t>(written));
    }
  }

  void sync_and_close() {
    if (::fsync(fd_) != 0) fail(target_, fmt::format("fsync of {}", path_.string()), errno);
    int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) fail(target_, fmt::format("closing {}", path_.string()), errno);
  }

  void rename_over_target() {
    if (::rename(path_.c_str(), target_.c_str()) != 0)
      fail(target_, fmt::format("renaming {} over it", path_.string()), errno);
    committed_ = true;
  }

 private:
  std::filesystem::path target_;
  std::filesystem::path path_;
  int fd_ = -1;
  bool committed_ = false;
};

/// Makes the rename durable. Best effort: some file systems refuse to fsync
/// a directory, and the new file is already in place.
void sync_directory(const std::filesystem::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

}  // namespace

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  if (path.empty() || !path.has_filename()) fail(path, "not a file path", EINVAL);
  std::filesystem::path dir = path.parent_path();
  if (dir.empty()) dir = ".";
  TempFile temp(path, dir);
  temp.write_all(content);
  temp.sync_and_close();
  temp.rename_over_target();
  sync_directory(dir);
}

}  // namespace archsim
