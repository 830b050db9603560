// GuiApp (see gui_app.hpp). Follows Dear ImGui's example_glfw_opengl3.
#include "gui_app.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

#include <GLFW/glfw3.h>
#include <fmt/format.h>
#include <imgui.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <stb_image_write.h>

#include "archsim/gui/app_state.hpp"
#include "archsim/gui/file_browser.hpp"
#include "archsim/simulator.hpp"
#include "check_runner.hpp"
#include "views.hpp"

namespace archsim::gui {

namespace {

std::string g_glfw_error;  // GLFW reports errors through a plain callback

/// simulate() for the background threads: lowers the calling thread's
/// priority first (nice 10), which the forked simulation processes inherit,
/// so the UI thread keeps its share of the CPU while a simulation runs.
Result simulate_in_background(const Scenario& scenario, const SimOptions& options) {
  setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10);
  return simulate(scenario, options);
}

void on_glfw_error(int code, const char* description) { g_glfw_error = fmt::format("{} (GLFW error {:#x})", description, code); }

/// Frame-time statistics, milliseconds.
struct FrameStats {
  int frames = 0;
  double sum_ms = 0;
  double max_ms = 0;
  double ui_ms = 0;  ///< building the UI (poll, tick, widgets), summed
  void add(double ms, double ui) {
    ++frames;
    sum_ms += ms;
    ui_ms += ui;
    max_ms = std::max(max_ms, ms);
  }
  std::string text() const {
    return frames == 0 ? "no frames"
                       : fmt::format("{} frames, mean {:.1f} ms (building the UI {:.1f} ms, drawing and swapping the "
                                     "rest), max {:.1f} ms",
                                     frames, sum_ms / frames, ui_ms / frames, max_ms);
  }
};

bool write_png(const std::string& path, int w, int h, std::ostream& err) {
  std::vector<unsigned char> pixels(static_cast<size_t>(w) * static_cast<size_t>(h) * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
  std::vector<unsigned char> flipped(pixels.size());
  const size_t row = static_cast<size_t>(w) * 4;
  for (int y = 0; y < h; ++y)
    std::copy_n(pixels.begin() + static_cast<long>(static_cast<size_t>(h - 1 - y) * row), row,
                flipped.begin() + static_cast<long>(static_cast<size_t>(y) * row));
  for (size_t i = 3; i < flipped.size(); i += 4) flipped[i] = 255;  // opaque
  const std::string tmp = path + ".tmp";
  if (stbi_write_png(tmp.c_str(), w, h, 4, flipped.data(), static_cast<int>(row)) == 0) {
    err << fmt::format("archsim-gui: cannot write the screenshot {}\n", path);
    return false;
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    err << fmt::format("archsim-gui: cannot write the screenshot {}: {}\n", path, ec.message());
    return false;
  }
  return true;
}

void setup_style(float scale) {
  ImGui::StyleColorsLight();
  ImGuiStyle& style = ImGui::GetStyle();
  style.WindowRounding = 0;
  style.FrameRounding = 3;
  style.ScaleAllSizes(scale);
  ImGuiIO& io = ImGui::GetIO();
  const char* font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";  // Debian fonts-dejavu-core
  if (std::filesystem::exists(font)) {
    io.Fonts->AddFontFromFileTTF(font, 16.0f * scale);
    const char* mono = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf";  // for the check's table
    if (std::filesystem::exists(mono)) io.Fonts->AddFontFromFileTTF(mono, 14.0f * scale);
  } else {
    ImFontConfig config;
    config.SizePixels = 15.0f * scale;
    io.Fonts->AddFontDefault(&config);
  }
}

}  // namespace

int run_gui(const GuiOptions& options, std::ostream& err) {
  glfwSetErrorCallback(on_glfw_error);
  if (!glfwInit()) {
    err << "archsim-gui: no display available: " << g_glfw_error
        << "\n(set DISPLAY to an X server, or run under xvfb-run for screenshots)\n";
    return 4;
  }
  const bool capture = options.screenshot.has_value();
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
  if (capture) glfwWindowHint(GLFW_RESIZABLE, GLFW_FALSE);
  GLFWwindow* window = glfwCreateWindow(1600, 1000, "archsim-gui", nullptr, nullptr);
  if (window == nullptr) {
    err << "archsim-gui: cannot open an OpenGL 3 window: " << g_glfw_error << "\n";
    glfwTerminate();
    return 4;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(capture ? 0 : 1);
  float scale_x = 1, scale_y = 1;
  glfwGetWindowContentScale(window, &scale_x, &scale_y);
  double monitor_dpi = 0;  // from the primary monitor's physical size, when it reports one
  if (GLFWmonitor* monitor = glfwGetPrimaryMonitor()) {
    int width_mm = 0, height_mm = 0;
    glfwGetMonitorPhysicalSize(monitor, &width_mm, &height_mm);
    const GLFWvidmode* mode = glfwGetVideoMode(monitor);
    if (mode != nullptr && width_mm > 0) monitor_dpi = mode->width / (width_mm / 25.4);
  }
  std::string scale_note;
  const float scale = ui_scale(std::getenv("ARCHSIM_GUI_SCALE"), scale_x, scale_y, monitor_dpi, &scale_note);
  if (capture) err << "archsim-gui: " << scale_note << "\n";

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  io.IniFilename = nullptr;
  setup_style(scale);
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 130");

  int exit_code = 0;
  {
    AppState state(simulate_in_background, [] { return Clock::now(); }, std::chrono::milliseconds(300), run_cli_check);
    ViewFields fields;
    if (options.scenario) {
      state.open(ScenarioDocument::from_file(*options.scenario));
      fields.open_path = *options.scenario;
      const std::filesystem::path p(*options.scenario);
      fields.save_path = (p.parent_path() / (p.stem().string() + "-edited.json")).string();
      fields.export_path = (p.parent_path() / (p.stem().string() + "-report.html")).string();
    } else {
      fields.open_path = "scenarios/kappa-reference.json";
      fields.save_path = "scenario-edited.json";
      fields.export_path = "report.html";
    }

    fields.select_tab = options.tab;
    FrameStats busy_stats, idle_stats;
    int frame = 0;
    const auto started = std::chrono::steady_clock::now();
    bool captured = false, timed_out = false;
    int settled_frame = 0;
    while (!glfwWindowShouldClose(window)) {
      const auto t0 = std::chrono::steady_clock::now();
      if (capture) {
        glfwPollEvents();
      } else {
        // Sleep until input arrives, or briefly while background work shows progress: with software
        // OpenGL a continuously redrawn window would take the CPU the simulations need.
        const bool background = state.busy() || state.debounce_pending() || state.check_running() ||
                                state.explorer().running();
        glfwWaitEventsTimeout(background ? 0.1 : 0.5);
      }
      state.tick();
      const bool simulating = state.busy();
      ImGui_ImplOpenGL3_NewFrame();
      ImGui_ImplGlfw_NewFrame();
      ImGui::NewFrame();
      draw_views(state, fields);
      ImGui::Render();
      const double ui_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      int w = 0, h = 0;
      glfwGetFramebufferSize(window, &w, &h);
      glViewport(0, 0, w, h);
      glClearColor(0.94f, 0.94f, 0.94f, 1.0f);
      glClear(GL_COLOR_BUFFER_BIT);
      ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
      ++frame;
      if (capture) {
        // Capture after N frames, once the first result is in (or the scenario cannot be simulated).
        const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        const bool settled = !state.document().valid() || (state.shown().result && !state.busy()) ||
                             !state.shown().error.empty();
        timed_out = waited > options.wait_timeout_s;
        if ((settled || timed_out) && settled_frame == 0) settled_frame = frame;
        // at least N frames, and 10 after the result arrived (idle frame times, a settled picture)
        if (settled_frame > 0 && frame >= std::max(options.frames, settled_frame + 10)) {
          glFinish();
          if (!write_png(*options.screenshot, w, h, err)) exit_code = 4;
          captured = true;
        }
      }
      glfwSwapBuffers(window);
      const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      if (!captured) (simulating ? busy_stats : idle_stats).add(ms, ui_ms);  // the capture frame also encodes the PNG
      if (captured) break;
      if (capture) {  // pace at about 60 frames per second, as a display would
        const auto next = t0 + std::chrono::microseconds(16667);
        std::this_thread::sleep_until(next);
      }
    }
    if (capture) {
      if (timed_out) err << fmt::format("archsim-gui: no result after {:.0f} s; captured anyway\n", options.wait_timeout_s);
      if (exit_code == 0)
        err << fmt::format("archsim-gui: wrote {} ({} frames)\n", *options.screenshot, frame);
      err << "archsim-gui: frame time while simulating: " << busy_stats.text() << "\n";
      err << "archsim-gui: frame time idle: " << idle_stats.text() << "\n";
      const auto& issues = state.document().issues();
      if (!issues.empty()) err << fmt::format("archsim-gui: the scenario has {} problem(s); shown in the window\n", issues.size());
    }
  }  // AppState (and its simulation thread) ends before the window

  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return exit_code;
}

}  // namespace archsim::gui
