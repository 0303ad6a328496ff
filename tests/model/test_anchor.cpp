// Anchors at rest (MODEL.md §2.5) and the `anchor` effect (§3): the solved
// resting point by hand, the shipped scenarios at rest, a `parameter` event
// that does not re-solve, an `anchor` effect that moves the long-run value,
// and the errors and warnings of §2.5 with their exact messages.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "entente/model/model.hpp"
#include "entente/model/simulation.hpp"
#include "entente/model/stability.hpp"
#include "entente/model/step.hpp"
#include "entente/scenario/scenario_io.hpp"
#include "entente/util/diagnostics.hpp"
#include "support.hpp"

namespace entente {
namespace {

const bool kInSourceRoot = [] {
  std::filesystem::current_path(ENTENTE_SOURCE_DIR);
  return true;
}();

using testing::make_scenario;
using testing::set_affinity;
using testing::set_position;

void set_pair(Scenario& s, int i, int j, double v) {
  set_affinity(s, i, j, v);
  set_affinity(s, j, i, v);
}

// Three actors on one axis: A 0.2, B −0.4, C 0.6; R0 A–B 0.5, A–C −0.3,
// B–C 0.1 both ways; equal powers (w = 1/3 each); balance 0.1, similarity
// 0.2, memory 0.1, influence 0.3; λ = 0.5 for all.
Scenario three(AnchorMode anchor) {
  Scenario s = make_scenario(3, 1, 10);
  set_position(s, 0, 0, 0.2);
  set_position(s, 1, 0, -0.4);
  set_position(s, 2, 0, 0.6);
  set_pair(s, 0, 1, 0.5);
  set_pair(s, 0, 2, -0.3);
  set_pair(s, 1, 2, 0.1);
  for (auto& a : s.actors) a.stubbornness = 0.5;
  s.rates.balance = 0.1;
  s.rates.similarity = 0.2;
  s.rates.memory = 0.1;
  s.rates.influence = 0.3;
  s.anchor = anchor;
  return s;
}

TEST(AnchorsAtRest, ThreeActorsClosedFormByHand) {
  const Model m = compile(three(AnchorMode::equilibrium));
  // Rstar[A][B]: balance through C: B̄ = (−0.3)(0.1) = −0.03, B̄abs = 0.03,
  // ω = 0.1·0.03, τ = −1: 0.003 (−1 − 0.5) = −0.0045. Similarity: distance
  // 0.6, τ = 0.4: 0.2 (0.4 − 0.5) = −0.02. Rstar = 0.5 + 0.0245 / 0.1.
  EXPECT_NEAR(m.memory_target(0, 1), 0.745, 1e-12);
  // Rstar[A][C]: balance via B: B̄ = 0.5·0.1 = 0.05 = B̄abs, τ = 1:
  // 0.1·0.05 (1 + 0.3) = 0.0065. Similarity: distance 0.4, τ = 0.6:
  // 0.2 (0.6 + 0.3) = 0.18. Rstar = −0.3 − 0.1865 / 0.1 = −2.165 (not clipped).
  EXPECT_NEAR(m.memory_target(0, 2), -2.165, 1e-12);
  // xhat[A]: Ahat = 1/2 to B and C. v_AB = 0.3·0.5·0.5 = 0.075 toward −0.4:
  // −0.045; v_AC = 0.3·0.5·0.3 = 0.045 toward −0.6: −0.036. xhat = 0.2 + 0.081 / 0.5.
  EXPECT_NEAR(m.ideal(0, 0), 0.362, 1e-12);
  // The initial anchor keeps R0 and the ideals.
  const Model m0 = compile(three(AnchorMode::initial));
  EXPECT_EQ(m0.memory_target(0, 2), -0.3);
  EXPECT_EQ(m0.ideal(0, 0), 0.2);
}

// Max |S(t) − S(0)| over t ≤ steps, for the fast and the reference step.
double drift(const Model& m, int steps, bool reference) {
  State st = initial_state(m);
  const State s0 = st;
  Rng rng(1);
  Workspace ws = make_workspace(m);
  double worst = 0.0;
  for (int t = 0; t < steps; ++t) {
    if (reference) {
      reference_step(m, st, rng);
    } else {
      step(m, st, ws, rng);
    }
    worst =
        std::max({worst, (st.x - s0.x).cwiseAbs().maxCoeff(), (st.R - s0.R).cwiseAbs().maxCoeff()});
  }
  return worst;
}

TEST(AnchorsAtRest, ThreeActorsStayAtTheirInitialState) {
  EXPECT_LT(drift(compile(three(AnchorMode::equilibrium)), 1000, false), 1e-12);
  EXPECT_LT(drift(compile(three(AnchorMode::equilibrium)), 1000, true), 1e-12);
  EXPECT_GT(drift(compile(three(AnchorMode::initial)), 10, false), 1e-3);
  // Weights that sum above 1 are normalised, which does not move the point.
  Scenario s = three(AnchorMode::equilibrium);
  s.rates.similarity = 0.9;
  s.rates.memory = 0.5;
  s.rates.influence = 1.0;
  EXPECT_LT(drift(compile(s), 1000, false), 1e-12);
}

std::vector<std::string> shipped() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator("scenarios")) {
    const auto& p = e.path();
    if (p.extension() != ".toml" || p.parent_path().filename() == "sweeps") continue;
    if (p.filename().string().starts_with("calibrate_")) continue;  // calibration files
    out.push_back(p.generic_string());
  }
  return out;
}

// A shipped scenario as loaded, with anchor = equilibrium, noise off and
// every event off.
Scenario quiet(const std::string& file) {
  Scenario s = load_scenario(file).scenario;
  s.anchor = AnchorMode::equilibrium;
  s.rates.noise_position = 0;
  s.rates.noise_affinity = 0;
  for (auto& a : s.actors) a.noise.reset();
  for (auto& e : s.events) e.enabled = false;
  return s;
}

TEST(AnchorsAtRest, EveryShippedScenarioStaysAtItsInitialStateFor1000Steps) {
  const auto files = shipped();
  ASSERT_GE(files.size(), 8u);
  for (const auto& file : files) {
    SCOPED_TRACE(file);
    // Shipped at rest since issue 14 (docs/scenarios.md): nothing moves when nothing happens.
    EXPECT_EQ(load_scenario(file).scenario.anchor, AnchorMode::equilibrium);
    const Model m = compile(quiet(file));
    EXPECT_LT(drift(m, 1000, false), 1e-12);
    EXPECT_LT(drift(m, 1000, true), 1e-12);
  }
}

TEST(AnchorsAtRest, AParameterEventDoesNotResolve) {
  Scenario s = three(AnchorMode::equilibrium);
  Event e;
  e.id = "more_memory";
  e.step = 1;
  e.effects.parameter.push_back({find_rate("memory"), 0.2});
  s.events.push_back(e);
  const Model m = compile(s);
  Simulation sim(m, 0);
  sim.advance();
  // The target stays Rstar of the rates at load: R_AB moves by
  // −0.0245 + 0.2 (0.745 − 0.5) = +0.0245 instead of staying at 0.5.
  EXPECT_NEAR(sim.state().anchor(0, 1), 0.745, 1e-12);
  EXPECT_NEAR(sim.state().R(0, 1), 0.5245, 1e-12);
}

// Two actors, no axes: interdependence 0.05 with T_AB = 0.4 (ω = 0.02, τ = 1)
// and memory 0.1; R0 A–B 0.2. Under equilibrium Rstar_AB = 0.2 − 0.02 · 0.8 /
// 0.1 = 0.04.
Scenario pair_scenario(int steps) {
  Scenario s = make_scenario(2, 0, steps);
  set_pair(s, 0, 1, 0.2);
  s.interdependence[0][1] = 0.4;
  s.rates.interdependence = 0.05;
  s.rates.memory = 0.1;
  s.anchor = AnchorMode::equilibrium;
  return s;
}

State run_to_end(const Scenario& s) {
  const Model m = compile(s);
  Simulation sim(m, 0);
  for (int t = 0; t < s.steps; ++t) sim.advance();
  return sim.state();
}

TEST(AnchorEffect, MovesTheLongRunValueAsComputedByHand) {
  Scenario s = pair_scenario(2000);
  EXPECT_NEAR(compile(s).memory_target(0, 1), 0.04, 1e-15);
  Event e;
  e.id = "lasting";
  e.step = 5;
  e.effects.anchor.push_back({0, 1, EffectMode::delta, -0.3, false});
  s.events.push_back(e);
  // Target −0.26: long run (0.02 · 1 + 0.1 · (−0.26)) / 0.12 = −0.05.
  const State end = run_to_end(s);
  EXPECT_NEAR(end.anchor(0, 1), -0.26, 1e-15);
  EXPECT_NEAR(end.R(0, 1), -0.05, 1e-9);
  EXPECT_NEAR(end.R(1, 0), 0.2, 1e-12);  // B→A has no dependence, its own target
  // `set`, mutual: both targets −0.5; A→B: (0.02 − 0.05) / 0.12 = −0.25; B→A: −0.5.
  s.events[0].effects.anchor[0] = {0, 1, EffectMode::set, -0.5, true};
  const State both = run_to_end(s);
  EXPECT_NEAR(both.R(0, 1), -0.25, 1e-9);
  EXPECT_NEAR(both.R(1, 0), -0.5, 1e-9);
}

TEST(AnchorEffect, AnAffinityShockAloneFadesBack) {
  Scenario s = pair_scenario(2000);
  Event e;
  e.id = "incident";
  e.step = 5;
  e.effects.affinity.push_back({0, 1, EffectMode::delta, -0.6, true});
  s.events.push_back(e);
  const State end = run_to_end(s);
  EXPECT_NEAR(end.R(0, 1), 0.2, 1e-9);
  EXPECT_NEAR(end.R(1, 0), 0.2, 1e-9);
}

// Errors, loading text as `t.toml`.
std::string error_of(const std::string& text, const std::vector<std::string>& sets = {}) {
  try {
    std::vector<Override> overrides;
    for (const auto& s : sets) overrides.push_back(parse_override(s));
    load_scenario_text(text, "t.toml", overrides);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

const std::string kHead = testing::kTwoActorHead;

TEST(AnchorErrors, EquilibriumWithoutMemory) {
  EXPECT_EQ(error_of("[model]\nanchor = \"equilibrium\"\n" + kHead),
            "t.toml:2:10: error: model.anchor = \"equilibrium\" needs model.memory > 0 (memory "
            "pulls toward the solved resting point); set memory or use anchor = \"initial\"");
  EXPECT_EQ(error_of(kHead, {"model.anchor=equilibrium"}).substr(0, 19), "--set:1:14: error: ");
  EXPECT_EQ(error_of(kHead, {"model.anchor=equilibrium", "model.memory=0.1"}), "no error");
}

TEST(AnchorErrors, ExplicitIdealWithEquilibrium) {
  EXPECT_EQ(error_of("[model]\nmemory = 0.1\nanchor = \"equilibrium\"\n" + kHead +
                     "ideal = { orientation = 0.0 }\n"),
            "t.toml:17:1: error: actors.RUS.ideal cannot be given with model.anchor = "
            "\"equilibrium\" (the ideal positions are solved at load); remove it or use anchor "
            "= \"initial\"");
}

TEST(AnchorErrors, UnknownAnchorMode) {
  EXPECT_EQ(error_of("[model]\nanchor = \"equilibrum\"\n" + kHead),
            "t.toml:2:10: error: unknown anchor 'equilibrum' in model.anchor (did you mean "
            "'equilibrium'?)");
}

TEST(AnchorErrors, AnchorEffectParsesAndIsChecked) {
  const std::string ok = kHead +
                         "[[events]]\nid = \"e\"\nstep = 1\n"
                         "anchor = [ { from = \"ARM\", to = \"RUS\", delta = -0.3, mutual = true } "
                         "]\n";
  EXPECT_EQ(error_of(ok), "no error");
  const Scenario s = load_scenario_text(ok, "t.toml").scenario;
  ASSERT_EQ(s.events[0].effects.anchor.size(), 1u);
  EXPECT_EQ(s.events[0].effects.anchor[0].value, -0.3);
  EXPECT_TRUE(s.events[0].effects.anchor[0].mutual);
  EXPECT_EQ(error_of(kHead + "[[events]]\nid = \"e\"\nstep = 1\n"
                             "anchor = [ { from = \"ARM\", to = \"RUS\", delta = 3 } ]\n"),
            "t.toml:17:48: error: events.e.anchor[0].delta must be in [-2, 2] (got 3)");
}

}  // namespace
}  // namespace entente

namespace entente {
namespace {

std::vector<std::string> warnings_of(const Scenario& s) {
  std::vector<std::string> out;
  for (const Diagnostic& d : stability_warnings(s, "t.toml")) out.push_back(d.message);
  return out;
}

TEST(AnchorWarnings, RestingAffinitiesOutsideTheRangeAreNamed) {
  const auto w = warnings_of(three(AnchorMode::equilibrium));
  ASSERT_EQ(w.size(), 1u);
  // A→C −2.165 by hand above; the strongest first.
  EXPECT_NE(w[0].find("A→C -2.165"), std::string::npos) << w[0];
  EXPECT_NE(w[0].find("lie outside [-1, 1]"), std::string::npos) << w[0];
  EXPECT_TRUE(warnings_of(three(AnchorMode::initial)).empty());
}

TEST(AnchorWarnings, AnActorWithoutStubbornnessThatIsNotAtRest) {
  Scenario s = three(AnchorMode::equilibrium);
  s.rates.balance = 0;
  s.rates.similarity = 0;  // no resting affinity outside the range
  s.actors[0].stubbornness = 0;
  // A's pull by hand: −0.045 − 0.036 = −0.081.
  EXPECT_EQ(warnings_of(s),
            std::vector<std::string>{
                "actor A has stubbornness 0 and is not at rest under anchor = \"equilibrium\" "
                "(its position moves by up to 0.081 in the first step); give it a stubbornness "
                "> 0 (MODEL.md §2.5)"});
}

}  // namespace
}  // namespace entente

namespace entente {
namespace {

TEST(AnchorShow, WritesTheKeyAndReadsBackWithoutIdeals) {
  const std::string text = "[model]\nmemory = 0.1\nanchor = \"equilibrium\"\n" + kHead +
                           "[[events]]\nid = \"e\"\nstep = 1\n"
                           "anchor = [ { from = \"ARM\", to = \"RUS\", set = -0.4 } ]\n";
  const Scenario s = load_scenario_text(text, "t.toml").scenario;
  const std::string shown = to_toml(s);
  EXPECT_NE(shown.find("anchor = \"equilibrium\"\n"), std::string::npos);
  EXPECT_EQ(shown.find("ideal ="), std::string::npos);
  EXPECT_NE(shown.find("anchor = [{ from = \"ARM\", to = \"RUS\", set = -0.4, mutual = false }]"),
            std::string::npos)
      << shown;
  EXPECT_EQ(load_scenario_text(shown, "shown.toml").scenario, s);
}

}  // namespace
}  // namespace entente

namespace entente {
namespace {

TEST(AnchorsAtRest, ATinyRateKeepsTheStateFinite) {
  Scenario s = three(AnchorMode::equilibrium);
  s.rates.memory = 1e-300;
  for (auto& a : s.actors) a.stubbornness = 1e-300;
  const Model m = compile(s);
  EXPECT_EQ(m.memory_target(0, 2), -1e6);  // -0.1865 / 1e-300, bounded
  EXPECT_EQ(m.ideal(0, 0), 1e6);           // +0.081 / 1e-300, bounded
  State st = initial_state(m);
  Rng rng(1);
  Workspace ws = make_workspace(m);
  for (int t = 0; t < 5; ++t) {
    step(m, st, ws, rng);
    ASSERT_TRUE(st.x.allFinite() && st.R.allFinite());
    ASSERT_TRUE((st.R.array().abs() <= 1.0).all() && (st.x.array().abs() <= 1.0).all());
  }
}

}  // namespace
}  // namespace entente
