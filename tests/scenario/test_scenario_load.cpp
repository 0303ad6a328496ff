// Loading scenario files: defaults, the matrices' fill rules, `extends`,
// `--set` overrides and the recorded input files (MODEL.md §4).
#include <gtest/gtest.h>

#include <filesystem>
#include <vector>

#include "entente/scenario/scenario_io.hpp"
#include "util/sha256.hpp"

namespace entente {
namespace {

// Tests read files relative to the source root, as ctest runs them.
const bool kInSourceRoot = [] {
  std::filesystem::current_path(ENTENTE_SOURCE_DIR);
  return true;
}();

const std::string kData = "tests/data/scenarios/";

LoadedScenario load(const std::string& file, const std::vector<std::string>& sets = {}) {
  std::vector<Override> overrides;
  for (const auto& s : sets) overrides.push_back(parse_override(s));
  return load_scenario(kData + file, overrides);
}

TEST(ScenarioLoad, MinimalScenarioGetsTheDocumentedDefaults) {
  const LoadedScenario loaded = load("minimal.toml");
  const Scenario& s = loaded.scenario;
  EXPECT_EQ(s.name, "Minimal");
  EXPECT_EQ(s.description, "");
  EXPECT_EQ(s.steps, 3);
  EXPECT_EQ(s.step_unit, StepUnit::step);
  EXPECT_FALSE(s.start.has_value());
  EXPECT_EQ(s.seed, 0u);
  EXPECT_EQ(s.runs, 1);
  EXPECT_EQ(s.rates, Rates{});
  EXPECT_EQ(s.rates.power_exponent, 1.0);
  EXPECT_TRUE(s.axes.empty());
  ASSERT_EQ(s.actor_count(), 2);
  EXPECT_EQ(s.actors[0].id, "A");
  EXPECT_EQ(s.actors[0].name, "A");
  EXPECT_EQ(s.actors[1].power, 2.0);
  EXPECT_EQ(s.actors[1].stubbornness, 0.0);
  EXPECT_TRUE(s.actors[1].position.empty());
  EXPECT_FALSE(s.actors[1].noise.has_value());
  EXPECT_EQ(s.affinity, (Matrix{{1, 0}, {0, 1}}));
  EXPECT_EQ(s.weights, (Matrix{{1, 1}, {1, 1}}));
  EXPECT_EQ(s.interdependence, (Matrix{{0, 0}, {0, 0}}));
  EXPECT_TRUE(s.institutions.empty());
  EXPECT_TRUE(s.issues.empty());
  EXPECT_TRUE(s.events.empty());
  EXPECT_FALSE(s.output.observables_given);
  EXPECT_EQ(s.output.observables, default_observables(s));
  EXPECT_FALSE(s.output.blocs);
  EXPECT_EQ(s.output.bloc_anchor, 0);
  EXPECT_TRUE(loaded.warnings.empty());
}

TEST(ScenarioLoad, EverySectionIsRead) {
  const Scenario s = load("small.toml").scenario;
  EXPECT_EQ(s.description, "Three actors, one axis");
  EXPECT_EQ(s.step_unit, StepUnit::month);
  EXPECT_EQ(s.start, (StartDate{2025, 4, 0}));
  EXPECT_EQ(s.seed, 7u);
  EXPECT_EQ(s.runs, 5);
  EXPECT_EQ(s.rates.influence, 0.1);
  EXPECT_EQ(s.rates.memory, 1.0);
  EXPECT_EQ(s.rates.power_exponent, 0.5);
  EXPECT_EQ(s.rates.stakes, 0.0);
  ASSERT_EQ(s.axes.size(), 1u);
  EXPECT_EQ(s.axes[0], (Axis{"orientation", "Russia-led", "Euro-Atlantic"}));
  const Actor& arm = s.actors[0];
  EXPECT_EQ(arm.name, "Armenia");
  EXPECT_EQ(arm.position, std::vector<double>{0.1});
  EXPECT_EQ(arm.ideal, std::vector<double>{0.4});
  EXPECT_EQ(arm.noise, 0.02);
  EXPECT_EQ(s.actors[1].ideal, std::vector<double>{-0.9});  // ideal defaults to the position
  EXPECT_EQ(s.actors[2].position, std::vector<double>{-0.2});
  ASSERT_EQ(s.institutions.size(), 1u);
  EXPECT_EQ(s.institutions[0].cohesion, 1.0);
  EXPECT_EQ(s.institutions[0].members, (std::vector<double>{0.2, 1.0, 0.0}));
  ASSERT_EQ(s.issues.size(), 1u);
  const Issue& q = s.issues[0];
  EXPECT_EQ(q.name, "corridor");
  EXPECT_EQ(q.regime, 0);
  EXPECT_EQ(q.salience, (std::vector<double>{0.8, 1.0, 1.0}));
  EXPECT_EQ(q.utility, (Matrix{{0, 1, -1}, {0, 0, 0}, {0, 0, 1}}));
  EXPECT_EQ(s.output.blocs, true);
  EXPECT_EQ(s.output.bloc_anchor, 1);
  EXPECT_TRUE(s.output.observables_given);
  EXPECT_EQ(s.output.observables, (std::vector<Observable>{{Observable::Kind::affinity, 0, 1},
                                                           {Observable::Kind::position, 0, 0},
                                                           {Observable::Kind::regime, 0, -1}}));
}

TEST(ScenarioLoad, AffinityGivenOneWayHoldsBothWays) {
  const Scenario s = load("small.toml").scenario;
  // ARM = { RUS = 0.1, AZE = -0.8 }, RUS = { ARM = 0.3 }
  EXPECT_EQ(s.affinity, (Matrix{{1.0, 0.1, -0.8}, {0.3, 1.0, 0.0}, {-0.8, 0.0, 1.0}}));
}

TEST(ScenarioLoad, WeightsAndInterdependenceAreDirected) {
  const Scenario s = load("small.toml").scenario;
  EXPECT_EQ(s.weights, (Matrix{{1, 1.5, 1}, {1, 1, 1}, {1, 1, 1}}));
  EXPECT_EQ(s.interdependence, (Matrix{{0, 0.4, 0}, {0, 0, 0}, {0, 0, 0}}));
}

TEST(ScenarioLoad, EventsAndEffects) {
  const Scenario s = load("small.toml").scenario;
  ASSERT_EQ(s.events.size(), 3u);
  const Event& exit = s.events[0];
  EXPECT_EQ(exit.name, "Armenia leaves the CSTO");
  EXPECT_EQ(exit.step, 6);
  EXPECT_TRUE(exit.when_text.empty());
  EXPECT_FALSE(exit.repeat);
  EXPECT_TRUE(exit.enabled);
  EXPECT_EQ(exit.effects.membership, (std::vector<MembershipEffect>{{0, 0, 0.0}}));
  EXPECT_EQ(exit.effects.affinity,
            (std::vector<AffinityEffect>{{1, 0, EffectMode::delta, -0.15, false}}));

  const Event& rupture = s.events[1];
  EXPECT_EQ(rupture.name, "rupture");
  EXPECT_EQ(rupture.description, "A \"quoted\" description\twith a tab");
  EXPECT_FALSE(rupture.step.has_value());
  EXPECT_EQ(rupture.when_text, "affinity(RUS,ARM) < -0.3 and step >= 2");
  EXPECT_EQ(rupture.when.nodes.size(), 3u);
  EXPECT_TRUE(rupture.repeat);
  const Effects& fx = rupture.effects;
  EXPECT_EQ(fx.position, (std::vector<PositionEffect>{{0, 0, EffectMode::set, 0.5}}));
  EXPECT_EQ(fx.regime, (std::vector<RegimeEffect>{{0, 1}}));
  EXPECT_EQ(fx.affinity, (std::vector<AffinityEffect>{{0, 2, EffectMode::set, 0.2, true},
                                                      {2, 1, EffectMode::delta, 0.1, false}}));
  EXPECT_EQ(fx.parameter, (std::vector<ParameterEffect>{{1, 0.1}}));
  EXPECT_EQ(fx.interdependence, (std::vector<LinkEffect>{{0, 1, EffectMode::scale, 0.5, true}}));
  EXPECT_EQ(fx.weights, (std::vector<LinkEffect>{{0, 2, EffectMode::set, 2.0, false}}));

  EXPECT_FALSE(s.events[2].enabled);
}

TEST(ScenarioLoad, ExtendsMergesTablesAndElementsById) {
  const Scenario s = load("ext/child.toml").scenario;
  EXPECT_EQ(s.name, "Child");
  EXPECT_EQ(s.steps, 10);             // from the base
  EXPECT_EQ(s.seed, 1u);              // from the base
  EXPECT_EQ(s.rates.influence, 0.1);  // from the base
  EXPECT_EQ(s.rates.memory, 0.3);     // replaced
  ASSERT_EQ(s.actor_count(), 3);
  EXPECT_EQ(s.actors[0].id, "ARM");
  EXPECT_EQ(s.actors[0].stubbornness, 0.4);  // replaced
  EXPECT_EQ(s.actors[0].power, 1.0);         // kept
  EXPECT_EQ(s.actors[0].position, std::vector<double>{0.1});
  EXPECT_EQ(s.actors[1].id, "RUS");
  EXPECT_EQ(s.actors[2].id, "GEO");  // appended
  EXPECT_EQ(s.affinity[0][1], 0.2);
  EXPECT_EQ(s.affinity[1][0], 0.2);
  ASSERT_EQ(s.events.size(), 2u);
  EXPECT_EQ(s.events[0].id, "first");
  EXPECT_FALSE(s.events[0].enabled);  // switched off
  EXPECT_EQ(s.events[0].step, 2);     // the rest kept
  EXPECT_EQ(s.events[0].effects.affinity.size(), 1u);
  EXPECT_TRUE(s.events[1].enabled);
}

TEST(ScenarioLoad, ExtendsChainsAcrossDirectories) {
  const LoadedScenario loaded = load("ext/sub/grandchild.toml");
  const Scenario& s = loaded.scenario;
  EXPECT_EQ(s.name, "Grandchild");
  EXPECT_EQ(s.runs, 4);
  EXPECT_EQ(s.rates.memory, 0.3);  // from the child
  EXPECT_EQ(s.actors[0].stubbornness, 0.4);
  ASSERT_EQ(s.actor_count(), 3);
  EXPECT_EQ(s.affinity[2][1], -0.5);  // GEO -> RUS
  EXPECT_EQ(s.affinity[1][2], -0.5);  // filled
  EXPECT_EQ(s.affinity[0][1], 0.2);   // from the base
  ASSERT_EQ(s.events.size(), 3u);
  EXPECT_EQ(s.events[2].id, "third");
  EXPECT_FALSE(s.events[0].enabled);
}

TEST(ScenarioLoad, InputFilesAreRecordedWithTheirDigests) {
  const LoadedScenario loaded = load("ext/sub/grandchild.toml");
  // Digests computed with sha256sum.
  ASSERT_EQ(loaded.files.size(), 3u);
  EXPECT_EQ(loaded.files[0].path, "tests/data/scenarios/ext/sub/grandchild.toml");
  EXPECT_EQ(loaded.files[0].sha256,
            "6c362636eabd652e4ed7eb8fbdfebf4ffebeb0ac24798790b86c024c785978c3");
  EXPECT_EQ(loaded.files[1].path, "tests/data/scenarios/ext/child.toml");
  EXPECT_EQ(loaded.files[1].sha256,
            "feca006d63c5e049be5acfa169d8228c2b25f381775377b821aefb0ef10c83f9");
  EXPECT_EQ(loaded.files[2].path, "tests/data/scenarios/ext/base.toml");
  EXPECT_EQ(loaded.files[2].sha256,
            "1229528543d3474fabdd315952e85746cd26d929a35eaba321ad802b78f30995");
}

TEST(ScenarioLoad, Sha256OfKnownText) {
  // printf 'abc\n' | sha256sum
  EXPECT_EQ(detail::sha256_hex("abc\n"),
            "edeaaff3f1774ad2888673770c6d64097e391bc362d7d6fb34982ddf0efd18cb");
  EXPECT_EQ(detail::sha256_hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(ScenarioLoad, TextExtendsRelativeToBaseDir) {
  const LoadedScenario loaded = load_scenario_text(
      "[scenario]\nname = \"Mem\"\nextends = \"base.toml\"\n", "mem.toml", {}, kData + "ext");
  EXPECT_EQ(loaded.scenario.name, "Mem");
  EXPECT_EQ(loaded.scenario.actor_count(), 2);
  ASSERT_EQ(loaded.files.size(), 2u);
  EXPECT_EQ(loaded.files[0].path, "mem.toml");
  EXPECT_EQ(loaded.files[0].sha256,
            detail::sha256_hex("[scenario]\nname = \"Mem\"\nextends = \"base.toml\"\n"));
  EXPECT_EQ(loaded.files[1].path, "tests/data/scenarios/ext/base.toml");
}

TEST(ScenarioLoad, ParseOverrideSplitsAtTheFirstEquals) {
  const Override o = parse_override("issues.q.regime=a=b");
  EXPECT_EQ(o.text, "issues.q.regime=a=b");
  EXPECT_EQ(o.path, "issues.q.regime");
  EXPECT_EQ(o.value, "a=b");
}

TEST(ScenarioLoad, OverridesOfEveryPathKind) {
  const Scenario s =
      load("small.toml",
           {"model.balance=0.2", "scenario.runs=9", "actors.ARM.stubbornness=0.3",
            "actors.ARM.position.orientation=-0.25", "institutions.CSTO.members.ARM=0.7",
            "issues.corridor.regime=\"extraterritorial\"",
            "issues.corridor.utility.ARM.armenian_control=0.5", "events.csto_exit.step=8",
            "affinity.ARM.RUS=0.6", "weights.ARM.RUS=2", "output.blocs=false"})
          .scenario;
  EXPECT_EQ(s.rates.balance, 0.2);
  EXPECT_EQ(s.runs, 9);
  EXPECT_EQ(s.actors[0].stubbornness, 0.3);
  EXPECT_EQ(s.actors[0].position, std::vector<double>{-0.25});
  EXPECT_EQ(s.institutions[0].members[0], 0.7);
  EXPECT_EQ(s.issues[0].regime, 2);
  EXPECT_EQ(s.issues[0].utility[0][1], 0.5);
  EXPECT_EQ(s.issues[0].utility[0][2], -1.0);  // the rest of the row kept
  EXPECT_EQ(s.events[0].step, 8);
  EXPECT_EQ(s.affinity[0][1], 0.6);
  EXPECT_EQ(s.affinity[1][0], 0.3);  // given in the file: no fill
  EXPECT_EQ(s.weights[0][1], 2.0);
  EXPECT_FALSE(s.output.blocs);
}

TEST(ScenarioLoad, OverridesCreateMissingTables) {
  const Scenario s =
      load("small.toml", {"affinity.AZE.RUS=-0.4", "actors.RUS.ideal.orientation=0.2",
                          "interdependence.RUS.AZE=0.25"})
          .scenario;
  EXPECT_EQ(s.affinity[2][1], -0.4);
  EXPECT_EQ(s.affinity[1][2], -0.4);  // filled: RUS -> AZE is not given
  EXPECT_EQ(s.actors[1].ideal, std::vector<double>{0.2});
  EXPECT_EQ(s.actors[1].position, std::vector<double>{-0.9});
  EXPECT_EQ(s.interdependence[1][2], 0.25);

  const Scenario m = load("minimal.toml", {"weights.A.B=3", "scenario.step_unit=year"}).scenario;
  EXPECT_EQ(m.weights, (Matrix{{1, 3}, {1, 1}}));
  EXPECT_EQ(m.step_unit, StepUnit::year);  // a bare word is a string
}

TEST(ScenarioLoad, OverrideValueThatIsNotTomlIsAString) {
  const Scenario s = load("small.toml", {"issues.corridor.regime=armenian_control",
                                         "scenario.start=2026-01", "scenario.name=A new name"})
                         .scenario;
  EXPECT_EQ(s.issues[0].regime, 1);
  EXPECT_EQ(s.start, (StartDate{2026, 1, 0}));
  EXPECT_EQ(s.name, "A new name");
}

TEST(ScenarioLoad, OverridesApplyInOrderAndBeforeValidation) {
  const Scenario s = load("small.toml", {"model.balance=5", "model.balance=0.3"}).scenario;
  EXPECT_EQ(s.rates.balance, 0.3);
  // An event switched off from the command line.
  const Scenario t = load("ext/child.toml", {"events.second.enabled=false"}).scenario;
  EXPECT_FALSE(t.events[1].enabled);
}

TEST(ScenarioLoad, StartAcceptsEveryPrecisionAndTomlDates) {
  const auto start = [](const std::string& value) {
    return load_scenario_text("[scenario]\nname = \"d\"\nsteps = 1\nstep_unit = \"day\"\nstart = " +
                                  value + "\n[[actors]]\nid = \"A\"\npower = 1\n",
                              "d.toml")
        .scenario.start;
  };
  EXPECT_EQ(start("\"2025\""), (StartDate{2025, 0, 0}));
  EXPECT_EQ(start("\"2024-02\""), (StartDate{2024, 2, 0}));
  EXPECT_EQ(start("\"2024-02-29\""), (StartDate{2024, 2, 29}));
  EXPECT_EQ(start("2025-04-15"), (StartDate{2025, 4, 15}));
}

TEST(ScenarioLoad, WarnsAboutEventsThatCannotMatter) {
  const LoadedScenario loaded = load_scenario_text(R"([scenario]
name = "w"
steps = 5
[[actors]]
id = "A"
power = 1
[[actors]]
id = "B"
power = 1
[[events]]
id = "late"
step = 9
affinity = [ { from = "A", to = "B", delta = 0.1 } ]
[[events]]
id = "idle"
step = 2
[[events]]
id = "off"
step = 7
enabled = false
)",
                                                   "w.toml");
  ASSERT_EQ(loaded.warnings.size(), 2u);
  EXPECT_EQ(to_string(loaded.warnings[0]),
            "w.toml:12:8: warning: event 'late' is at step 9, after the last step (5); it never "
            "fires");
  EXPECT_EQ(to_string(loaded.warnings[1]), "w.toml:14:1: warning: event 'idle' has no effects");
}

}  // namespace
}  // namespace entente
