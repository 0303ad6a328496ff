// MODEL.md §2.4: raw weights above 1 are accepted, normalised, and warned
// about, naming the worst actor or pair and the sum.
#include <gtest/gtest.h>

#include "entente/model/stability.hpp"
#include "entente/scenario/scenario_io.hpp"
#include "support.hpp"

namespace entente {
namespace {

TEST(Stability, NoWarningWhenEverySumIsAtMostOne) {
  Scenario s = testing::make_scenario(3, 1);
  s.rates.memory = 0.5;
  s.rates.similarity = 0.5;  // exactly 1: fine
  EXPECT_TRUE(stability_warnings(s, "f.toml").empty());
}

TEST(Stability, TheWorstActorAndPairAreNamedWithTheirSums) {
  Scenario s = testing::make_scenario(3, 1);
  s.rates.influence = 1.0;
  s.actors[1].stubbornness = 0.7;  // B: 1·(|R|=0.5 averaged) + 0.7
  s.affinity[1][0] = 0.5;
  s.affinity[1][2] = 0.5;
  s.rates.memory = 0.9;
  s.rates.interdependence = 0.5;
  s.interdependence[2][0] = 0.6;  // C→A: 0.9 + 0.3 = 1.2 (the worst pair)
  s.interdependence[0][1] = 0.2;  // A→B: 0.9 + 0.1 = 1.0 (not above 1)
  const auto w = stability_warnings(s, "f.toml");
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(
      to_string(w[0]),
      "f.toml: warning: position weights of B sum to 1.2 (> 1) on the initial state; they are "
      "normalised each step (MODEL.md §2.4)");
  EXPECT_EQ(
      to_string(w[1]),
      "f.toml: warning: affinity weights of C→A sum to 1.2 (> 1) on the initial state; they are "
      "normalised each step (MODEL.md §2.4)");
}

TEST(Stability, TheLoaderReportsTheWarnings) {
  const LoadedScenario loaded =
      load_scenario("tests/data/golden/two_actors.toml",
                    std::vector<Override>{parse_override("model.memory=0.95")});
  ASSERT_EQ(loaded.warnings.size(), 1u);
  EXPECT_NE(loaded.warnings[0].message.find("affinity weights of A→B sum to 1.15"),
            std::string::npos)
      << loaded.warnings[0].message;
}

}  // namespace
}  // namespace entente
