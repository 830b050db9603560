// Views: the widgets of archsim-gui's one window, reading and editing an
// AppState. The left pane holds files, run controls, parameters, problems
// and the raw JSON; the right pane the results (verdict table, latency CDF,
// cost breakdown, cost versus p99 with the Pareto front; latency over time
// with failure episodes), plus the in-app file dialog.
#pragma once

#include <string>

#include "archsim/gui/app_state.hpp"
#include "archsim/gui/file_browser.hpp"

namespace archsim::gui {

/// The explorer's choices in the UI (indices into the document's params).
struct ExplorerFields {
  int x = -1, y = -1;               ///< -1: pick defaults
  double x_lo = 0, x_hi = 0, y_lo = 0, y_hi = 0;
  int x_steps = 5, y_steps = 5;
  int candidate = 0;
  int metric = 0;                   ///< 0: p99 latency, 1: monthly cost
};

/// Text fields the widgets own between frames.
struct ViewFields {
  ExplorerFields explorer;
  int check_candidate = 0;          ///< index into the scenario's candidates
  std::string check_duration = "3s";
  std::string open_path;
  std::string save_path;
  std::string export_path;
  std::string raw_text;             ///< the raw JSON editor's buffer
  uint64_t raw_text_revision = 0;   ///< document revision raw_text was copied from
  FileBrowser browser;              ///< the open/save file dialog
  bool browser_requested = false;   ///< open the dialog's popup on the next frame
  int timeline_candidate = 0;       ///< index into the shown Result's candidates
  std::string select_tab;           ///< a tab to select on the next frame ("" = none), then cleared
};

/// Draws the whole window content for one frame (fills the viewport).
void draw_views(AppState& state, ViewFields& fields);

}  // namespace archsim::gui
