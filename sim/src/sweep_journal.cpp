// Sweep journal: reading with torn-tail detection, truncation, fsynced appends.
#include "archsim/sweep_journal.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

namespace archsim {

JournalContents read_journal(const std::filesystem::path& path) {
  JournalContents contents;
  std::ifstream in(path, std::ios::binary);
  if (!in) return contents;
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  size_t pos = 0;
  size_t line_no = 0;
  while (pos < text.size()) {
    ++line_no;
    const size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) {
      contents.torn_tail = true;
      contents.torn_reason = fmt::format("line {} has no newline (a write cut short)", line_no);
      break;
    }
    const std::string_view line(text.data() + pos, nl - pos);
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      if (nl + 1 == text.size()) {
        contents.torn_tail = true;
        contents.torn_reason = fmt::format("line {} is not a JSON object", line_no);
        break;
      }
      throw std::invalid_argument(fmt::format("{}:{}: not a JSON object, and not the last line: the journal is damaged; "
                                              "remove it to start the sweep again",
                                              path.string(), line_no));
    }
    if (line_no == 1 && j.contains("archsim_sweep_journal"))
      contents.header = std::move(j);
    else
      contents.records.push_back(std::move(j));
    pos = nl + 1;
    contents.good_bytes = pos;
  }
  return contents;
}

void truncate_journal(const std::filesystem::path& path, uint64_t size) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error(fmt::format("cannot open {}: {}", path.string(), std::strerror(errno)));
  const bool ok = ::ftruncate(fd, static_cast<off_t>(size)) == 0 && ::fsync(fd) == 0;
  const int err = errno;
  ::close(fd);
  if (!ok) throw std::runtime_error(fmt::format("cannot truncate {}: {}", path.string(), std::strerror(err)));
}

JournalWriter::JournalWriter(const std::filesystem::path& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
  if (fd_ < 0) throw std::runtime_error(fmt::format("cannot open {}: {}", path.string(), std::strerror(errno)));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    ::close(fd_);
    fd_ = -1;
    if (err == EWOULDBLOCK)
      throw std::invalid_argument(fmt::format("{} is in use by another running sweep: wait for it, or use another --out directory",
                                              path.string()));
    throw std::runtime_error(fmt::format("cannot lock {}: {}", path.string(), std::strerror(err)));
  }
}

JournalWriter::~JournalWriter() {
  if (fd_ >= 0) ::close(fd_);
}

void JournalWriter::append(const nlohmann::json& line) {
  const std::string text = line.dump() + "\n";
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t w = ::write(fd_, text.data() + done, text.size() - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) throw std::runtime_error(fmt::format("cannot append to {}: {}", path_.string(), std::strerror(errno)));
    done += static_cast<size_t>(w);
  }
  if (::fdatasync(fd_) != 0) throw std::runtime_error(fmt::format("cannot fsync {}: {}", path_.string(), std::strerror(errno)));
}

}  // namespace archsim
