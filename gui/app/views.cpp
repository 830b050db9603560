// Views (see views.hpp). Results are drawn from the shown Result only;
// nothing here runs or touches a simulation.
#include "views.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <optional>

#include <fmt/format.h>
#include <imgui.h>
#include <imgui_stdlib.h>

#include "archsim/episode_timeline.hpp"
#include "archsim/pareto_front.hpp"
#include "archsim/svg_plot.hpp"
#include "archsim/units.hpp"
#include "plot.hpp"

namespace archsim::gui {

namespace {

const ImVec4 kPass{0.0f, 0.45f, 0.25f, 1.0f};
const ImVec4 kFail{0.75f, 0.05f, 0.1f, 1.0f};
const ImVec4 kMuted{0.4f, 0.4f, 0.4f, 1.0f};
const ImU32 kTarget = IM_COL32(176, 0, 32, 255);
// The failure episodes' key, in solid (darker) forms of the panels' shades.
const ImVec4 kEpisodeDown{0.78f, 0.30f, 0.13f, 1.0f};
const ImVec4 kEpisodeLate{0.65f, 0.45f, 0.0f, 1.0f};
const ImVec4 kEpisodeStroke{0.48f, 0.18f, 0.05f, 1.0f};

std::string usd(double v) {
  if (!std::isfinite(v)) return "-";
  if (std::abs(v) < 10) return fmt::format("${:.2f}", v);
  std::string digits = fmt::format("{:.0f}", std::abs(v));
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<size_t>(i), ",");
  return (v < 0 ? "-$" : "$") + digits;
}

std::string latency(double s) { return std::isfinite(s) ? format_duration(s) : std::string("-"); }

std::string value_text(const Verdict& v, double x) {
  if (v.unit == "s") return latency(x);
  if (v.unit == "USD/month") return usd(x) + "/month";
  if (v.unit == "fraction") return fmt::format("{:.4f}%", x * 100);
  return fmt::format("{:g}{}{}", x, v.unit.empty() ? "" : " ", v.unit);
}

std::string margin_text(const Verdict& v) {
  if (!std::isfinite(v.headroom)) return "";
  if (v.headroom >= 0) return fmt::format("{:.0f}% headroom", v.headroom * 100);
  if (v.headroom >= -1) return fmt::format("{:.0f}% over", -v.headroom * 100);
  return fmt::format("{:.1f}x the target", 1 - v.headroom);
}

/// Decade bounds around [lo, hi] (seconds -> ms), for log axes.
std::pair<double, double> decades(double lo, double hi) {
  if (!(hi > 0) || !std::isfinite(lo) || lo <= 0) return {1, 1000};
  return {std::pow(10.0, std::floor(std::log10(lo) + 1e-9)), std::pow(10.0, std::ceil(std::log10(hi) - 1e-9))};
}

std::optional<double> target_of(const Result& r, const std::string& requirement) {
  for (const auto& c : r.candidates)
    for (const auto& v : c.verdicts)
      if (v.requirement == requirement) return v.target;
  return std::nullopt;
}

// --- left pane --------------------------------------------------------------

void open_scenario(AppState& state, ViewFields& f) {
  state.open(ScenarioDocument::from_file(f.open_path));
  state.status = state.document().valid() ? "opened " + f.open_path
                                          : "opened " + f.open_path + " with problems (see below)";
}

bool key_pressed(ImGuiKey key) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(key)); }

/// The file dialog: a modal list of the directory, driven by mouse or keys
/// (Up/Down move, Enter opens a directory or picks a file, Backspace goes
/// up, Escape cancels).
void draw_file_browser(AppState& state, ViewFields& f) {
  FileBrowser& b = f.browser;
  const char* title = b.mode() == FileBrowser::Mode::open ? "Open scenario###browser" : "Save scenario as###browser";
  if (f.browser_requested) {
    ImGui::OpenPopup("###browser");
    f.browser_requested = false;
  }
  const ImVec2 size{40 * ImGui::GetFontSize(), 28 * ImGui::GetFontSize()};
  ImGui::SetNextWindowSize(size, ImGuiCond_Appearing);
  if (!ImGui::BeginPopupModal(title, nullptr, ImGuiWindowFlags_NoSavedSettings)) return;
  std::optional<std::filesystem::path> picked;
  const bool typing = ImGui::IsAnyItemActive();
  if (!typing) {
    if (key_pressed(ImGuiKey_UpArrow)) b.move(-1);
    if (key_pressed(ImGuiKey_DownArrow)) b.move(1);
    if (key_pressed(ImGuiKey_PageUp)) b.move(-10);
    if (key_pressed(ImGuiKey_PageDown)) b.move(10);
    if (key_pressed(ImGuiKey_Backspace)) b.up();
    if (key_pressed(ImGuiKey_Enter) || key_pressed(ImGuiKey_KeyPadEnter)) picked = b.activate();
  }
  if (key_pressed(ImGuiKey_Escape)) b.close();
  ImGui::TextWrapped("%s", b.directory().string().c_str());
  if (!b.error().empty()) ImGui::TextColored(kFail, "%s", b.error().c_str());
  const float footer = ImGui::GetFrameHeightWithSpacing() * (b.mode() == FileBrowser::Mode::save ? 3.2f : 2.2f);
  ImGui::BeginChild("entries", {0, -footer}, true);
  for (size_t i = 0; i < b.entries().size(); ++i) {
    const auto& e = b.entries()[i];
    const bool sel = static_cast<int>(i) == b.selected();
    const std::string label = (e.directory ? "[dir]  " : "       ") + e.name;
    if (ImGui::Selectable(label.c_str(), sel, ImGuiSelectableFlags_AllowDoubleClick)) {
      b.select(static_cast<int>(i));
      if (ImGui::IsMouseDoubleClicked(0)) picked = b.activate();
    }
    if (sel && !typing) ImGui::SetScrollHereY(0.5f);
  }
  if (b.entries().empty()) ImGui::TextColored(kMuted, "(no .json files or directories here)");
  ImGui::EndChild();
  if (b.mode() == FileBrowser::Mode::save) {
    ImGui::SetNextItemWidth(-1);
    if (ImGui::InputTextWithHint("##name", "file name (.json added when missing)", &b.name(), ImGuiInputTextFlags_EnterReturnsTrue))
      picked = b.confirm();
  }
  ImGui::TextColored(kMuted, "Up/Down select, Enter open, Backspace parent, Esc cancel");
  if (ImGui::Button(b.mode() == FileBrowser::Mode::open ? "Open" : "Save")) picked = b.confirm();
  ImGui::SameLine();
  if (ImGui::Button("Cancel")) b.close();
  if (picked) {
    if (b.mode() == FileBrowser::Mode::open) {
      f.open_path = picked->string();
      open_scenario(state, f);
    } else {
      f.save_path = picked->string();
      state.save_as(f.save_path);
    }
  }
  if (!b.is_open()) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
}

void draw_files(AppState& state, ViewFields& f) {
  ImGui::TextUnformatted("Scenario file");
  const float buttons = -9.5f * ImGui::GetFontSize();
  ImGui::SetNextItemWidth(buttons);
  const bool enter = ImGui::InputText("##open", &f.open_path, ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::SameLine();
  if (ImGui::Button("Open") || enter) open_scenario(state, f);
  ImGui::SameLine();
  if (ImGui::Button("Browse...##open")) {
    f.browser.open(FileBrowser::Mode::open, f.open_path);
    f.browser_requested = true;
  }
  ImGui::SetNextItemWidth(buttons);
  ImGui::InputText("##save", &f.save_path);
  ImGui::SameLine();
  if (ImGui::Button("Save as")) state.save_as(f.save_path);
  ImGui::SameLine();
  if (ImGui::Button("Browse...##save")) {
    f.browser.open(FileBrowser::Mode::save, f.save_path);
    f.browser_requested = true;
  }
  draw_file_browser(state, f);
  ImGui::SetNextItemWidth(buttons);
  ImGui::InputText("##export", &f.export_path);
  ImGui::SameLine();
  if (ImGui::Button("Export")) state.status = state.export_html(f.export_path);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Write the shown result as the HTML report (as `archsim report --format html`)");
}

void draw_run_controls(AppState& state) {
  RunSettings& s = state.settings();
  if (ImGui::Checkbox("Quick runs", &s.quick)) state.edited();
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Interactive runs simulate at most %.0f s after a %.0f s warm-up (the scenario's own duration "
                      "when off)", s.quick_duration_s, s.quick_warmup_s);
  ImGui::SameLine();
  ImGui::BeginDisabled(!state.document().valid());
  if (ImGui::Button("Run now")) state.run_now();
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(!state.busy());
  if (ImGui::Button("Cancel")) state.cancel();
  ImGui::EndDisabled();
  if (state.busy()) {
    const double t = state.running_for_s();
    const float phase = static_cast<float>(std::fmod(ImGui::GetTime(), 1.0));
    const double expected = state.shown().wall_s;
    const float fraction = expected > 0 ? static_cast<float>(std::min(0.99, t / expected)) : phase;
    ImGui::ProgressBar(fraction, {-1, 0},
                       fmt::format("simulating... {:.1f} s{}", t,
                                   expected > 0 ? fmt::format(" (last run {:.1f} s)", expected) : "").c_str());
  } else if (state.debounce_pending()) {
    ImGui::TextColored(kMuted, "edit received; simulating shortly");
  }
}

void draw_param(AppState& state, const ParamSpec& spec) {
  ScenarioDocument& doc = state.document();
  const std::optional<double> current = doc.value(spec);
  ImGui::PushID(spec.pointer.c_str());
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.55f);
  bool changed = false;
  if (spec.kind == ParamKind::choice) {
    const int index = current ? static_cast<int>(*current) : -1;
    const char* preview = index >= 0 && index < static_cast<int>(spec.choices.size()) ? spec.choices[static_cast<size_t>(index)].c_str() : "?";
    if (ImGui::BeginCombo(spec.label.c_str(), preview)) {
      for (size_t i = 0; i < spec.choices.size(); ++i)
        if (ImGui::Selectable(spec.choices[i].c_str(), static_cast<int>(i) == index)) changed = doc.set_choice(spec, i);
      ImGui::EndCombo();
    }
  } else {
    double v = current.value_or(spec.min);
    double shown = v;
    double lo = spec.min, hi = spec.max;
    std::string format = "%.6g";
    if (spec.kind == ParamKind::duration) shown *= 1e3, lo *= 1e3, hi *= 1e3, format = "%.4g ms";
    if (spec.kind == ParamKind::size) format = "%.0f B";
    if (spec.kind == ParamKind::integer) format = "%.0f";
    if (!current) format = "not readable: drag to set";  // e.g. a string where a number belongs
    ImGuiSliderFlags flags = ImGuiSliderFlags_AlwaysClamp | (spec.log_scale ? ImGuiSliderFlags_Logarithmic : 0);
    if (!current) ImGui::PushStyleColor(ImGuiCol_FrameBg, ImVec4(1.0f, 0.8f, 0.8f, 1.0f));
    if (ImGui::SliderScalar(spec.label.c_str(), ImGuiDataType_Double, &shown, &lo, &hi, format.c_str(), flags)) {
      const double value = spec.kind == ParamKind::duration ? shown / 1e3 : shown;
      changed = doc.set_number(spec, value);
    }
    if (!current) ImGui::PopStyleColor();
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s\n%s", spec.help.c_str(), spec.pointer.c_str());
  ImGui::PopID();
  if (changed) state.edited();
}

void draw_params(AppState& state) {
  const std::vector<ParamSpec> params = state.document().params();  // a copy: edits rebuild the list
  std::string group;
  bool open = false;
  for (const ParamSpec& spec : params) {
    if (spec.group != group) {
      group = spec.group;
      open = ImGui::CollapsingHeader(group.c_str(), ImGuiTreeNodeFlags_DefaultOpen);
    }
    if (open) draw_param(state, spec);
  }
}

void draw_issues(const AppState& state) {
  const auto& issues = state.document().issues();
  if (issues.empty()) return;
  ImGui::PushStyleColor(ImGuiCol_Text, kFail);
  ImGui::TextWrapped("%zu problem%s in the scenario (not simulated until fixed):", issues.size(),
                     issues.size() == 1 ? "" : "s");
  ImGui::PopStyleColor();
  for (const ValidationIssue& issue : issues) {
    ImGui::Bullet();
    ImGui::TextColored(kFail, "%s", issue.path.empty() ? "(file)" : issue.path.c_str());
    ImGui::Indent();
    ImGui::TextWrapped("expected %s, found %s", issue.expected.c_str(), issue.found.c_str());
    ImGui::Unindent();
  }
}

void draw_raw_editor(AppState& state, ViewFields& f) {
  if (!ImGui::CollapsingHeader("Scenario JSON", state.document().valid() ? 0 : ImGuiTreeNodeFlags_DefaultOpen)) return;
  if (f.raw_text_revision != state.document().revision() && !ImGui::IsAnyItemActive()) {
    f.raw_text = state.document().text();
    f.raw_text_revision = state.document().revision();
  }
  ImGui::InputTextMultiline("##raw", &f.raw_text, {-1, 18 * ImGui::GetFontSize()});
  if (ImGui::Button("Apply JSON")) {
    state.document().set_text(f.raw_text);
    f.raw_text_revision = state.document().revision();
    state.edited();
  }
}

void draw_left(AppState& state, ViewFields& f) {
  ImGui::TextUnformatted("archsim-gui");
  ImGui::SameLine();
  ImGui::TextColored(kMuted, "%s", state.document().path().string().c_str());
  draw_files(state, f);
  ImGui::Separator();
  draw_run_controls(state);
  if (!state.status.empty()) ImGui::TextWrapped("%s", state.status.c_str());
  ImGui::Separator();
  draw_issues(state);
  draw_params(state);
  draw_raw_editor(state, f);
}

// --- right pane: results ------------------------------------------------------

void draw_result_banner(const AppState& state) {
  const ShownResult& shown = state.shown();
  if (!shown.error.empty()) ImGui::TextColored(kFail, "The last simulation failed: %s", shown.error.c_str());
  if (!shown.result) {
    ImGui::TextColored(kMuted, "%s",
                       state.busy()                  ? "Simulating the scenario..."
                       : !state.document().valid() ? "No result: the scenario has problems (listed on the left). "
                                                       "Fix them with the controls or the JSON editor to simulate."
                                                     : "No result yet.");
    return;
  }
  const Result& r = *shown.result;
  if (state.stale()) {
    ImGui::TextColored(kFail, "STALE: the scenario changed since this result (revision %llu, now %llu)%s",
                       static_cast<unsigned long long>(shown.revision),
                       static_cast<unsigned long long>(state.document().revision()),
                       state.busy() ? "; a new simulation is running" : "");
  }
  ImGui::Text("%s: %zu candidates, seed %llu, %s mode, simulated in %.1f s%s", r.scenario_name.c_str(),
              r.candidates.size(), static_cast<unsigned long long>(r.seed), r.mode.c_str(), shown.wall_s,
              shown.quick ? " (quick run: shortened simulated duration, wider confidence intervals)" : "");
  if (!r.recommended.empty()) ImGui::TextColored(kPass, "Recommended: %s", r.recommended.c_str());
  else ImGui::TextColored(kFail, "No candidate meets every requirement");
  for (const auto& c : r.candidates)
    if (c.failed())
      ImGui::TextColored(kFail, "NOT SIMULATED: %s: %s failed: %s", c.name.c_str(), c.error->stage.c_str(),
                         c.error->message.c_str());
}

void draw_verdict_table(const Result& r) {
  std::vector<std::string> requirements;
  for (const auto& c : r.candidates)
    for (const auto& v : c.verdicts)
      if (std::find(requirements.begin(), requirements.end(), v.requirement) == requirements.end())
        requirements.push_back(v.requirement);
  const int columns = 1 + static_cast<int>(r.candidates.size());
  const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg;
  if (!ImGui::BeginTable("verdicts", columns, flags)) return;
  ImGui::TableSetupColumn("Requirement", ImGuiTableColumnFlags_WidthStretch, 1.0f);
  for (const auto& c : r.candidates) ImGui::TableSetupColumn(c.name.c_str(), ImGuiTableColumnFlags_WidthStretch, 2.5f);
  ImGui::TableHeadersRow();
  for (const std::string& req : requirements) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(req.c_str());
    for (const auto& c : r.candidates) {
      ImGui::TableNextColumn();
      auto it = std::find_if(c.verdicts.begin(), c.verdicts.end(), [&](const Verdict& v) { return v.requirement == req; });
      if (it == c.verdicts.end()) {
        ImGui::TextColored(kMuted, "not judged");
        continue;
      }
      ImGui::TextColored(it->pass ? kPass : kFail, "%s", it->pass ? "PASS" : "FAIL");
      ImGui::SameLine();
      if (it->unit.empty()) {  // a yes/no requirement: its reason, e.g. "(acks=all, min.insync.replicas=2)"
        const size_t open = it->text.find('(');
        ImGui::TextUnformatted(open == std::string::npos ? it->text.c_str() : it->text.c_str() + open);
      } else {
        ImGui::Text("%s vs %s, %s", value_text(*it, it->value).c_str(), value_text(*it, it->target).c_str(),
                    margin_text(*it).c_str());
      }
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", it->text.c_str());
    }
  }
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  ImGui::TextUnformatted("overall");
  for (const auto& c : r.candidates) {
    ImGui::TableNextColumn();
    if (c.failed()) {
      ImGui::TextColored(kFail, "NOT SIMULATED");
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s failed: %s", c.error->stage.c_str(), c.error->message.c_str());
      continue;
    }
    ImGui::TextColored(c.meets_all ? kPass : kFail, "%s", c.meets_all ? "MEETS ALL" : "DOES NOT MEET ALL");
    if (c.overloaded) {
      ImGui::SameLine();
      ImGui::TextColored(kFail, "OVERLOADED");
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", c.overload_reason.c_str());
    }
  }
  ImGui::EndTable();
}

void draw_cdf(const Result& r, ImVec2 size) {
  double lo = std::numeric_limits<double>::infinity(), hi = 0;
  for (const auto& c : r.candidates)
    for (const auto& [x, f] : c.end_to_end.cdf)
      if (x > 0 && std::isfinite(x)) lo = std::min(lo, x), hi = std::max(hi, x);
  const auto p95 = target_of(r, "p95 latency"), p99 = target_of(r, "p99 latency");
  for (const auto& t : {p95, p99})
    if (t && *t > 0) lo = std::min(lo, *t), hi = std::max(hi, *t);
  const auto [lo_ms, hi_ms] = decades(lo * 1e3, hi * 1e3);
  Plot plot("cdf", "End-to-end latency CDF per candidate", size,
            {"end-to-end latency (ms, log scale)", lo_ms, hi_ms, true, {}, {}},
            {"events at or below (%)", 0, 100, false, {}, {}});
  plot.horizontal_rule(99, IM_COL32(120, 120, 120, 255), "99%");
  if (p95) plot.vertical_rule(*p95 * 1e3, kTarget, "p95 target " + latency(*p95));
  if (p99) plot.vertical_rule(*p99 * 1e3, kTarget, "p99 target " + latency(*p99));
  for (size_t i = 0; i < r.candidates.size(); ++i) {
    const auto& c = r.candidates[i];
    std::vector<std::pair<double, double>> pts;
    for (const auto& [x, f] : c.end_to_end.cdf) pts.emplace_back(x * 1e3, f * 100);
    plot.polyline(pts, series_colour(i), 2.5f, c.name,
                  [](double x, double y) { return fmt::format("{:.3g}% of events within {}", y, latency(x / 1e3)); });
    plot.legend(fmt::format("{} (p99 {})", c.name, latency(c.end_to_end.p99_s.value)), series_colour(i));
  }
  if (p95 || p99) plot.legend("latency target", kTarget, true);
  plot.finish();
}

void draw_cost_bars(const Result& r, ImVec2 size) {
  std::vector<std::string> components, names;
  double top = 0;
  for (const auto& c : r.candidates) {
    names.push_back(c.name);
    double sum = 0;
    for (const auto& line : c.cost) {
      if (std::find(components.begin(), components.end(), line.component) == components.end())
        components.push_back(line.component);
      sum += std::max(0.0, line.usd_month);
    }
    top = std::max({top, sum, c.cost_usd_month});
  }
  const auto budget = target_of(r, "monthly budget");
  if (budget) top = std::max(top, *budget);
  Plot plot("cost", "Monthly cost by component", size, {"candidate", 0, 1, false, {}, names},
            {"USD per month", 0, nice_ceiling(top * 1.1), false, [](double v) { return usd(v); }, {}});
  for (size_t i = 0; i < r.candidates.size(); ++i) {
    const auto& c = r.candidates[i];
    const auto [left, w] = plot.x_band(i);
    const float bw = std::min(120.0f * plot.scale(), w * 0.5f), x = left + (w - bw) / 2;
    double base = 0;
    for (size_t k = 0; k < components.size(); ++k) {
      double v = 0;
      for (const auto& line : c.cost)
        if (line.component == components[k]) v += std::max(0.0, line.usd_month);
      if (v <= 0) continue;
      plot.rect_px({x, plot.y_px(base + v)}, {x + bw, plot.y_px(base)}, series_colour(k + 2),
                   fmt::format("{} / {}: {}/month", c.name, components[k], usd(v)));
      base += v;
    }
    const std::string total = c.failed() ? std::string("not simulated") : usd(c.cost_usd_month);
    plot.text_px({x + bw / 2 - ImGui::CalcTextSize(total.c_str()).x / 2, plot.y_px(base) - ImGui::GetFontSize() - 2},
                 IM_COL32(30, 30, 30, 255), total);
  }
  if (budget) plot.horizontal_rule(*budget, kTarget, "budget " + usd(*budget) + "/month");
  for (size_t k = 0; k < components.size(); ++k) plot.legend(components[k], series_colour(k + 2));
  plot.finish();
}

void draw_scatter(const Result& r, ImVec2 size) {
  const auto p99 = target_of(r, "p99 latency"), budget = target_of(r, "monthly budget");
  std::vector<std::pair<double, double>> points;
  double lo = std::numeric_limits<double>::infinity(), hi = 0, top = 0;
  for (const auto& c : r.candidates) {
    const bool has = c.end_to_end.count > 0 && std::isfinite(c.end_to_end.p99_s.value);
    const double ms = has ? c.end_to_end.p99_s.value * 1e3 : NAN;
    points.emplace_back(ms, c.cost_usd_month);
    if (ms > 0) lo = std::min(lo, ms), hi = std::max(hi, ms);
    if (std::isfinite(c.cost_usd_month)) top = std::max(top, c.cost_usd_month);
  }
  if (p99) lo = std::min(lo, *p99 * 1e3), hi = std::max(hi, *p99 * 1e3);
  if (budget) top = std::max(top, *budget);
  const auto [lo_ms, hi_ms] = decades(lo, hi);
  const double top_usd = nice_ceiling(top * 1.15);
  Plot plot("scatter", "Cost vs p99 latency, Pareto front", size, {"p99 latency (ms, log scale)", lo_ms, hi_ms, true, {}, {}},
            {"USD per month", 0, top_usd, false, [](double v) { return usd(v); }, {}});
  if (p99 || budget)
    plot.region(lo_ms, p99 ? *p99 * 1e3 : hi_ms, 0, budget ? *budget : top_usd, IM_COL32(0, 158, 115, 40));
  if (p99) plot.vertical_rule(*p99 * 1e3, kTarget, "p99 target");
  if (budget) plot.horizontal_rule(*budget, kTarget, "budget");
  const std::vector<bool> front = html::pareto_front(points);
  std::vector<std::pair<double, double>> fp;
  for (size_t i = 0; i < points.size(); ++i)
    if (front[i]) fp.push_back(points[i]);
  std::sort(fp.begin(), fp.end());
  if (fp.size() > 1) {
    std::vector<std::pair<double, double>> steps;
    for (size_t i = 0; i < fp.size(); ++i) {
      if (i > 0) steps.emplace_back(fp[i].first, fp[i - 1].second);
      steps.push_back(fp[i]);
    }
    plot.polyline(steps, IM_COL32(60, 60, 60, 255), 1.5f, "Pareto front",
                  [](double x, double y) { return fmt::format("p99 {}, {}/month", latency(x / 1e3), usd(y)); });
    plot.legend("Pareto front", IM_COL32(60, 60, 60, 255));
  }
  for (size_t i = 0; i < points.size(); ++i) {
    if (!std::isfinite(points[i].first)) continue;
    const auto& c = r.candidates[i];
    plot.marker(points[i].first, points[i].second, static_cast<int>(i), series_colour(i),
                fmt::format("{}: p99 {}, {}/month{}{}", c.name, latency(points[i].first / 1e3), usd(points[i].second),
                            front[i] ? ", on the Pareto front" : "", c.meets_all ? ", meets all" : ", fails a requirement"));
    plot.legend(c.name, series_colour(i));
  }
  plot.legend("feasible (p99 target and budget)", IM_COL32(0, 158, 115, 90));
  plot.finish();
}

std::string estimate(const Estimate& e) {
  const double half = std::max(e.hi - e.value, e.value - e.lo);
  return half > 0 ? latency(e.value) + " \u00b1" + latency(half) : latency(e.value);
}

/// Key figures per candidate, as text (the numbers behind the charts).
void draw_key_figures(const Result& r, ImVec2 size) {
  ImGui::BeginChild("figures", size, true);
  ImGui::TextUnformatted("Key figures (95% confidence half-widths)");
  const int columns = 1 + static_cast<int>(r.candidates.size());
  if (ImGui::BeginTable("figures_table", columns, ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg)) {
    ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthStretch, 1.3f);
    for (const auto& c : r.candidates) ImGui::TableSetupColumn(c.name.c_str(), ImGuiTableColumnFlags_WidthStretch, 1.6f);
    ImGui::TableHeadersRow();
    auto row = [&](const char* name, auto cell) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(name);
      for (const auto& c : r.candidates) {
        ImGui::TableNextColumn();
        if (c.failed())
          ImGui::TextColored(kMuted, "-");  // no figures: never a zero
        else
          ImGui::TextUnformatted(cell(c).c_str());
      }
    };
    row("p50", [](const CandidateResult& c) { return estimate(c.end_to_end.p50_s); });
    row("p95", [](const CandidateResult& c) { return estimate(c.end_to_end.p95_s); });
    row("p99", [](const CandidateResult& c) { return estimate(c.end_to_end.p99_s); });
    row("p99.9", [](const CandidateResult& c) { return estimate(c.end_to_end.p999_s); });
    row("max", [](const CandidateResult& c) { return latency(c.end_to_end.max_s); });
    row("delivered / offered", [](const CandidateResult& c) {
      return fmt::format("{:.0f} / {:.0f} ev/s", c.achieved_eps, c.offered_eps);
    });
    row("max consumer lag", [](const CandidateResult& c) { return fmt::format("{:.0f} events", c.max_consumer_lag_events); });
    row("busiest resource", [](const CandidateResult& c) {
      const Utilisation* top = nullptr;
      for (const auto& u : c.utilisation)
        if (top == nullptr || u.peak > top->peak) top = &u;
      return top == nullptr ? std::string("-") : fmt::format("{} {:.0f}%", top->resource, top->peak * 100);
    });
    row("cost", [](const CandidateResult& c) { return usd(c.cost_usd_month) + "/month"; });
    row("simulated", [](const CandidateResult& c) {
      return fmt::format("{:g} s after {:g} s warm-up", c.simulated_s, c.warmup_s);
    });
    ImGui::EndTable();
  }
  ImGui::EndChild();
}


// --- explorer ---------------------------------------------------------------------

std::string param_value_text(const ParamSpec& spec, double v) {
  switch (spec.kind) {
    case ParamKind::duration: return format_duration(v);
    case ParamKind::size: return format_bytes(v);
    case ParamKind::integer: return fmt::format("{:.0f}", v);
    default: return fmt::format("{:.4g}", v);
  }
}

/// A sensible default range around the current value: x/4 .. x*4 on log sliders, the slider range otherwise.
void default_range(const AppState& state, const ParamSpec& spec, double& lo, double& hi) {
  const double v = state.document().value(spec).value_or(spec.min);
  if (spec.log_scale && v > 0) {
    lo = std::clamp(v / 4, spec.min, spec.max);
    hi = std::clamp(v * 4, spec.min, spec.max);
  } else {
    lo = spec.min;
    hi = spec.max;
  }
}

bool param_combo(const char* label, const std::vector<ParamSpec>& params, int& index) {
  bool changed = false;
  const std::string preview = index >= 0 && index < static_cast<int>(params.size())
                                  ? params[static_cast<size_t>(index)].group + ": " + params[static_cast<size_t>(index)].label
                                  : "?";
  if (ImGui::BeginCombo(label, preview.c_str())) {
    for (size_t i = 0; i < params.size(); ++i) {
      if (params[i].kind == ParamKind::choice) continue;
      const std::string name = params[i].group + ": " + params[i].label;
      if (ImGui::Selectable(name.c_str(), static_cast<int>(i) == index)) index = static_cast<int>(i), changed = true;
    }
    ImGui::EndCombo();
  }
  return changed;
}

void range_fields(const char* id, const ParamSpec& spec, double& lo, double& hi, int& steps) {
  ImGui::PushID(id);
  double scale = spec.kind == ParamKind::duration ? 1e3 : 1;  // durations edited in ms
  double l = lo * scale, h = hi * scale, smin = spec.min * scale, smax = spec.max * scale;
  const char* format = spec.kind == ParamKind::duration ? "%.4g ms" : "%.6g";
  const ImGuiSliderFlags flags = ImGuiSliderFlags_AlwaysClamp | (spec.log_scale ? ImGuiSliderFlags_Logarithmic : 0);
  ImGui::SetNextItemWidth(9 * ImGui::GetFontSize());
  if (ImGui::DragScalar("from", ImGuiDataType_Double, &l, 0.01f * static_cast<float>(h - l + 1), &smin, &smax, format, flags)) lo = l / scale;
  ImGui::SameLine();
  ImGui::SetNextItemWidth(9 * ImGui::GetFontSize());
  if (ImGui::DragScalar("to", ImGuiDataType_Double, &h, 0.01f * static_cast<float>(h - l + 1), &smin, &smax, format, flags)) hi = h / scale;
  ImGui::SameLine();
  ImGui::SetNextItemWidth(6 * ImGui::GetFontSize());
  ImGui::SliderInt("steps", &steps, 2, 8);
  ImGui::PopID();
}

ImU32 heat_colour(double t) {  // viridis-like, t in [0, 1]
  static constexpr float stops[][3] = {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};
  t = std::clamp(t, 0.0, 1.0) * 4;
  const int i = std::min(3, static_cast<int>(t));
  const float f = static_cast<float>(t - i);
  auto mix = [&](int k) { return static_cast<int>(stops[i][k] + (stops[i + 1][k] - stops[i][k]) * f); };
  return IM_COL32(mix(0), mix(1), mix(2), 255);
}

void draw_heatmap(AppState& state, const ExplorerFields& f) {
  const Explorer& ex = state.explorer();
  const std::vector<ExplorerCell> cells = ex.cells();
  if (cells.empty()) {
    ImGui::TextColored(kMuted, "Choose two parameters and a candidate, then Start.");
    return;
  }
  const size_t nx = ex.nx(), ny = ex.ny();
  auto metric = [&](const ExplorerCell& c) { return f.metric == 0 ? c.p99_s : c.cost_usd_month; };
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto& c : cells)
    if (c.simulated && std::isfinite(metric(c)) && metric(c) > 0) lo = std::min(lo, metric(c)), hi = std::max(hi, metric(c));
  auto norm = [&](double v) {
    if (!(hi > lo)) return 0.5;
    return f.metric == 0 ? std::log(v / lo) / std::log(hi / lo) : (v - lo) / (hi - lo);
  };
  const float fs = ImGui::GetFontSize();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float left = origin.x + 7 * fs, top = origin.y + 1.5f * fs;
  const float w = std::max(200.0f, avail.x - 8 * fs), h = std::max(160.0f, avail.y - 5 * fs);
  const float cw = w / static_cast<float>(nx), ch = h / static_cast<float>(ny);
  ImGui::InvisibleButton("heatmap", {avail.x, h + 4.5f * fs});
  const bool hovered = ImGui::IsItemHovered();
  const bool clicked = ImGui::IsItemClicked();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddText(origin, IM_COL32(30, 30, 30, 255),
                fmt::format("{} of {} (bright = higher); thick lines: feasibility boundary; click a cell to load it",
                            f.metric == 0 ? "p99 latency" : "monthly cost", ex.candidate()).c_str());
  auto rect_of = [&](size_t i, size_t j) {
    const ImVec2 a{left + cw * static_cast<float>(i), top + ch * static_cast<float>(ny - 1 - j)};
    return std::pair<ImVec2, ImVec2>{a, {a.x + cw, a.y + ch}};
  };
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  for (size_t j = 0; j < ny; ++j)
    for (size_t i = 0; i < nx; ++i) {
      const ExplorerCell& c = cells[j * nx + i];
      const auto [a, b] = rect_of(i, j);
      const ImU32 fill = !c.done ? IM_COL32(235, 235, 235, 255) : !c.simulated ? IM_COL32(200, 200, 200, 255) : heat_colour(norm(metric(c)));
      draw->AddRectFilled(a, b, fill);
      draw->AddRect(a, b, IM_COL32(255, 255, 255, 255));
      std::string text = !c.done ? "..." : !c.simulated ? "invalid" : f.metric == 0 ? latency(c.p99_s) : usd(c.cost_usd_month);
      if (c.done && c.simulated) text += c.meets_all ? "\nmeets all" : "\nfails: " + c.failed;
      const ImVec2 ts = ImGui::CalcTextSize(text.c_str());
      const bool dark = c.done && c.simulated && norm(metric(c)) < 0.6;
      draw->AddText({(a.x + b.x - ts.x) / 2, (a.y + b.y - ts.y) / 2}, dark ? IM_COL32(255, 255, 255, 255) : IM_COL32(20, 20, 20, 255), text.c_str());
      const bool inside = mouse.x >= a.x && mouse.x < b.x && mouse.y >= a.y && mouse.y < b.y;
      if (hovered && inside) {
        draw->AddRect(a, b, IM_COL32(0, 0, 0, 255), 0, 0, 2);
        ImGui::SetTooltip("%s = %s\n%s = %s\n%s", ex.x().spec.label.c_str(), param_value_text(ex.x().spec, c.x).c_str(),
                          ex.y().spec.label.c_str(), param_value_text(ex.y().spec, c.y).c_str(),
                          !c.done ? "not simulated yet"
                          : !c.simulated ? c.error.c_str()
                                         : fmt::format("p99 {}, {}/month, {}", latency(c.p99_s), usd(c.cost_usd_month),
                                                       c.meets_all ? "meets every requirement" : "fails " + c.failed).c_str());
        if (clicked) state.load_design(ex.x(), c.x, ex.y(), c.y);
      }
    }
  // feasibility boundary: between neighbours where meets_all differs
  const ImU32 edge = IM_COL32(0, 0, 0, 255);
  auto feasible = [&](size_t i, size_t j) { const auto& c = cells[j * nx + i]; return c.done && c.simulated && c.meets_all; };
  for (size_t j = 0; j < ny; ++j)
    for (size_t i = 0; i < nx; ++i) {
      const auto [a, b] = rect_of(i, j);
      if (i + 1 < nx && feasible(i, j) != feasible(i + 1, j)) draw->AddLine({b.x, a.y}, {b.x, b.y}, edge, 3.5f);
      if (j + 1 < ny && feasible(i, j) != feasible(i, j + 1)) draw->AddLine({a.x, a.y}, {b.x, a.y}, edge, 3.5f);
    }
  // axis values
  for (size_t i = 0; i < nx; ++i) {
    const auto [a, b] = rect_of(i, 0);
    const std::string t = param_value_text(ex.x().spec, cells[i].x);
    draw->AddText({(a.x + b.x - ImGui::CalcTextSize(t.c_str()).x) / 2, b.y + 4}, IM_COL32(30, 30, 30, 255), t.c_str());
  }
  for (size_t j = 0; j < ny; ++j) {
    const auto [a, b] = rect_of(0, j);
    const std::string t = param_value_text(ex.y().spec, cells[j * nx].y);
    draw->AddText({a.x - ImGui::CalcTextSize(t.c_str()).x - 6, (a.y + b.y - fs) / 2}, IM_COL32(30, 30, 30, 255), t.c_str());
  }
  const std::string xl = ex.x().spec.group + ": " + ex.x().spec.label, yl = ex.y().spec.group + ": " + ex.y().spec.label;
  draw->AddText({left + w / 2 - ImGui::CalcTextSize(xl.c_str()).x / 2, top + h + 1.4f * fs}, IM_COL32(30, 30, 30, 255), xl.c_str());
  draw->AddText({origin.x, top + h + 2.6f * fs}, IM_COL32(90, 90, 90, 255), ("rows: " + yl).c_str());
}

void draw_explorer(AppState& state, ExplorerFields& f) {
  const std::vector<ParamSpec>& params = state.document().params();
  if (!state.document().valid() || params.empty() || !state.document().scenario()) {
    ImGui::TextColored(kMuted, "The explorer needs a valid scenario.");
    return;
  }
  const Scenario& sc = *state.document().scenario();
  auto pick = [&](const std::string& pointer, int fallback) {
    const auto i = find_param(params, pointer);
    return i ? static_cast<int>(*i) : fallback;
  };
  if (f.x < 0 || f.x >= static_cast<int>(params.size())) {
    f.x = pick("/workload/rate/mean_eps", 0);
    default_range(state, params[static_cast<size_t>(f.x)], f.x_lo, f.x_hi);
  }
  if (f.y < 0 || f.y >= static_cast<int>(params.size())) {
    f.y = pick("/candidates/0/producer/linger", 1);
    default_range(state, params[static_cast<size_t>(f.y)], f.y_lo, f.y_hi);
  }
  Explorer& ex = state.explorer();
  ImGui::BeginDisabled(ex.running());
  ImGui::SetNextItemWidth(22 * ImGui::GetFontSize());
  if (param_combo("x parameter", params, f.x)) default_range(state, params[static_cast<size_t>(f.x)], f.x_lo, f.x_hi);
  range_fields("x", params[static_cast<size_t>(f.x)], f.x_lo, f.x_hi, f.x_steps);
  ImGui::SetNextItemWidth(22 * ImGui::GetFontSize());
  if (param_combo("y parameter", params, f.y)) default_range(state, params[static_cast<size_t>(f.y)], f.y_lo, f.y_hi);
  range_fields("y", params[static_cast<size_t>(f.y)], f.y_lo, f.y_hi, f.y_steps);
  f.candidate = std::clamp(f.candidate, 0, static_cast<int>(sc.candidates.size()) - 1);
  ImGui::SetNextItemWidth(14 * ImGui::GetFontSize());
  if (ImGui::BeginCombo("candidate", sc.candidates[static_cast<size_t>(f.candidate)].name.c_str())) {
    for (size_t i = 0; i < sc.candidates.size(); ++i)
      if (ImGui::Selectable(sc.candidates[i].name.c_str(), static_cast<int>(i) == f.candidate)) f.candidate = static_cast<int>(i);
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  if (ImGui::Button("Start sweep"))
    ex.start(state.document(), {params[static_cast<size_t>(f.x)], f.x_lo, f.x_hi, f.x_steps},
             {params[static_cast<size_t>(f.y)], f.y_lo, f.y_hi, f.y_steps}, sc.candidates[static_cast<size_t>(f.candidate)].name);
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(!ex.running());
  if (ImGui::Button("Stop")) ex.cancel();
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::RadioButton("p99", &f.metric, 0);
  ImGui::SameLine();
  ImGui::RadioButton("cost", &f.metric, 1);
  const size_t total = ex.nx() * ex.ny();
  if (total > 0) {
    const size_t done = ex.done_count();
    ImGui::ProgressBar(static_cast<float>(done) / static_cast<float>(total), {-1, 0},
                       fmt::format("{} of {} designs simulated ({}; each run 2 s simulated after 0.5 s warm-up)", done, total,
                                   ex.running() ? "running" : "stopped or done").c_str());
  }
  draw_heatmap(state, f);
}

// --- check ------------------------------------------------------------------------

std::string relative_error(double predicted, double measured) {
  if (!(measured > 0) || !std::isfinite(predicted)) return "n/a";
  return fmt::format("{:+.1f}%", (predicted - measured) / measured * 100);
}

void draw_check(AppState& state, ViewFields& f) {
  if (!state.check_available()) {
    ImGui::TextColored(kMuted, "The check is not available in this build.");
    return;
  }
  ImGui::TextWrapped("Runs the candidate's Kappa path for real (open-loop producer, processor, sink) on librdkafka's "
                     "embedded mock Kafka cluster on this machine, at a rate it can carry, then simulates it at the same "
                     "rate: predicted against measured (as `archsim check`). The edited scenario is checked. The measurement "
                     "shares this machine with the GUI and any simulation running, which can add latency.");
  if (!state.document().valid() || !state.document().scenario()) {
    ImGui::TextColored(kMuted, "The check needs a valid scenario.");
  } else {
    const Scenario& sc = *state.document().scenario();
    f.check_candidate = std::clamp(f.check_candidate, 0, static_cast<int>(sc.candidates.size()) - 1);
    ImGui::BeginDisabled(state.check_running());
    ImGui::SetNextItemWidth(14 * ImGui::GetFontSize());
    if (ImGui::BeginCombo("candidate##check", sc.candidates[static_cast<size_t>(f.check_candidate)].name.c_str())) {
      for (size_t i = 0; i < sc.candidates.size(); ++i) {
        const std::string label = sc.candidates[i].name + (sc.candidates[i].kind == "kappa" ? "" : " (" + sc.candidates[i].kind + ": not checkable)");
        if (ImGui::Selectable(label.c_str(), static_cast<int>(i) == f.check_candidate)) f.check_candidate = static_cast<int>(i);
      }
      ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(5 * ImGui::GetFontSize());
    ImGui::InputText("measured", &f.check_duration);
    ImGui::SameLine();
    if (ImGui::Button("Run check")) state.start_check(sc.candidates[static_cast<size_t>(f.check_candidate)].name, f.check_duration);
    ImGui::EndDisabled();
  }
  if (state.check_running())
    ImGui::ProgressBar(static_cast<float>(std::fmod(ImGui::GetTime(), 1.0)), {-1, 0}, "checking on the embedded broker...");
  const auto& last = state.last_check();
  if (!last) return;
  ImGui::Separator();
  ImGui::TextColored(last->exit_code == 0 ? kPass : kFail, "check exit code %d", last->exit_code);
  if (last->result && last->result->candidates.size() >= 2) {
    const CandidateResult& p = last->result->candidates[0];
    const CandidateResult& m = last->result->candidates[1];
    if (ImGui::BeginTable("check_table", 4, ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg)) {
      for (const char* h : {"metric", "predicted", "measured", "relative error"}) ImGui::TableSetupColumn(h);
      ImGui::TableHeadersRow();
      auto row = [](const char* name, const std::string& pv, const std::string& mv, const std::string& err) {
        ImGui::TableNextRow();
        for (const std::string& cell : {std::string(name), pv, mv, err}) {
          ImGui::TableNextColumn();
          ImGui::TextUnformatted(cell.c_str());
        }
      };
      row("throughput", fmt::format("{:.0f} ev/s", p.achieved_eps), fmt::format("{:.0f} ev/s", m.achieved_eps),
          relative_error(p.achieved_eps, m.achieved_eps));
      row("p50 end-to-end", latency(p.end_to_end.p50_s.value), latency(m.end_to_end.p50_s.value),
          relative_error(p.end_to_end.p50_s.value, m.end_to_end.p50_s.value));
      row("p99 end-to-end", latency(p.end_to_end.p99_s.value), latency(m.end_to_end.p99_s.value),
          relative_error(p.end_to_end.p99_s.value, m.end_to_end.p99_s.value));
      row("p99.9 end-to-end", latency(p.end_to_end.p999_s.value), latency(m.end_to_end.p999_s.value),
          relative_error(p.end_to_end.p999_s.value, m.end_to_end.p999_s.value));
      ImGui::EndTable();
    }
  }
  ImGuiIO& io = ImGui::GetIO();
  if (io.Fonts->Fonts.Size > 1) ImGui::PushFont(io.Fonts->Fonts[1]);
  ImGui::BeginChild("check_output", {0, 0}, true, ImGuiWindowFlags_HorizontalScrollbar);
  ImGui::TextUnformatted(last->output.c_str());
  ImGui::TextColored(kMuted, "%s", last->log.c_str());
  ImGui::EndChild();
  if (io.Fonts->Fonts.Size > 1) ImGui::PopFont();
}

/// A candidate the Over time tab can show, with the Result it came from.
struct TimelineChoice {
  const CandidateResult* candidate = nullptr;
  const Result* result = nullptr;
  std::string label;
};

/// One failure episode on its own time axis from the failure (seconds,
/// minutes or hours, whichever keeps the labels short): the shaded down and
/// late intervals and the modelled latency of the affected share; every
/// episode panel shares the latency scale `decades_ms`.
void draw_episode_panel(const FailureEpisodeSummary& e, size_t index, std::optional<double> p99_target,
                        std::pair<double, double> decades_ms, ImVec2 size) {
  const double span_s = episode_span_s(e);
  const TimeUnit unit = time_unit_for(span_s);
  const std::string id = fmt::format("episode{}", index);
  // short enough for a third of the pane; the key below the row names the colours
  const std::string title =
      fmt::format("{}: down {}, late {}", e.failure, latency(e.trace_down_s), latency(e.trace_late_s));
  const std::string time_label = fmt::format("time since the failure ({})", unit.name);
  const auto [lo_ms, hi_ms] = decades_ms;
  Plot plot(id.c_str(), title.c_str(), size, {time_label, 0, span_s * 1.05 / unit.seconds, false, {}, {}},
            {"latency (ms, log scale)", lo_ms, hi_ms, true, {}, {}});
  const ImU32 down = IM_COL32(213, 81, 38, 70), late = IM_COL32(230, 159, 0, 60), stroke = IM_COL32(122, 46, 14, 255);
  const double down_end = e.trace_down_s / unit.seconds, late_end = (e.trace_down_s + e.trace_late_s) / unit.seconds;
  plot.region(0, down_end, lo_ms, hi_ms, down);
  if (e.trace_late_s > 0) plot.region(down_end, late_end, lo_ms, hi_ms, late);
  std::vector<std::pair<double, double>> pts;
  for (const auto& [t, l] : e.trace) pts.emplace_back(t / unit.seconds, l * 1e3);
  const std::string name = e.failure, unit_name = unit.name;
  plot.polyline(pts, stroke, 2.0f, e.failure + " (modelled)", [name, unit_name](double x, double y) {
    return fmt::format("{} (modelled), {:.3g} {} after the failure: latency {}", name, x, unit_name, latency(y / 1e3));
  });
  if (p99_target) plot.horizontal_rule(*p99_target * 1e3, kTarget, "p99 target " + latency(*p99_target));
  plot.finish();
}

/// Latency over time of one candidate: the windows' p50, p99 and maximum
/// (simulated, or measured by the last check with its injected faults shaded
/// on the same clock) and the p99 target; below it, delivered events per
/// second; then each modelled failure episode in a panel of its own (as the
/// HTML report draws them), so a 6-hour repair does not squash a 10-second run.
void draw_timeline(const std::vector<TimelineChoice>& choices, int& candidate, ImVec2 size) {
  if (choices.empty()) return;
  candidate = std::clamp(candidate, 0, static_cast<int>(choices.size()) - 1);
  ImGui::SetNextItemWidth(22 * ImGui::GetFontSize());
  if (ImGui::BeginCombo("candidate##timeline", choices[static_cast<size_t>(candidate)].label.c_str())) {
    for (size_t i = 0; i < choices.size(); ++i)
      if (ImGui::Selectable(choices[i].label.c_str(), static_cast<int>(i) == candidate)) candidate = static_cast<int>(i);
    ImGui::EndCombo();
  }
  const CandidateResult& c = *choices[static_cast<size_t>(candidate)].candidate;
  const Result& r = *choices[static_cast<size_t>(candidate)].result;
  const LatencyTimeline& tl = c.timeline;
  if (c.failed()) {
    ImGui::TextColored(kFail, "NOT SIMULATED: %s failed: %s", c.error->stage.c_str(), c.error->message.c_str());
    return;
  }
  if (tl.points.empty()) {
    ImGui::TextColored(kMuted, "This Result has no latency timeline (written before schema version 3).");
    return;
  }
  const bool measured = tl.source == "measured";
  const char* how = measured ? "measured" : "simulated";
  ImGui::TextColored(kMuted, "%s; windows of %s", tl.basis.c_str(), latency(tl.window_s).c_str());
  double lo = std::numeric_limits<double>::infinity(), hi = 0, t_end = tl.points.back().t_s + tl.window_s, top_eps = 0;
  for (const auto& p : tl.points) {
    top_eps = std::max(top_eps, p.delivered_eps);
    if (p.count == 0) continue;
    if (p.p50_s > 0) lo = std::min(lo, p.p50_s);
    hi = std::max(hi, p.max_s);
  }
  for (const auto& f : c.faults) t_end = std::max(t_end, f.end_s);
  const auto p99 = target_of(r, "p99 latency");
  if (p99) lo = std::min(lo, *p99), hi = std::max(hi, *p99);
  const auto [lo_ms, hi_ms] = decades(lo * 1e3, hi * 1e3);

  // Heights: the run's latency, its rate, then rows of up to 3 episode panels.
  const auto episodes = traced_episodes(c);
  const size_t per_row = std::min<size_t>(3, episodes.size());
  const size_t episode_rows = per_row == 0 ? 0 : (episodes.size() + per_row - 1) / per_row;
  // What is left below the lines above, less the text lines drawn after the plots.
  const float gap = ImGui::GetStyle().ItemSpacing.y, font = ImGui::GetFontSize();
  const size_t text_lines_after = c.faults.size() + (episodes.empty() ? 0 : 2);
  const float avail_y = ImGui::GetContentRegionAvail().y - static_cast<float>(text_lines_after) *
                                                              ImGui::GetTextLineHeightWithSpacing();
  const float episode_h = episode_rows == 0 ? 0 : std::max(12 * font, avail_y * 0.3f);
  const float run_h = std::max(16 * font, avail_y - static_cast<float>(episode_rows) * (episode_h + gap));
  const float latency_h = std::max(10 * font, run_h * 0.68f);
  const float rate_h = std::max(6 * font, run_h - latency_h - gap);

  const char* time_axis = measured ? "time since the first intended send (s)" : "time since the measured window's start (s)";
  Plot plot("timeline", measured ? "End-to-end latency over time (measured; faults injected)"
                                 : "End-to-end latency over time (simulated)",
            {size.x, latency_h}, {time_axis, 0, t_end, false, {}, {}},
            {"end-to-end latency (ms, log scale)", lo_ms, hi_ms > lo_ms ? hi_ms : lo_ms * 10, true, {}, {}});
  const ImU32 fault = IM_COL32(204, 121, 167, 80);
  for (const auto& f : c.faults) {
    // an instantaneous fault (a restart) is drawn a hair wide so it shows
    const double end = f.end_s > f.start_s ? f.end_s : f.start_s + t_end / 400;
    plot.region(f.start_s, end, lo_ms, hi_ms, fault);
  }
  auto series = [&](double TimelinePoint::*field) {
    std::vector<std::pair<double, double>> pts;
    for (const auto& p : tl.points)
      if (p.count > 0) pts.emplace_back(p.t_s + tl.window_s / 2, p.*field * 1e3);
    return pts;
  };
  const ImU32 colour = series_colour(static_cast<size_t>(candidate));
  const auto describe = [](const char* what) {
    return [what](double x, double y) { return fmt::format("{} at {:.2f} s: {}", what, x, latency(y / 1e3)); };
  };
  plot.polyline(series(&TimelinePoint::max_s), IM_COL32(140, 140, 140, 255), 1.0f, "maximum", describe("maximum"));
  plot.polyline(series(&TimelinePoint::p99_s), colour, 2.5f, "p99", describe("p99"));
  plot.polyline(series(&TimelinePoint::p50_s), series_colour(static_cast<size_t>(candidate), 150), 1.5f, "p50", describe("p50"));
  if (p99) plot.horizontal_rule(*p99 * 1e3, kTarget, "p99 target " + latency(*p99));
  plot.legend(fmt::format("p99 ({})", how), colour);
  plot.legend(fmt::format("p50 ({})", how), series_colour(static_cast<size_t>(candidate), 150));
  plot.legend(fmt::format("maximum ({})", how), IM_COL32(140, 140, 140, 255));
  if (!c.faults.empty()) plot.legend("fault injected", fault);
  if (p99) plot.legend("p99 target", kTarget, true);
  plot.finish();
  Plot rate("timeline_rate", measured ? "Events per second (measured, by intended send time)" : "Delivered events per second (simulated)",
            {size.x, rate_h}, {time_axis, 0, t_end, false, {}, {}},
            {"events/s", 0, top_eps > 0 ? top_eps * 1.15 : 1, false, {}, {}});
  std::vector<std::pair<double, double>> eps;
  for (const auto& p : tl.points) eps.emplace_back(p.t_s + tl.window_s / 2, p.delivered_eps);
  rate.polyline(eps, colour, 2.0f, "delivered", [](double x, double y) { return fmt::format("{:.2f} s: {:.0f} events/s", x, y); });
  rate.finish();
  for (const auto& f : c.faults)
    ImGui::TextColored(kMuted, "Fault: %s (%s) from %.2f s to %.2f s%s", f.fault.c_str(), f.target.c_str(), f.start_s,
                       f.end_s, f.lifted ? "" : ", still in force when the run ended");
  if (episodes.empty()) return;

  // The episodes share one latency scale, so they compare at a glance.
  const auto [e_lo, e_hi] = episode_latency_range_s(c, p99);
  const auto [e_lo_ms, e_hi_ms] = decades(e_lo * 1e3, e_hi * 1e3);
  const std::pair<double, double> episode_decades{e_lo_ms, e_hi_ms > e_lo_ms ? e_hi_ms : e_lo_ms * 10};
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const float panel_w = (size.x - spacing * static_cast<float>(per_row - 1)) / static_cast<float>(per_row);
  for (size_t i = 0; i < episodes.size(); ++i) {
    if (i % per_row != 0) ImGui::SameLine();
    draw_episode_panel(*episodes[i], i, p99, episode_decades, {panel_w, episode_h});
  }
  ImGui::TextColored(kEpisodeDown, "red: down (no delivery for the affected share);");
  ImGui::SameLine();
  ImGui::TextColored(kEpisodeLate, "amber: delivered above the p99 target;");
  ImGui::SameLine();
  ImGui::TextColored(kEpisodeStroke, "brown: modelled latency of the affected share");
  ImGui::TextColored(kMuted, "Episodes: the availability model's representative episode per failure type (fluid queue, "
                             "modelled, not simulated), each on its own time axis from the failure; the simulated run "
                             "has no failures.");
}

void draw_results(const AppState& state) {
  draw_result_banner(state);
  const ShownResult& shown = state.shown();
  if (!shown.result) return;
  const Result& r = *shown.result;
  const bool dim = state.stale();
  if (dim) ImGui::PushStyleVar(ImGuiStyleVar_Alpha, 0.55f);
  draw_verdict_table(r);
  ImGui::Spacing();
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const float w = (ImGui::GetContentRegionAvail().x - gap) / 2;
  const float h = std::max(14 * ImGui::GetFontSize(), (ImGui::GetContentRegionAvail().y - gap) / 2);
  draw_cdf(r, {w, h});
  ImGui::SameLine();
  draw_scatter(r, {w, h});
  draw_cost_bars(r, {w, h});
  ImGui::SameLine();
  draw_key_figures(r, {w, h});
  if (dim) ImGui::PopStyleVar();
}

}  // namespace

void draw_views(AppState& state, ViewFields& fields) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  ImGui::Begin("archsim", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBringToFrontOnFocus);
  const float left_w = std::max(26 * ImGui::GetFontSize(), vp->WorkSize.x * 0.3f);
  ImGui::BeginChild("left", {left_w, 0}, true);
  draw_left(state, fields);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("right", {0, 0}, true);
  if (ImGui::BeginTabBar("views")) {
    auto flags = [&fields](const char* tab) {
      return fields.select_tab == tab ? ImGuiTabItemFlags_SetSelected : ImGuiTabItemFlags_None;
    };
    if (ImGui::BeginTabItem("Results", nullptr, flags("Results"))) {
      draw_results(state);
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Over time", nullptr, flags("Over time"))) {
      draw_result_banner(state);
      std::vector<TimelineChoice> choices;
      if (state.shown().result)
        for (const auto& c : state.shown().result->candidates) choices.push_back({&c, &*state.shown().result, c.name});
      // the last check's measurement, drawn from the same timeline shape with its faults
      if (const auto& last = state.last_check(); last && last->result)
        for (const auto& c : last->result->candidates)
          if (c.source == "measured") choices.push_back({&c, &*last->result, c.name + " (last check)"});
      const bool dim = state.shown().result && state.stale();
      if (dim) ImGui::PushStyleVar(ImGuiStyleVar_Alpha, 0.55f);
      draw_timeline(choices, fields.timeline_candidate, ImGui::GetContentRegionAvail());
      if (dim) ImGui::PopStyleVar();
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Explorer", nullptr, flags("Explorer"))) {
      draw_explorer(state, fields.explorer);
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Check", nullptr, flags("Check"))) {
      draw_check(state, fields);
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
    fields.select_tab.clear();
  }
  ImGui::EndChild();
  ImGui::End();
}

}  // namespace archsim::gui
