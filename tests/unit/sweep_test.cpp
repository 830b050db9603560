// Sweep building blocks: the SPEC grammar, --vary checks against a scenario
// document, grid expansion and point keys, the journal's torn-line handling,
// and the Pareto front.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "archsim/pareto.hpp"
#include "archsim/sweep_grid.hpp"
#include "archsim/sweep_journal.hpp"
#include "archsim/sweep_record.hpp"
#include "archsim/sweep_spec.hpp"

namespace archsim {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const json kDoc = json::parse(R"({
  "workload": {"rate": {"mean_eps": 1000.5}, "sources": 4},
  "candidates": [{"name": "a", "broker": {"partitions": 12, "instance": "m5.large"},
                  "producer": {"acks": "all", "linger": "5ms"}}]
})");

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no exception)";
}

TEST(SweepSpec, ListKeepsJsonTypes) {
  const auto v = parse_spec("4, 8,16", false);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_TRUE(v[0].is_number_integer());
  EXPECT_EQ(v[2], 16);
  const auto s = parse_spec("5ms,\"a,b\",true,2.5", false);
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s[0], "5ms");
  EXPECT_EQ(s[1], "a,b");
  EXPECT_EQ(s[2], true);
  EXPECT_DOUBLE_EQ(s[3].get<double>(), 2.5);
  EXPECT_EQ(parse_spec("7", false).size(), 1u);
}

TEST(SweepSpec, LinearRangeIncludesStop) {
  const auto v = parse_spec("1000:5000:1000", false);
  ASSERT_EQ(v.size(), 5u);
  EXPECT_EQ(v.front(), 1000);
  EXPECT_EQ(v.back(), 5000);
  EXPECT_TRUE(v.back().is_number_integer());
  const auto f = parse_spec("0.1:0.3:0.1", false);
  ASSERT_EQ(f.size(), 3u);
  EXPECT_NEAR(f.back().get<double>(), 0.3, 1e-12);
  EXPECT_EQ(parse_spec("1:10:4", false).size(), 3u);  // 1, 5, 9
}

TEST(SweepSpec, LogRanges) {
  const auto x = parse_spec("1e3..1e6 x10", false);
  ASSERT_EQ(x.size(), 4u);
  EXPECT_EQ(x[3], 1000000);
  const auto n = parse_spec("1..100 n5", true);  // 1, 3.16, 10, 31.6, 100 rounded
  ASSERT_EQ(n.size(), 5u);
  EXPECT_EQ(n[1], 3);
  EXPECT_EQ(n[3], 32);
  EXPECT_EQ(parse_spec("1..2 n5", true).size(), 2u);  // integer rounding drops duplicates
  const auto d = parse_spec("0.001..0.1 n3", false);
  EXPECT_NEAR(d[1].get<double>(), 0.01, 1e-12);
}

TEST(SweepSpec, BadSpecsSayWhy) {
  EXPECT_NE(message_of([] { parse_spec("10:1:1", false); }).find("empty range"), std::string::npos);
  EXPECT_NE(message_of([] { parse_spec("1:10:0", false); }).find("empty range"), std::string::npos);
  EXPECT_NE(message_of([] { parse_spec("1e6..1e3 x10", false); }).find("empty range"), std::string::npos);
  EXPECT_NE(message_of([] { parse_spec("1..10 x1", false); }).find("empty range"), std::string::npos);
  EXPECT_NE(message_of([] { parse_spec("", false); }).find("empty range"), std::string::npos);
  EXPECT_NE(message_of([] { parse_spec("1:abc:2", false); }).find("unparseable SPEC"), std::string::npos);
  EXPECT_NE(message_of([] { parse_spec("1..10 y3", false); }).find("unparseable SPEC"), std::string::npos);
  EXPECT_NE(message_of([] { parse_spec("1:2", false); }).find("unparseable SPEC"), std::string::npos);
  EXPECT_NE(message_of([] { parse_spec("1,,2", false); }).find("unparseable SPEC"), std::string::npos);
}

// Found by fuzz_sweep_spec (issue 8): each of these once gave a value that
// is not a number (inf, written as null), a wrapped integer, or a path whose
// bytes made every later JSON dump throw.
TEST(SweepSpec, ExtremeRangesGiveFiniteValuesOrSayWhy) {
  const auto wide = parse_spec("1e-300..1e300 n3", false);  // hi / lo overflows a double
  ASSERT_EQ(wide.size(), 3u);
  EXPECT_NEAR(wide[1].get<double>(), 1.0, 1e-9);
  EXPECT_DOUBLE_EQ(wide[2].get<double>(), 1e300);
  const auto near_max = parse_spec("1..1.7976931348623157e308 x1e300", false);  // no inf past the stop
  ASSERT_EQ(near_max.size(), 2u);
  EXPECT_DOUBLE_EQ(near_max[1].get<double>(), 1e300);
  EXPECT_NE(message_of([] { parse_spec("1e300:1e300:1", true); }).find("range too large: 1e+300 is beyond the integers"),
            std::string::npos)
      << message_of([] { parse_spec("1e300:1e300:1", true); });
  EXPECT_NE(message_of([] { make_dim(kDoc, "/candidates/0/broker/partitions=1e16..1e17 n2"); }).find("range too large"),
            std::string::npos);
  EXPECT_EQ(parse_spec("1e15:1e15:1", true).front(), int64_t{1000000000000000});
}

TEST(SweepSpec, TextThatIsNotUtf8IsRefused) {
  EXPECT_NE(message_of([] { make_dim(kDoc, "/workload/ra\x8a=1"); })
                .find("--vary /workload/ra\x8a=1: not a JSON pointer: not UTF-8 text (invalid UTF-8 byte at index 12: 0x8A)"),
            std::string::npos)
      << message_of([] { make_dim(kDoc, "/workload/ra\x8a=1"); });
  EXPECT_NE(message_of([] { parse_spec("5ms,1\xffms", false); }).find("unparseable SPEC: not UTF-8 text"), std::string::npos);
  EXPECT_NE(message_of([] { pointer_tokens("/a\xc3"); }).find("not a JSON pointer: not UTF-8 text"), std::string::npos);
  EXPECT_EQ(parse_spec("5ms,\"\xc3\xa9t\xc3\xa9\"", false)[1], "\xc3\xa9t\xc3\xa9");  // UTF-8 is fine
}

TEST(SweepDim, AnEmptyArraySaysSo) {
  const json doc = json::parse(R"({"candidates": []})");
  EXPECT_NE(message_of([&] { make_dim(doc, "/candidates/0=1"); }).find("unknown pointer path: /candidates is an empty array, no index 0"),
            std::string::npos)
      << message_of([&] { make_dim(doc, "/candidates/0=1"); });
}

TEST(SweepDim, ChecksThePathAgainstTheDocument) {
  const SweepDim p = make_dim(kDoc, "/candidates/0/broker/partitions=1..100 n5");
  EXPECT_TRUE(p.values[1].is_number_integer());  // integer target: rounded
  const SweepDim r = make_dim(kDoc, "/workload/rate/mean_eps=1000:3000:1000");
  EXPECT_EQ(r.values.size(), 3u);
  const SweepDim acks = make_dim(kDoc, "/candidates/0/producer/acks=1,all");
  EXPECT_EQ(acks.values[0], "1");  // a number into a string target becomes a string
  EXPECT_NO_THROW(make_dim(kDoc, "/candidates/0/broker/io_threads=4,8"));  // absent key of an existing object

  EXPECT_NE(message_of([] { make_dim(kDoc, "/candidates/3/broker/partitions=4"); })
                .find("--vary /candidates/3/broker/partitions=4: unknown pointer path: /candidates has 1 item"),
            std::string::npos);
  EXPECT_NE(message_of([] { make_dim(kDoc, "/workload/nope/x=4"); }).find("unknown pointer path: /workload has no key 'nope'"),
            std::string::npos);
  EXPECT_NE(message_of([] { make_dim(kDoc, "/candidates/0/broker/partitions/x=4"); }).find("wrong type"), std::string::npos);
  EXPECT_NE(message_of([] { make_dim(kDoc, "/candidates/0/broker=4"); }).find("wrong type"), std::string::npos);
  EXPECT_NE(message_of([] { make_dim(kDoc, "/candidates/0/broker/partitions=many"); }).find("wrong type"), std::string::npos);
  EXPECT_NE(message_of([] { make_dim(kDoc, "/candidates/0/producer/linger=1:5:1"); }).find("wrong type"), std::string::npos);
  EXPECT_NE(message_of([] { make_dim(kDoc, "workload/sources=1"); }).find("not a JSON pointer"), std::string::npos);
  EXPECT_NE(message_of([] { make_dim(kDoc, "/workload/sources"); }).find("PATH=SPEC"), std::string::npos);
  EXPECT_NE(message_of([] { make_dim(kDoc, "/workload/sources=9:1:1"); }).find("--vary /workload/sources=9:1:1: empty range"),
            std::string::npos);
}

TEST(SweepGrid, CrossProductLastDimensionFastest) {
  const std::vector<SweepDim> dims = {make_dim(kDoc, "/workload/sources=1,2"),
                                      make_dim(kDoc, "/candidates/0/producer/linger=5ms,10ms,20ms")};
  ASSERT_EQ(grid_size(dims, 1000), 6u);
  const SweepPoint p = grid_point(dims, 4);
  EXPECT_EQ(p.id, 4u);
  EXPECT_EQ(p.key(), "/workload/sources=2 /candidates/0/producer/linger=\"10ms\"");
  const json doc = apply_point(kDoc, p);
  EXPECT_EQ(doc["workload"]["sources"], 2);
  EXPECT_EQ(doc["candidates"][0]["producer"]["linger"], "10ms");
  EXPECT_THROW(grid_size(dims, 5), std::invalid_argument);
  EXPECT_EQ(grid_size({}, 10), 1u);
  // the grid identity changes with the values and the candidate filter
  EXPECT_NE(grid_identity(dims, ""), grid_identity(dims, "a"));
  EXPECT_EQ(fnv1a_hex("abc"), fnv1a_hex("abc"));
  EXPECT_NE(fnv1a_hex("abc"), fnv1a_hex("abd"));
}

class JournalTest : public ::testing::Test {
 protected:
  fs::path dir_ = fs::temp_directory_path() / ("archsim-journal-" + std::to_string(::getpid()));
  fs::path path_ = dir_ / "journal.jsonl";
  void SetUp() override { fs::create_directories(dir_); }
  void TearDown() override { fs::remove_all(dir_); }
  void write(const std::string& text) { std::ofstream(path_, std::ios::binary) << text; }
};

TEST_F(JournalTest, ReadsHeaderAndRecords) {
  {
    JournalWriter w(path_);
    w.append({{"archsim_sweep_journal", 1}});
    w.append({{"point", 0}});
    w.append({{"point", 1}});
  }
  const JournalContents c = read_journal(path_);
  ASSERT_TRUE(c.header);
  EXPECT_EQ(c.records.size(), 2u);
  EXPECT_FALSE(c.torn_tail);
  EXPECT_EQ(c.good_bytes, fs::file_size(path_));
}

TEST_F(JournalTest, TornLastLineIsDetectedAndTruncated) {
  write("{\"archsim_sweep_journal\":1}\n{\"point\":0}\n{\"point\":1,\"sta");
  JournalContents c = read_journal(path_);
  EXPECT_TRUE(c.torn_tail);
  EXPECT_EQ(c.records.size(), 1u);
  truncate_journal(path_, c.good_bytes);
  c = read_journal(path_);
  EXPECT_FALSE(c.torn_tail);
  EXPECT_EQ(c.records.size(), 1u);
  // a complete-looking line without its newline is torn too
  write("{\"archsim_sweep_journal\":1}\n{\"point\":0}");
  EXPECT_TRUE(read_journal(path_).torn_tail);
  // garbage as the last line is torn, garbage before it is damage
  write("{\"archsim_sweep_journal\":1}\n\x01\x02\n");
  EXPECT_TRUE(read_journal(path_).torn_tail);
  write("{\"archsim_sweep_journal\":1}\nnot json\n{\"point\":0}\n");
  EXPECT_THROW(read_journal(path_), std::invalid_argument);
}

TEST_F(JournalTest, MissingFileIsEmpty) {
  const JournalContents c = read_journal(dir_ / "none.jsonl");
  EXPECT_FALSE(c.header);
  EXPECT_TRUE(c.records.empty());
  EXPECT_EQ(c.good_bytes, 0u);
}

TEST(Pareto, KeepsNonDominatedByCost) {
  const std::vector<ParetoItem> items = {{0, 100, 0.5}, {1, 200, 0.2}, {2, 150, 0.6}, {3, 300, 0.2},
                                         {4, 400, 0.1}, {5, 100, 0.5}, {6, 50, 1.0}};
  EXPECT_EQ(pareto_front(items), (std::vector<size_t>{6, 0, 1, 4}));
  EXPECT_TRUE(pareto_front({}).empty());
}

TEST(SweepSummary, ParetoFeasibleAndCheapest) {
  auto record = [](size_t id, double cost, double p99, bool meets, bool overloaded) {
    return json{{"point", id},
                {"status", "ok"},
                {"candidates",
                 {{{"name", "a"}, {"cost_usd_month", cost}, {"p99_s", p99}, {"latency_count", 10},
                   {"meets_all", meets}, {"overloaded", overloaded}}}}};
  };
  const std::vector<json> records = {record(0, 100, 0.9, false, true), record(1, 200, 0.3, true, false),
                                     record(2, 300, 0.1, true, false), record(3, 250, 0.5, false, false),
                                     json{{"point", 4}, {"status", "invalid"}, {"error", "x"}},
                                     record(5, 200, 0.25, true, false)};
  const auto s = summarise_sweep(records);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].simulated, 5u);
  EXPECT_EQ(s[0].pareto, (std::vector<size_t>{5, 2}));  // the overloaded point is excluded; 5 beats 1
  EXPECT_EQ(s[0].feasible, (std::vector<size_t>{1, 2, 5}));
  EXPECT_EQ(s[0].cheapest_feasible, 5u);  // as cheap as 1, and faster
}

}  // namespace
}  // namespace archsim
