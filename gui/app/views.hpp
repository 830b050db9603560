// Views: the widgets of archsim-gui's one window, reading and editing an
// AppState. The left pane holds files, run controls, parameters, problems
// and the raw JSON; the right pane the results (verdict table, latency CDF,
// cost breakdown, cost versus p99 with the Pareto front).
#pragma once

#include <string>

#include "archsim/gui/app_state.hpp"

namespace archsim::gui {

/// Text fields the widgets own between frames.
struct ViewFields {
  std::string open_path;
  std::string save_path;
  std::string export_path;
  std::string raw_text;             ///< the raw JSON editor's buffer
  uint64_t raw_text_revision = 0;   ///< document revision raw_text was copied from
};

/// Draws the whole window content for one frame (fills the viewport).
void draw_views(AppState& state, ViewFields& fields);

}  // namespace archsim::gui
