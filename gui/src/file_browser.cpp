// FileBrowser implementation: listing, keyboard movement, picking.
#include "archsim/gui/file_browser.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <system_error>

#include <fmt/format.h>

namespace archsim::gui {

namespace fs = std::filesystem;

void FileBrowser::open(Mode mode, const fs::path& start, std::string extension) {
  mode_ = mode;
  open_ = true;
  extension_ = std::move(extension);
  name_.clear();
  std::error_code ec;
  fs::path dir = start.empty() ? fs::current_path(ec) : start;
  if (!fs::is_directory(dir, ec)) {
    if (mode == Mode::save) name_ = dir.filename().string();
    dir = dir.parent_path();
    if (dir.empty()) dir = fs::current_path(ec);
  }
  list(fs::absolute(dir, ec).lexically_normal());
  if (mode == Mode::open && !start.empty() && !fs::is_directory(start, ec))  // preselect the file given
    for (size_t i = 0; i < entries_.size(); ++i)
      if (!entries_[i].directory && entries_[i].name == start.filename().string()) selected_ = static_cast<int>(i);
}

void FileBrowser::list(const fs::path& dir) {
  directory_ = dir;
  entries_.clear();
  error_.clear();
  selected_ = 0;
  if (dir.has_parent_path() && dir != dir.root_path()) entries_.push_back({"..", true});
  std::vector<Entry> dirs, files;
  std::error_code ec;
  for (fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.') continue;  // hidden
    std::error_code type_ec;
    if (it->is_directory(type_ec))
      dirs.push_back({name, true});
    else if (extension_.empty() || (name.size() >= extension_.size() &&
                                    name.compare(name.size() - extension_.size(), extension_.size(), extension_) == 0))
      files.push_back({name, false});
  }
  if (ec) error_ = fmt::format("cannot list {}: {}", dir.string(), ec.message());
  auto by_name = [](const Entry& a, const Entry& b) { return a.name < b.name; };
  std::sort(dirs.begin(), dirs.end(), by_name);
  std::sort(files.begin(), files.end(), by_name);
  entries_.insert(entries_.end(), dirs.begin(), dirs.end());
  entries_.insert(entries_.end(), files.begin(), files.end());
}

void FileBrowser::select(int index) {
  if (!entries_.empty()) selected_ = std::clamp(index, 0, static_cast<int>(entries_.size()) - 1);
}

void FileBrowser::move(int delta) { select(selected_ + delta); }

void FileBrowser::up() {
  if (directory_ == directory_.root_path() || !directory_.has_parent_path()) return;
  const std::string left = directory_.filename().string();
  list(directory_.parent_path());
  for (size_t i = 0; i < entries_.size(); ++i)
    if (entries_[i].directory && entries_[i].name == left) selected_ = static_cast<int>(i);
}

std::optional<fs::path> FileBrowser::activate() {
  if (entries_.empty() || selected_ < 0 || selected_ >= static_cast<int>(entries_.size())) return std::nullopt;
  const Entry e = entries_[static_cast<size_t>(selected_)];
  if (e.name == "..") {
    up();
    return std::nullopt;
  }
  if (e.directory) {
    list(directory_ / e.name);
    return std::nullopt;
  }
  if (mode_ == Mode::save) {
    name_ = e.name;
    return confirm();
  }
  open_ = false;
  return directory_ / e.name;
}

std::optional<fs::path> FileBrowser::confirm() {
  if (mode_ == Mode::open) return activate();
  if (name_.empty()) return std::nullopt;
  std::string name = name_;
  if (!extension_.empty() && (name.size() < extension_.size() ||
                              name.compare(name.size() - extension_.size(), extension_.size(), extension_) != 0))
    name += extension_;
  open_ = false;
  return directory_ / name;
}

float ui_scale(const char* override_text, float content_scale_x, float content_scale_y, double monitor_dpi,
               std::string* note) {
  auto say = [&](std::string text) {
    if (note) *note = std::move(text);
  };
  std::string ignored;
  if (override_text != nullptr && *override_text != '\0') {
    char* end = nullptr;
    const double v = std::strtod(override_text, &end);
    if (end != override_text && *end == '\0' && v >= 0.5 && v <= 4) {
      say(fmt::format("UI scale {:g} (ARCHSIM_GUI_SCALE)", v));
      return static_cast<float>(v);
    }
    ignored = fmt::format("ARCHSIM_GUI_SCALE: expected a number from 0.5 to 4, found \"{}\"; ignored; ", override_text);
  }
  const double content = std::max(content_scale_x, content_scale_y);
  const double dpi = monitor_dpi >= 120 && monitor_dpi <= 600 ? monitor_dpi / 96.0 : 1.0;
  const double raw = std::max({1.0, std::isfinite(content) ? content : 1.0, dpi});
  const float scale = static_cast<float>(std::round(raw * 4) / 4);
  const std::string from = dpi > content && dpi > 1 ? fmt::format("monitor {:.0f} dpi", monitor_dpi)
                                                     : fmt::format("content scale {:g}", content);
  say(ignored + fmt::format("UI scale {:g} ({})", scale, from));
  return scale;
}

}  // namespace archsim::gui
