// Atomic file replacement: write a whole file so that readers (and a crash)
// see either the old content or the new one, never a half-written file.
#pragma once

#include <filesystem>
#include <string_view>

namespace archsim {

/// Writes `content` to `path` atomically: a temporary file in the same
/// directory is written, fsynced and renamed over `path` (the directory is
/// then fsynced, best effort). The new file gets mode 0666 minus the umask.
/// The parent directory must exist; it is not created.
/// On any failure (missing directory, full disk, `path` is a directory, ...)
/// the temporary file is removed, an existing `path` is left untouched, and
/// std::runtime_error is thrown naming the path and the OS reason.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

}  // namespace archsim
