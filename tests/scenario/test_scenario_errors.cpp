// Every class of scenario error, with the exact message a user sees:
// `FILE:LINE:COL: error: …`, naming what would be valid (MODEL.md §4).
#include <gtest/gtest.h>

#include <filesystem>
#include <vector>

#include "entente/scenario/scenario_io.hpp"
#include "support.hpp"

namespace entente {
namespace {

// Tests read files relative to the source root, as ctest runs them.
const bool kInSourceRoot = [] {
  std::filesystem::current_path(ENTENTE_SOURCE_DIR);
  return true;
}();

// The message of the InputError thrown by loading `text` as `t.toml` with the
// given `--set` arguments, or "no error".
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

std::string file_error(const std::string& file) {
  try {
    load_scenario("tests/data/scenarios/errors/" + file);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

// Lines 1-13: a valid scenario with the axis `orientation` and the actors ARM
// and RUS; text appended to it starts at line 14.
const std::string kHead = testing::kTwoActorHead;

// Lines 1-6: a scenario with the single actor ARM and no axes; line 7 on is free.
const std::string kOne =
    "[scenario]\nname = \"t\"\nsteps = 10\n[[actors]]\nid = \"ARM\"\npower = 1\n";

TEST(ScenarioErrors, HeadIsValid) {
  EXPECT_EQ(error_of(kHead), "no error");
  EXPECT_EQ(error_of(kOne), "no error");
}

TEST(ScenarioErrors, TomlSyntaxError) {
  EXPECT_EQ(file_error("syntax.toml"),
            "tests/data/scenarios/errors/syntax.toml:3:15: error: Error while parsing array: "
            "encountered end-of-file");
  EXPECT_EQ(error_of("[scenario]\nname = \"t\"\nname = \"u\"\n"),
            "t.toml:3:8: error: Error while parsing key-value pair: cannot redefine existing "
            "string 'name'");
}

TEST(ScenarioErrors, UnknownKeysNameTheNearestValidOne) {
  EXPECT_EQ(error_of(kHead + "[actor]\nid = \"X\"\n"),
            "t.toml:14:2: error: unknown top-level key 'actor' (did you mean 'actors'?)");
  EXPECT_EQ(error_of(kHead + "[model]\nbalanse = 0.1\n"),
            "t.toml:15:1: error: unknown key 'balanse' in [model] (did you mean 'balance'?)");
  EXPECT_EQ(error_of(kHead + "[[actors]]\nid = \"AZE\"\npowr = 1\n"),
            "t.toml:16:1: error: unknown key 'powr' in actors.AZE (did you mean 'power'?)");
  EXPECT_EQ(error_of(kHead + "[[events]]\nid = \"e\"\nstep = 1\n"
                             "affinity = [ { from = \"ARM\", to = \"RUS\", delt = 0.1 } ]\n"),
            "t.toml:17:42: error: unknown key 'delt' in events.e.affinity[0] (did you mean "
            "'delta'?)");
  EXPECT_EQ(error_of(kHead + "[scenario.x]\n"),
            "t.toml:14:11: error: unknown key 'x' in [scenario] (valid: name, description, "
            "extends, steps, step_unit, start, seed, runs)");
}

TEST(ScenarioErrors, UnknownIdsNameTheNearestValidOne) {
  EXPECT_EQ(error_of(kHead + "[affinity]\nARM = { RSU = 0.1 }\n"),
            "t.toml:15:9: error: unknown actor 'RSU' in affinity.ARM (did you mean 'RUS'?)");
  EXPECT_EQ(error_of(kHead + "[affinity]\nARN = { RUS = 0.1 }\n"),
            "t.toml:15:1: error: unknown actor 'ARN' in [affinity] (did you mean 'ARM'?)");
  EXPECT_EQ(error_of("[scenario]\nname = \"t\"\nsteps = 10\n[[axes]]\nid = \"orientation\"\n"
                     "[[actors]]\nid = \"ARM\"\npower = 1\nposition = { orientaton = 0.1 }\n"),
            "t.toml:9:14: error: unknown axis 'orientaton' in actors.ARM.position (did you mean "
            "'orientation'?)");
  EXPECT_EQ(error_of(kHead + "[[institutions]]\nid = \"CSTO\"\nmembers = { RSU = 1.0 }\n"),
            "t.toml:16:13: error: unknown actor 'RSU' in institutions.CSTO.members (did you "
            "mean 'RUS'?)");
  EXPECT_EQ(error_of(kHead + "[[events]]\nid = \"e\"\nstep = 1\n"
                             "affinity = [ { from = \"RUS\", to = \"ARN\", delta = 0.1 } ]\n"),
            "t.toml:17:35: error: unknown actor 'ARN' in events.e.affinity[0].to (did you mean "
            "'ARM'?)");
  EXPECT_EQ(error_of(kHead + "[output]\nbloc_anchor = \"RSU\"\n"),
            "t.toml:15:15: error: unknown actor 'RSU' in output.bloc_anchor (did you mean "
            "'RUS'?)");
  EXPECT_EQ(error_of(kHead + "[[issues]]\nid = \"corridor\"\noptions = [\"closed\", \"open\"]\n"
                             "regime = \"opne\"\n"),
            "t.toml:17:10: error: unknown option 'opne' in issues.corridor.regime (did you mean "
            "'open'?)");
  EXPECT_EQ(error_of(kHead + "[[issues]]\nid = \"corridor\"\noptions = [\"closed\", \"open\"]\n"
                             "[issues.utility]\nARM = { clsoed = 1 }\n"),
            "t.toml:18:9: error: unknown option 'clsoed' in issues.corridor.utility.ARM (did you "
            "mean 'closed'?)");
  EXPECT_EQ(error_of(kHead + "[[events]]\nid = \"e\"\nstep = 1\n"
                             "parameter = [ { name = \"balanse\", value = 0.1 } ]\n"),
            "t.toml:17:24: error: unknown [model] key 'balanse' in events.e.parameter[0].name "
            "(did you mean 'balance'?)");
  EXPECT_EQ(error_of("[scenario]\nname = \"t\"\nsteps = 10\nstep_unit = \"months\"\n"),
            "t.toml:4:13: error: unknown step_unit 'months' in scenario.step_unit (did you mean "
            "'month'?)");
}

TEST(ScenarioErrors, OutOfRange) {
  EXPECT_EQ(error_of(kOne + "stubbornness = 1.5\n"),
            "t.toml:7:16: error: actors.ARM.stubbornness must be in [0, 1] (got 1.5)");
  EXPECT_EQ(error_of(kHead + "[affinity]\nARM = { RUS = -1.5 }\n"),
            "t.toml:15:15: error: affinity.ARM.RUS must be in [-1, 1] (got -1.5)");
  EXPECT_EQ(error_of("[scenario]\nname = \"t\"\nsteps = 0\n"),
            "t.toml:3:9: error: scenario.steps must be >= 1 (got 0)");
  EXPECT_EQ(error_of("[scenario]\nname = \"t\"\nsteps = 1\n[[actors]]\nid = \"A\"\npower = 0\n"),
            "t.toml:6:9: error: actors.A.power must be > 0 (got 0)");
  EXPECT_EQ(error_of(kHead + "[weights]\nARM = { RUS = -1 }\n"),
            "t.toml:15:15: error: weights.ARM.RUS must be in [0, 1000000] (got -1)");
  EXPECT_EQ(error_of(kHead + "[model]\npower_exponent = 11\n"),
            "t.toml:15:18: error: model.power_exponent must be in [0, 10] (got 11)");
}

TEST(ScenarioErrors, PlayFog) {
  // Valid: none, hidden, σ > 0; and through --set.
  EXPECT_EQ(error_of(kHead + "[play]\nfog = \"none\"\n"), "no error");
  EXPECT_EQ(error_of(kHead + "[play]\nfog = \"hidden\"\n"), "no error");
  EXPECT_EQ(error_of(kHead + "[play]\nfog = 0.1\n"), "no error");
  EXPECT_EQ(error_of(kHead, {"play.fog=0.2"}), "no error");
  const Scenario s = load_scenario_text(kHead + "[play]\nfog = 0.25\n", "t.toml").scenario;
  EXPECT_EQ(s.play.fog, PlaySpec::Fog::noisy);
  EXPECT_EQ(s.play.fog_sigma, 0.25);
  EXPECT_EQ(load_scenario_text(to_toml(s), "again.toml").scenario.play, s.play);
  // Invalid.
  EXPECT_EQ(error_of(kHead + "[play]\nfog = 0\n"),
            "t.toml:15:7: error: play.fog as a number is the error σ a team sees other actors with "
            "and must be in (0, 10] (or write \"none\" or \"hidden\")");
  EXPECT_EQ(error_of(kHead + "[play]\nfog = \"hiden\"\n"),
            "t.toml:15:7: error: unknown fog 'hiden' in play.fog (did you mean 'hidden'?)");
  EXPECT_EQ(
      error_of(kHead + "[play]\nfog = true\n"),
      "t.toml:15:7: error: play.fog must be \"none\", \"hidden\" or a number σ > 0, not a boolean");
  EXPECT_EQ(error_of(kHead + "[play]\nfgo = 0.1\n"),
            "t.toml:15:1: error: unknown key 'fgo' in [play] (did you mean 'fog'?)");
}

TEST(ScenarioErrors, NanAndInf) {
  EXPECT_EQ(error_of("[scenario]\nname = \"t\"\nsteps = 1\n[[actors]]\nid = \"A\"\npower = nan\n"),
            "t.toml:6:9: error: actors.A.power must be a finite number (got nan)");
  EXPECT_EQ(error_of(kOne + "[model]\nbalance = inf\n"),
            "t.toml:8:11: error: model.balance must be a finite number (got inf)");
  EXPECT_EQ(error_of(kHead + "[weights]\nARM = { RUS = -inf }\n"),
            "t.toml:15:15: error: weights.ARM.RUS must be a finite number (got -inf)");
}

TEST(ScenarioErrors, WrongType) {
  EXPECT_EQ(error_of("[scenario]\nname = \"t\"\nsteps = 3.5\n"),
            "t.toml:3:9: error: scenario.steps must be an integer, not a float");
  EXPECT_EQ(error_of("[scenario]\nname = 5\nsteps = 3\n"),
            "t.toml:2:8: error: scenario.name must be a string, not an integer");
  EXPECT_EQ(
      error_of("[scenario]\nname = \"t\"\nsteps = 1\n[[actors]]\nid = \"A\"\npower = \"big\"\n"),
      "t.toml:6:9: error: actors.A.power must be a number, not a string");
  EXPECT_EQ(error_of(kOne + "[output]\nblocs = 1\n"),
            "t.toml:8:9: error: output.blocs must be a boolean (true or false), not an integer");
  EXPECT_EQ(error_of(kOne + "[affinity]\nARM = 0.5\n"),
            "t.toml:8:7: error: affinity.ARM must be a table of actor id = value, not a float");
  EXPECT_EQ(
      error_of(kHead + "[[events]]\nid = \"e\"\nstep = 1\n[events.affinity]\nfrom = \"ARM\"\n"),
      "t.toml:17:1: error: events.e.affinity must be an array of tables ([[events.affinity]] "
      "or affinity = [ {…} ]), not a table");
  EXPECT_EQ(error_of("actors = 3\n[scenario]\nname = \"t\"\nsteps = 1\n"),
            "t.toml:1:10: error: actors must be an array of tables ([[actors]]), not an integer");
}

TEST(ScenarioErrors, MissingRequiredKeys) {
  EXPECT_EQ(error_of("[scenario]\nsteps = 1\n[[actors]]\nid = \"A\"\npower = 1\n"),
            "t.toml:1:1: error: missing required key 'name' in [scenario]");
  EXPECT_EQ(error_of("[scenario]\nname = \"t\"\n[[actors]]\nid = \"A\"\npower = 1\n"),
            "t.toml:1:1: error: missing required key 'steps' in [scenario]");
  EXPECT_EQ(error_of("[scenario]\nname = \"t\"\nsteps = 1\n[[actors]]\nid = \"A\"\n"),
            "t.toml:4:1: error: missing required key 'power' in actors.A");
  EXPECT_EQ(error_of("[scenario]\nname = \"t\"\nsteps = 1\n[[actors]]\npower = 1\n"),
            "t.toml:4:1: error: missing required key 'id' in actors[0]");
  EXPECT_EQ(error_of("[scenario]\nname = \"t\"\nsteps = 10\n[[axes]]\nid = \"orientation\"\n"
                     "[[axes]]\nid = \"economy\"\n[[actors]]\nid = \"ARM\"\npower = 1\n"
                     "position = { orientation = 0.1 }\n"),
            "t.toml:11:12: error: missing axis 'economy' in actors.ARM.position (every axis "
            "needs a value)");
  EXPECT_EQ(error_of("[scenario]\nname = \"t\"\nsteps = 10\n[[axes]]\nid = \"orientation\"\n"
                     "[[actors]]\nid = \"ARM\"\npower = 1\n"),
            "t.toml:6:1: error: missing required key 'position' in actors.ARM");
  EXPECT_EQ(error_of("[[actors]]\nid = \"A\"\npower = 1\n"),
            "t.toml:1:1: error: missing required table [scenario] (with name and steps)");
  EXPECT_EQ(error_of("[scenario]\nname = \"t\"\nsteps = 1\n"),
            "t.toml:1:1: error: a scenario needs at least one actor ([[actors]] with id, power "
            "and position)");
  EXPECT_EQ(error_of(kHead + "[[issues]]\nid = \"q\"\n"),
            "t.toml:14:1: error: missing required key 'options' in issues.q");
}

TEST(ScenarioErrors, EmptyValues) {
  EXPECT_EQ(error_of("[scenario]\nname = \"\"\nsteps = 1\n"),
            "t.toml:2:8: error: scenario.name must not be empty");
  EXPECT_EQ(error_of(kHead + "[[issues]]\nid = \"q\"\noptions = []\n"),
            "t.toml:16:11: error: issues.q.options must list at least one option");
  EXPECT_EQ(error_of(kHead + "[output]\nobservables = []\n"),
            "t.toml:15:15: error: output.observables must not be empty (leave it out for the "
            "default: every position and affinity)");
}

TEST(ScenarioErrors, DuplicateIds) {
  EXPECT_EQ(
      error_of(kHead + "[[actors]]\nid = \"ARM\"\npower = 1\nposition = { orientation = 0 }\n"),
      "t.toml:15:6: error: duplicate actor id 'ARM' (first defined at t.toml:7:6)");
  EXPECT_EQ(error_of(kHead + "[[issues]]\nid = \"q\"\noptions = [\"a\", \"b\", \"a\"]\n"),
            "t.toml:16:22: error: duplicate option 'a' in issues.q.options");
  EXPECT_EQ(error_of(kHead + "[output]\nobservables = [\"step\", \"step\"]\n"),
            "t.toml:15:24: error: output.observables lists 'step' twice");
}

TEST(ScenarioErrors, BadIdSyntax) {
  EXPECT_EQ(error_of("[scenario]\nname = \"t\"\nsteps = 1\n[[actors]]\nid = \"1ARM\"\npower = 1\n"),
            "t.toml:5:6: error: invalid actor id '1ARM' (an id starts with a letter, followed by "
            "letters, digits or '_')");
  EXPECT_EQ(error_of(kHead + "[[issues]]\nid = \"q\"\noptions = [\"closed\", \"open door\"]\n"),
            "t.toml:16:22: error: invalid option id 'open door' (an id starts with a letter, "
            "followed by letters, digits or '_')");
}

TEST(ScenarioErrors, StepAndWhen) {
  EXPECT_EQ(error_of(kHead + "[[events]]\nid = \"e\"\nstep = 2\nwhen = \"step > 3\"\n"),
            "t.toml:17:1: error: events.e has both 'step' and 'when'; give exactly one");
  EXPECT_EQ(error_of(kHead + "[[events]]\nid = \"e\"\n"),
            "t.toml:14:1: error: events.e needs 'step' (the step it fires at) or 'when' (a "
            "condition)");
  EXPECT_EQ(error_of(kHead + "[[events]]\nid = \"e\"\nstep = 2\nrepeat = true\n"),
            "t.toml:17:10: error: events.e.repeat = true needs 'when'; an event with 'step' "
            "fires once");
}

TEST(ScenarioErrors, BadWhenPointsInsideTheString) {
  EXPECT_EQ(error_of(kHead + "[[events]]\nid = \"e\"\nwhen = \"affinity(ARM,RUS) <> 0\"\n"),
            "t.toml:16:28: error: expected a number after the comparison");
  EXPECT_EQ(error_of(kHead + "[[events]]\nid = \"e\"\nwhen = \"afinity(ARM,RUS) < 0\"\n"),
            "t.toml:16:9: error: unknown observable 'afinity' (did you mean 'affinity'?)");
  EXPECT_EQ(error_of(kHead + "[[events]]\nid = \"e\"\nwhen = \"affinity(ARM,RSU) < 0\"\n"),
            "t.toml:16:22: error: unknown actor 'RSU' (did you mean 'RUS'?)");
  EXPECT_EQ(error_of(kHead + "[output]\nobservables = [\"step\", \"position(ARM,orientaton)\"]\n"),
            "t.toml:15:38: error: unknown axis 'orientaton' (did you mean 'orientation'?)");
}

TEST(ScenarioErrors, Dates) {
  EXPECT_EQ(error_of("[scenario]\nname = \"t\"\nsteps = 10\nstart = \"2025-04\"\n"),
            "t.toml:4:9: error: scenario.start needs a calendar step_unit (day, week, month, "
            "quarter or year), but step_unit is 'step'");
  EXPECT_EQ(error_of("[scenario]\nname = \"t\"\nsteps = 10\nstep_unit = \"day\"\n"
                     "start = \"2025-02-29\"\n"),
            "t.toml:5:9: error: scenario.start is not a real date (got \"2025-02-29\")");
  EXPECT_EQ(error_of("[scenario]\nname = \"t\"\nsteps = 10\nstep_unit = \"day\"\n"
                     "start = \"April 2025\"\n"),
            "t.toml:5:9: error: scenario.start must be a date \"YYYY\", \"YYYY-MM\" or "
            "\"YYYY-MM-DD\" (got \"April 2025\")");
  EXPECT_EQ(error_of("[scenario]\nname = \"t\"\nsteps = 10\nstep_unit = \"day\"\nstart = 2025\n"),
            "t.toml:5:9: error: scenario.start must be a date (\"YYYY\", \"YYYY-MM\", "
            "\"YYYY-MM-DD\" or a TOML local date), not an integer");
}

TEST(ScenarioErrors, SelfPairs) {
  EXPECT_EQ(error_of(kHead + "[[events]]\nid = \"e\"\nstep = 1\n"
                             "affinity = [ { from = \"ARM\", to = \"ARM\", delta = 0.1 } ]\n"),
            "t.toml:17:35: error: events.e.affinity[0]: from and to are both 'ARM'; an effect "
            "needs two different actors");
  EXPECT_EQ(error_of(kHead + "[weights]\nARM = { ARM = 2 }\n"),
            "t.toml:15:9: error: self pair 'weights.ARM.ARM' is not allowed; give pairs of two "
            "different actors");
  EXPECT_EQ(error_of(kHead + "[affinity.ARM]\nARM = 1\n"),
            "t.toml:15:1: error: self pair 'affinity.ARM.ARM' is not allowed; give pairs of two "
            "different actors");
}

TEST(ScenarioErrors, EffectNeedsExactlyOneMode) {
  EXPECT_EQ(
      error_of(kHead + "[[events]]\nid = \"e\"\nstep = 1\n"
                       "affinity = [ { from = \"ARM\", to = \"RUS\", delta = 0.1, set = 0.2 } ]\n"),
      "t.toml:17:55: error: events.e.affinity[0] has both 'delta' and 'set'; give exactly "
      "one");
  EXPECT_EQ(error_of(kHead + "[[events]]\nid = \"e\"\nstep = 1\n"
                             "[[events.weights]]\nfrom = \"ARM\"\nto = \"RUS\"\n"),
            "t.toml:17:1: error: events.e.weights[0] needs 'scale' or 'set'");
}

TEST(ScenarioErrors, CyclicExtends) {
  EXPECT_EQ(file_error("cycle_a.toml"),
            "tests/data/scenarios/errors/cycle_b.toml:3:11: error: cyclic extends: "
            "tests/data/scenarios/errors/cycle_a.toml -> tests/data/scenarios/errors/cycle_b.toml "
            "-> tests/data/scenarios/errors/cycle_a.toml");
}

TEST(ScenarioErrors, MissingExtendsFile) {
  EXPECT_EQ(file_error("missing_base.toml"),
            "tests/data/scenarios/errors/missing_base.toml:3:11: error: cannot read extends file "
            "'no_such_base.toml' (tests/data/scenarios/errors/no_such_base.toml): no such file");
  EXPECT_EQ(file_error("no_such_scenario.toml"),
            "tests/data/scenarios/errors/no_such_scenario.toml: error: cannot read scenario "
            "file: no such file");
}

TEST(ScenarioErrors, ErrorInABaseNamesTheBase) {
  EXPECT_EQ(file_error("bad_child.toml"),
            "tests/data/scenarios/errors/bad_base.toml:9:16: error: actors.A.stubbornness must "
            "be in [0, 1] (got 2)");
}

TEST(ScenarioErrors, OverrideWithoutEquals) {
  EXPECT_EQ(error_of(kHead, {"model.balance"}),
            "--set:1:1: error: override 'model.balance' must have the form PATH=VALUE (e.g. "
            "model.balance=0.05)");
  EXPECT_EQ(error_of(kHead, {"=0.1"}),
            "--set:1:1: error: override '=0.1' has an empty path; expected PATH=VALUE (e.g. "
            "model.balance=0.05)");
}

TEST(ScenarioErrors, BadOverridePath) {
  EXPECT_EQ(error_of(kHead, {"actors.ARN.power=1"}),
            "--set:1:8: error: unknown actor 'ARN' in --set path 'actors.ARN.power' (did you "
            "mean 'ARM'?)");
  EXPECT_EQ(error_of(kHead, {"events.e.step=1"}),
            "--set:1:8: error: unknown event 'e' in --set path 'events.e.step' (there are no "
            "[[events]])");
  EXPECT_EQ(error_of(kHead, {"scenario.extends=other.toml"}),
            "--set:1:10: error: scenario.extends cannot be overridden (extends is resolved "
            "before overrides)");
  EXPECT_EQ(error_of(kHead, {"scenario.steps.x=1"}),
            "--set:1:10: error: cannot set 'scenario.steps.x': scenario.steps is an integer, not "
            "a table");
  EXPECT_EQ(error_of(kHead, {"actors.ARM=1"}),
            "--set:1:8: error: --set path 'actors.ARM' names a whole actor; set one of its keys, "
            "e.g. 'actors.ARM.name'");
  EXPECT_EQ(error_of(kHead + "[[events]]\nid = \"e\"\nstep = 1\n"
                             "affinity = [ { from = \"ARM\", to = \"RUS\", delta = 0.1 } ]\n",
                     {"events.e.affinity.x.delta=0.2"}),
            "--set:1:10: error: cannot set 'events.e.affinity.x.delta': events.e.affinity is an "
            "array whose elements have no id; set the whole array instead");
  EXPECT_EQ(error_of(kHead, {"model..balance=1"}),
            "--set:1:7: error: empty key in --set path 'model..balance'");
}

TEST(ScenarioErrors, OverrideValuesAreCheckedAtTheirColumn) {
  EXPECT_EQ(error_of(kHead, {"model.balance=2"}),
            "--set:1:15: error: model.balance must be in [0, 1] (got 2)");
  EXPECT_EQ(error_of(kHead, {"model.balanse=0.1"}),
            "--set:1:7: error: unknown key 'balanse' in [model] (did you mean 'balance'?)");
  EXPECT_EQ(error_of(kHead, {"output.bloc_anchor=RSU"}),
            "--set:1:20: error: unknown actor 'RSU' in output.bloc_anchor (did you mean "
            "'RUS'?)");
  EXPECT_EQ(error_of(kHead, {"output.observables=[\"afinity(ARM,RUS)\"]"}),
            "--set:1:22: error: unknown observable 'afinity' (did you mean 'affinity'?)");
  EXPECT_EQ(error_of(kHead, {"scenario.steps=3.5"}),
            "--set:1:16: error: scenario.steps must be an integer, not a float");
}

}  // namespace
}  // namespace entente
