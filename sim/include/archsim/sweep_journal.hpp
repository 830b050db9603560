// Sweep journal: an append-only JSONL file, a header line identifying the
// sweep (scenario text hash, grid hash) and then one line per finished point,
// each appended with one write and fsynced. A crash can only leave a torn
// last line; reading detects it so that it is discarded and truncated away.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace archsim {

/// What a journal file holds.
struct JournalContents {
  std::optional<nlohmann::json> header;  ///< the first line, when there is one
  std::vector<nlohmann::json> records;   ///< the point lines, in file order
  uint64_t good_bytes = 0;               ///< length of the file up to the last complete line
  bool torn_tail = false;                ///< a last line without newline, or not JSON, follows good_bytes
  std::string torn_reason;               ///< why the tail was judged torn
};

/// Reads a journal. A missing file gives empty contents. A last line that
/// lacks its newline or does not parse is reported as torn (not an error);
/// a bad line before the last throws std::invalid_argument naming the line.
JournalContents read_journal(const std::filesystem::path& path);

/// Cuts the file to `size` bytes (drops a torn tail) and fsyncs it. Throws
/// std::runtime_error with the OS reason.
void truncate_journal(const std::filesystem::path& path, uint64_t size);

/// Appends lines to a journal, each followed by fsync.
class JournalWriter {
 public:
  /// Opens (creates) `path` for appending and locks it (flock) for the
  /// writer's lifetime. Throws std::invalid_argument when another process
  /// holds the lock, std::runtime_error when the file cannot be opened.
  explicit JournalWriter(const std::filesystem::path& path);
  ~JournalWriter();
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;
  /// Writes `line.dump()` and a newline in one write, then fsyncs.
  void append(const nlohmann::json& line);

 private:
  int fd_ = -1;
  std::filesystem::path path_;
};

}  // namespace archsim
