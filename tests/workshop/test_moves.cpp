// [[moves]] and budgets in scenario files.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <vector>

#include "entente/scenario/scenario_io.hpp"

namespace entente {
namespace {

namespace fs = std::filesystem;

const bool kInSourceRoot = [] {
  fs::current_path(ENTENTE_SOURCE_DIR);
  return true;
}();

// Every South Caucasus scenario offers each actor at least three moves (the
// overlays inherit the baseline's menu), each with effects and a valid cost.
TEST(Moves, EverySouthCaucasusScenarioHasAMenu) {
  std::vector<fs::path> files{"scenarios/baseline.toml"};
  for (const char* dir : {"scenarios/corridor", "scenarios/csto"}) {
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().extension() == ".toml") files.push_back(entry.path());
    }
  }
  EXPECT_GE(files.size(), 8u);
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.string());
    const Scenario s = load_scenario(file).scenario;
    std::map<int, int> per_actor;
    for (const Move& m : s.moves) {
      ++per_actor[m.actor];
      EXPECT_FALSE(m.effects == Effects{}) << m.id;
      const auto& budget = s.actors[static_cast<std::size_t>(m.actor)].budget;
      ASSERT_TRUE(budget.has_value());
      EXPECT_LE(m.cost, *budget) << m.id;
    }
    for (int i = 0; i < s.actor_count(); ++i)
      EXPECT_GE(per_actor[i], 3) << s.actors[static_cast<std::size_t>(i)].id;
  }
}

TEST(Moves, LoadedAsWritten) {
  const Scenario s = load_scenario("tests/data/play/two.toml").scenario;
  ASSERT_EQ(s.moves.size(), 3u);
  const Move& snub = s.moves[1];
  EXPECT_EQ(snub.id, "snub");
  EXPECT_EQ(snub.actor, 0);
  EXPECT_EQ(snub.cost, 1.0);
  EXPECT_EQ(snub.available_when_text, "affinity(A,B) > 0.15");
  EXPECT_FALSE(snub.available_when.empty());
  ASSERT_EQ(snub.effects.affinity.size(), 1u);
  EXPECT_EQ(snub.effects.affinity[0].value, -0.2);
  EXPECT_EQ(s.actors[0].budget, 1.0);
  EXPECT_FALSE(s.actors[1].budget.has_value());
  // Round trip through `entente show`.
  EXPECT_EQ(load_scenario_text(to_toml(s), "shown.toml").scenario, s);
}

std::string error_of(const std::string& moves) {
  const std::string text =
      "[scenario]\nname = \"t\"\nsteps = 2\n[[axes]]\nid = \"x\"\n"
      "[[actors]]\nid = \"A\"\npower = 1\nposition = { x = 0.0 }\n"
      "[[actors]]\nid = \"B\"\npower = 1\nposition = { x = 0.0 }\n" +
      moves;
  try {
    load_scenario_text(text, "m.toml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(Moves, ErrorsNameTheColumn) {
  EXPECT_EQ(error_of("[[moves]]\nid = \"a\"\nactor = \"C\"\n"),
            "m.toml:16:9: error: unknown actor 'C' in moves.a.actor (valid: A, B)");
  EXPECT_EQ(error_of("[[moves]]\nid = \"a\"\n"),
            "m.toml:14:1: error: missing required key 'actor' in moves.a");
  EXPECT_EQ(error_of("[[moves]]\nid = \"a\"\nactor = \"A\"\ncost = -1\n"),
            "m.toml:17:8: error: moves.a.cost must be >= 0 (got -1)");
  EXPECT_EQ(
      error_of("[[moves]]\nid = \"a\"\nactor = \"A\"\navailable_when = \"affinity(A,C) > 0\"\n"),
      "m.toml:17:30: error: unknown actor 'C' (valid: A, B)");
  EXPECT_EQ(
      error_of("[[moves]]\nid = \"a\"\nactor = \"A\"\naffinity = [ { from = \"A\", to = \"B\", "
               "delta = 5 } ]\n"),
      "m.toml:17:46: error: moves.a.affinity[0].delta must be in [-2, 2] (got 5)");
  EXPECT_EQ(error_of("[[moves]]\nid = \"a\"\nactor = \"A\"\n[moves.affinity]\nfrom = \"A\"\n"),
            "m.toml:17:1: error: moves.a.affinity must be an array of tables ([[moves.affinity]] "
            "or affinity = [ {…} ]), not a table");
  EXPECT_EQ(error_of("[[moves]]\nid = \"a\"\nactor = \"A\"\ncots = 1\n"),
            "m.toml:17:1: error: unknown key 'cots' in moves.a (did you mean 'cost'?)");
  EXPECT_EQ(error_of("[[actors]]\nid = \"C\"\npower = 1\nposition = { x = 0.0 }\nbudget = -2\n"),
            "m.toml:18:10: error: actors.C.budget must be >= 0 (got -2)");
}

}  // namespace
}  // namespace entente
