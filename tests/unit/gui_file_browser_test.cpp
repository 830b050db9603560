// archsim-gui's file dialog state and UI scale, without a window: listing
// (directories first, only .json files, hidden entries skipped), keyboard
// movement clamped to the list, entering and leaving directories, picking
// a file, save names getting their extension, and the HiDPI scale from the
// content scale, the monitor DPI and the ARCHSIM_GUI_SCALE override.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "archsim/gui/file_browser.hpp"

namespace archsim::gui {
namespace {

namespace fs = std::filesystem;

class FileBrowserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("archsim-browser-" + std::to_string(getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "zeta");
    fs::create_directories(root_ / "alpha");
    fs::create_directories(root_ / ".hidden");
    for (const char* f : {"b.json", "a.json", "notes.txt", "alpha/inner.json"}) std::ofstream(root_ / f) << "{}";
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

TEST_F(FileBrowserTest, ListsDirectoriesFirstThenJsonFilesSorted) {
  FileBrowser b;
  b.open(FileBrowser::Mode::open, root_);
  ASSERT_TRUE(b.is_open());
  std::vector<std::string> names;
  for (const auto& e : b.entries()) names.push_back(e.name);
  EXPECT_EQ(names, (std::vector<std::string>{"..", "alpha", "zeta", "a.json", "b.json"}));
  EXPECT_TRUE(b.error().empty());
}

TEST_F(FileBrowserTest, KeyboardMovesEntersAndPicks) {
  FileBrowser b;
  b.open(FileBrowser::Mode::open, root_);
  b.move(-5);
  EXPECT_EQ(b.selected(), 0);
  b.move(100);
  EXPECT_EQ(b.selected(), 4);  // clamped to the last entry
  b.select(1);                 // alpha
  EXPECT_FALSE(b.activate().has_value());
  EXPECT_EQ(b.directory(), root_ / "alpha");
  ASSERT_EQ(b.entries().size(), 2u);  // "..", inner.json
  b.up();
  EXPECT_EQ(b.directory(), root_);
  EXPECT_EQ(b.entries()[static_cast<size_t>(b.selected())].name, "alpha");  // back where we came from
  b.move(2);                                                                 // a.json
  const auto picked = b.activate();
  ASSERT_TRUE(picked.has_value());
  EXPECT_EQ(*picked, root_ / "a.json");
  EXPECT_FALSE(b.is_open());
}

TEST_F(FileBrowserTest, OpeningOnAFilePreselectsIt) {
  FileBrowser b;
  b.open(FileBrowser::Mode::open, root_ / "b.json");
  EXPECT_EQ(b.directory(), root_);
  EXPECT_EQ(b.entries()[static_cast<size_t>(b.selected())].name, "b.json");
}

TEST_F(FileBrowserTest, SaveAddsTheExtensionAndNeedsAName) {
  FileBrowser b;
  b.open(FileBrowser::Mode::save, root_ / "edited.json");
  EXPECT_EQ(b.name(), "edited.json");
  b.name() = "";
  EXPECT_FALSE(b.confirm().has_value());
  EXPECT_TRUE(b.is_open());
  b.name() = "copy";
  const auto path = b.confirm();
  ASSERT_TRUE(path.has_value());
  EXPECT_EQ(*path, root_ / "copy.json");
  EXPECT_FALSE(b.is_open());
}

TEST_F(FileBrowserTest, MissingDirectoryIsReportedNotThrown) {
  FileBrowser b;
  b.open(FileBrowser::Mode::open, root_ / "nope" / "deeper");
  EXPECT_FALSE(b.error().empty());
  EXPECT_NE(b.error().find("nope"), std::string::npos) << b.error();
}

TEST(UiScale, OverrideContentScaleAndDpi) {
  std::string note;
  EXPECT_FLOAT_EQ(ui_scale("2", 1, 1, 96, &note), 2.0f);
  EXPECT_NE(note.find("ARCHSIM_GUI_SCALE"), std::string::npos);
  EXPECT_FLOAT_EQ(ui_scale(nullptr, 1.5f, 1.5f, 0, &note), 1.5f);
  EXPECT_NE(note.find("content scale 1.5"), std::string::npos) << note;
  EXPECT_FLOAT_EQ(ui_scale("", 1, 1, 192, &note), 2.0f);  // a 192 dpi monitor reporting content scale 1
  EXPECT_NE(note.find("192 dpi"), std::string::npos) << note;
  EXPECT_FLOAT_EQ(ui_scale(nullptr, 0.5f, 0.5f, 2000, &note), 1.0f);  // implausible DPI ignored; never below 1
  EXPECT_FLOAT_EQ(ui_scale("huge", 1.25f, 1, 0, &note), 1.25f);
  EXPECT_NE(note.find("expected a number from 0.5 to 4, found \"huge\""), std::string::npos) << note;
  EXPECT_FLOAT_EQ(ui_scale("9", 1, 1, 0, &note), 1.0f);
}

}  // namespace
}  // namespace archsim::gui
