// Every cost line names where its price came from (the catalog entry's public
// source, date and confidence), the Result keeps it, and the HTML report's
// assumptions show it next to the line.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "archsim/cost_model.hpp"
#include "archsim/html_reporter.hpp"
#include "archsim/result_json.hpp"
#include "archsim/scenario_loader.hpp"

namespace {

using namespace archsim;

TEST(CostSources, EveryKappaLineCitesItsCatalogEntry) {
  const Scenario sc = load_scenario_file(ARCHSIM_SOURCE_DIR "/scenarios/kappa-reference.json");
  const Candidate& c = sc.candidates.front();
  const auto lines = kappa_monthly_cost(sc, c);
  ASSERT_FALSE(lines.empty());
  for (const CostLine& line : lines) {
    EXPECT_FALSE(line.price_source.empty()) << line.component;
    EXPECT_EQ(line.price_source.find("no source recorded"), std::string::npos) << line.component << ": " << line.price_source;
  }
  const CostLine& brokers = lines.front();
  ASSERT_EQ(brokers.component, "brokers");
  EXPECT_NE(brokers.price_source.find(c.broker.instance.provenance.source), std::string::npos) << brokers.price_source;
  EXPECT_NE(brokers.price_source.find(c.broker.instance.provenance.date), std::string::npos) << brokers.price_source;
}

TEST(CostSources, ResultKeepsThemAndTheHtmlShowsThem) {
  const Scenario sc = load_scenario_file(ARCHSIM_SOURCE_DIR "/scenarios/kappa-reference.json");
  Result r;
  r.scenario_name = sc.name;
  r.archsim_version = "test";
  CandidateResult c;
  c.name = "a<b";
  c.cost = kappa_monthly_cost(sc, sc.candidates.front());
  r.candidates.push_back(c);
  const Result back = result_from_json(to_json(r));
  ASSERT_EQ(back.candidates.front().cost.size(), c.cost.size());
  for (size_t i = 0; i < c.cost.size(); ++i) EXPECT_EQ(back.candidates.front().cost[i].price_source, c.cost[i].price_source);

  std::ostringstream html;
  HtmlReporter().report(back, html);
  EXPECT_NE(html.str().find("Price source"), std::string::npos);
  EXPECT_NE(html.str().find(sc.candidates.front().broker.instance.provenance.date), std::string::npos);
}

}  // namespace
