// FileBrowser: the state of archsim-gui's in-app file dialog (Dear ImGui has
// no native one): a current directory, its entries (directories first, then
// files with the wanted extension, each sorted by name), a selection moved
// with the keyboard, and a file name field for saving. Drawing lives in
// views.cpp; everything here works without a window.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace archsim::gui {

class FileBrowser {
 public:
  enum class Mode { open, save };

  struct Entry {
    std::string name;       ///< file or directory name ("..": the parent)
    bool directory = false;
  };

  /// Opens the browser on `start` (a directory, or a file whose directory is
  /// used and whose name fills the name field). Lists files ending in
  /// `extension` (e.g. ".json"; "" lists every file).
  void open(Mode mode, const std::filesystem::path& start, std::string extension = ".json");
  void close() { open_ = false; }
  bool is_open() const { return open_; }
  Mode mode() const { return mode_; }

  const std::filesystem::path& directory() const { return directory_; }
  const std::vector<Entry>& entries() const { return entries_; }
  /// Why the directory could not be listed ("" when it could).
  const std::string& error() const { return error_; }
  int selected() const { return selected_; }
  void select(int index);
  /// Moves the selection by `delta` entries, clamped to the list.
  void move(int delta);
  /// Goes to the parent directory, selecting the directory just left.
  void up();
  /// Activates the selected entry: enters a directory (returns nothing) or
  /// picks a file (returns its path and closes).
  std::optional<std::filesystem::path> activate();
  /// Save mode: the file name typed so far; confirm() returns directory/name
  /// (with the extension added when missing) and closes; nothing when the
  /// name is empty.
  std::string& name() { return name_; }
  std::optional<std::filesystem::path> confirm();

 private:
  void list(const std::filesystem::path& dir);
  Mode mode_ = Mode::open;
  bool open_ = false;
  std::filesystem::path directory_;
  std::string extension_;
  std::vector<Entry> entries_;
  std::string error_;
  std::string name_;
  int selected_ = 0;
};

/// The UI scale factor: `override_text` (the ARCHSIM_GUI_SCALE environment
/// variable) when set and a number in [0.5, 4]; otherwise the larger of the
/// window's content scale and the monitor's DPI over 96 (when the monitor
/// reports a plausible physical size), rounded to a quarter and at least 1.
/// `note` says which source was used (or why the override was ignored).
float ui_scale(const char* override_text, float content_scale_x, float content_scale_y, double monitor_dpi,
               std::string* note);

}  // namespace archsim::gui
