// archsim-gui: the GUI's entry point. Parses the flags and runs the window.
//   archsim-gui [--scenario FILE] [--screenshot OUT.png --frames N] [--tab NAME]
// Exit codes: 0 ok, 1 internal error, 2 usage, 4 no display / OpenGL / screenshot not writable.
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "gui_app.hpp"

int main(int argc, char** argv) {
  archsim::gui::GuiOptions options;
  CLI::App app("archsim-gui: explore archsim scenarios interactively (edit, re-simulate, compare, export)",
               "archsim-gui");
  app.add_option("--scenario", options.scenario, "scenario JSON file to open")->type_name("FILE");
  auto* shot = app.add_option("--screenshot", options.screenshot,
                              "render, wait for the first simulation, write the window as PNG and exit")
                   ->type_name("OUT.png");
  app.add_option("--frames", options.frames, "frames to render before the screenshot (default 60)")
      ->type_name("N")
      ->check(CLI::Range(1, 100000))
      ->needs(shot);
  app.add_option("--tab", options.tab, "right-pane tab to show first: Results, \"Over time\", Explorer or Check")
      ->type_name("NAME")
      ->check(CLI::IsMember({"Results", "Over time", "Explorer", "Check"}));
  app.footer("Exit status: 0 ok; 2 bad usage; 4 no display or OpenGL (run under xvfb-run for screenshots).\n"
             "A scenario with problems opens anyway: its problems are listed in the window.");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  try {
    return archsim::gui::run_gui(options, std::cerr);
  } catch (const std::exception& e) {
    std::cerr << "archsim-gui: internal error: " << e.what() << "\n";
    return 1;
  }
}
