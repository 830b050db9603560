// GuiApp: archsim-gui's window: GLFW + OpenGL3 + Dear ImGui setup, the
// frame loop (poll, new frame, views, render, swap) and teardown in
// reverse order, plus the --screenshot mode (render, wait for the first
// simulation, capture the framebuffer as PNG) and its frame-time figures.
#pragma once

#include <optional>
#include <ostream>
#include <string>

namespace archsim::gui {

struct GuiOptions {
  std::optional<std::string> scenario;    ///< --scenario FILE
  std::optional<std::string> screenshot;  ///< --screenshot OUT.png
  int frames = 60;                        ///< --frames N: frames rendered before the capture
  std::string tab;                        ///< --tab NAME: the right pane's tab shown first ("" = Results)
  double wait_timeout_s = 180;            ///< screenshot mode: longest wait for the first result
};

/// Exit codes as the CLI's: 0 ok, 1 internal error, 4 environment failure (no display, no OpenGL,
/// screenshot not writable).
int run_gui(const GuiOptions& options, std::ostream& err);

}  // namespace archsim::gui
