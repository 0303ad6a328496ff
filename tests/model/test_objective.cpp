// Objectives and briefs (MODEL.md §7): loading, errors, `show`, `--set`,
// scores, and that an objective never changes the dynamics.
#include <gtest/gtest.h>

#include <filesystem>
#include <vector>

#include "entente/model/objective.hpp"
#include "entente/model/simulation.hpp"
#include "entente/scenario/scenario_io.hpp"

namespace entente {
namespace {

namespace fs = std::filesystem;

const bool kInSourceRoot = [] {
  fs::current_path(ENTENTE_SOURCE_DIR);
  return true;
}();

const std::string kHead =
    "[scenario]\nname = \"t\"\nsteps = 3\n[[axes]]\nid = \"x\"\n"
    "[[institutions]]\nid = \"G\"\nmembers = { A = 0.5 }\n"
    "[affinity]\nA = { B = 0.3 }\n";

const std::string kActors =
    "[[actors]]\nid = \"A\"\npower = 1\nposition = { x = 0.2 }\n"
    "objective = { \"affinity(A,B)\" = 2.0, \"position(A, x)\" = -1, \"membership(A,G)\" = 0.5 "
    "}\n"
    "brief = \"Keep B close; \\\"stay\\\" in G.\"\n"
    "[[actors]]\nid = \"B\"\npower = 1\nposition = { x = -0.4 }\n";

std::string error_of(const std::string& text) {
  try {
    load_scenario_text(text, "o.toml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Objective, LoadedAsWritten) {
  const Scenario s = load_scenario_text(kHead + kActors, "o.toml").scenario;
  const Actor& a = s.actors[0];
  ASSERT_EQ(a.objective.size(), 3u);
  EXPECT_EQ(to_string(a.objective[0].observable, s), "affinity(A,B)");
  EXPECT_EQ(a.objective[0].weight, 2.0);
  EXPECT_EQ(to_string(a.objective[1].observable, s), "position(A,x)");
  EXPECT_EQ(a.objective[1].weight, -1.0);
  EXPECT_EQ(to_string(a.objective[2].observable, s), "membership(A,G)");
  EXPECT_EQ(a.objective[2].weight, 0.5);
  EXPECT_EQ(a.brief, "Keep B close; \"stay\" in G.");
  EXPECT_TRUE(s.actors[1].objective.empty());
  EXPECT_EQ(s.actors[1].brief, "");
  EXPECT_TRUE(has_objectives(s));
}

// The score at step 0 by hand: 2 · 0.3 − 1 · 0.2 + 0.5 · 0.5 = 0.65.
TEST(Objective, ScoreIsTheWeightedSum) {
  const Scenario s = load_scenario_text(kHead + kActors, "o.toml").scenario;
  const Model model = compile(s);
  const State st = initial_state(model);
  EXPECT_NEAR(actor_score(model, st, 0), 2 * 0.3 - 0.2 + 0.5 * 0.5, 1e-15);
  EXPECT_EQ(actor_score(model, st, 1), 0.0);
}

// Frustration in an objective is computed even when the model tracks no blocs.
// Three mutually hostile actors (S = −0.5), pbar = 1/4, 1/4, 1/2: E counts the
// pairs split apart, so the minimum puts C alone: E = 2 · (1/4 · 1/2 · −0.5) = −1/8
// (A alone: −3/32; B alone: −3/32; together: 0).
TEST(Objective, FrustrationWithoutBlocsTracked) {
  const Scenario s = load_scenario_text(
                         "[scenario]\nname = \"t\"\nsteps = 1\n[[axes]]\nid = \"x\"\n"
                         "[[actors]]\nid = \"A\"\npower = 1\nposition = { x = 0.0 }\n"
                         "objective = { frustration = -1 }\n"
                         "[[actors]]\nid = \"B\"\npower = 1\nposition = { x = 0.0 }\n"
                         "[[actors]]\nid = \"C\"\npower = 2\nposition = { x = 0.0 }\n"
                         "[affinity]\nA = { B = -0.5, C = -0.5 }\nB = { C = -0.5 }\n",
                         "o.toml")
                         .scenario;
  const Model model = compile(s);
  ASSERT_FALSE(model.needs_blocs);
  EXPECT_NEAR(actor_score(model, initial_state(model), 0), 1.0 / 8.0, 1e-15);
}

// An objective never changes the dynamics: the baseline, noise on, gives the
// same trajectories (bit for bit) with and without its objectives.
TEST(Objective, NeverChangesTheDynamics) {
  const Scenario with = load_scenario("scenarios/baseline.toml").scenario;
  ASSERT_TRUE(has_objectives(with));
  Scenario without = with;
  for (Actor& a : without.actors) {
    a.objective.clear();
    a.brief.clear();
  }
  ASSERT_FALSE(has_objectives(without));
  const Model mw = compile(with), mo = compile(without);
  for (std::uint64_t run : {0u, 1u, 7u}) {
    Simulation a(mw, run), b(mo, run);
    for (int t = 1; t <= with.steps; ++t) {
      a.advance();
      b.advance();
      ASSERT_EQ(a.state().x, b.state().x) << "run " << run << " step " << t;
      ASSERT_EQ(a.state().R, b.state().R) << "run " << run << " step " << t;
      ASSERT_EQ(a.state().m, b.state().m);
      ASSERT_EQ(a.state().regime, b.state().regime);
    }
  }
}

TEST(Objective, ShowReloadsToAnEqualScenario) {
  const Scenario s = load_scenario_text(kHead + kActors, "o.toml").scenario;
  const std::string toml = to_toml(s);
  EXPECT_NE(toml.find("objective = { \"affinity(A,B)\" = 2.0, \"position(A,x)\" = -1.0, "
                      "\"membership(A,G)\" = 0.5 }\n"),
            std::string::npos)
      << toml;
  EXPECT_NE(toml.find("brief = \"Keep B close; \\\"stay\\\" in G.\"\n"), std::string::npos);
  EXPECT_EQ(load_scenario_text(toml, "shown.toml").scenario, s);
  const Scenario baseline = load_scenario("scenarios/baseline.toml").scenario;
  EXPECT_EQ(load_scenario_text(to_toml(baseline), "shown.toml").scenario, baseline);
}

TEST(Objective, SetOverridesTheBrief) {
  const std::vector<Override> set{parse_override("actors.B.brief=Hold the line"),
                                  parse_override("actors.A.brief=\"New orders\"")};
  const Scenario s = load_scenario_text(kHead + kActors, "o.toml", set).scenario;
  EXPECT_EQ(s.actors[1].brief, "Hold the line");
  EXPECT_EQ(s.actors[0].brief, "New orders");
}

TEST(Objective, ErrorsAreLocated) {
  const std::string actor =
      "[[actors]]\nid = \"B\"\npower = 1\nposition = { x = 0.0 }\n"
      "[[actors]]\nid = \"A\"\npower = 1\nposition = { x = 0.0 }\n";
  const std::string head = "[scenario]\nname = \"t\"\nsteps = 3\n[[axes]]\nid = \"x\"\n" + actor;
  // Line 14 is the objective line.
  EXPECT_EQ(error_of(head + "objective = { \"affinity(A,C)\" = 1 }\n"),
            "o.toml:14:15: error: actors.A.objective: unknown actor 'C' (valid: B, A)");
  EXPECT_EQ(error_of(head + "objective = { \"afinity(A,B)\" = 1 }\n"),
            "o.toml:14:15: error: actors.A.objective: unknown observable 'afinity' (did you mean "
            "'affinity'?)");
  EXPECT_EQ(error_of(head + "objective = { \"bloc(A)\" = 1 }\n"),
            "o.toml:14:15: error: actors.A.objective: 'bloc(A)' is categorical; an objective "
            "weighs numeric observables (affinity, position, membership, interdependence, "
            "weight, polarization, frustration, step)");
  EXPECT_EQ(error_of(head + "objective = { \"affinity(A,B)\" = \"high\" }\n"),
            "o.toml:14:33: error: actors.A.objective.\"affinity(A,B)\" must be a number, not a "
            "string");
  EXPECT_EQ(error_of(head + "objective = { \"affinity(A,B)\" = 1, \"affinity(A, B)\" = 2 }\n"),
            "o.toml:14:36: error: actors.A.objective lists 'affinity(A,B)' twice");
  EXPECT_EQ(error_of(head + "objective = \"affinity(A,B)\"\n"),
            "o.toml:14:13: error: actors.A.objective must be a table of observable = weight "
            "(e.g. { \"affinity(A,X)\" = 1.0 }), not a string");
  EXPECT_EQ(error_of(head + "brief = 3\n"),
            "o.toml:14:9: error: actors.A.brief must be a string, not an integer");
  EXPECT_EQ(error_of(head + "objectve = {}\n"),
            "o.toml:14:1: error: unknown key 'objectve' in actors.A (did you mean 'objective'?)");
}

}  // namespace
}  // namespace entente
