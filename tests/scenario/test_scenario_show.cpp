// `to_toml` (entente show): the resolved scenario as TOML. Loading it again
// must give the same Scenario, for the test data and every scenario shipped
// in scenarios/.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <vector>

#include "entente/scenario/scenario_io.hpp"

namespace entente {
namespace {

namespace fs = std::filesystem;

// Tests read files relative to the source root, as ctest runs them.
const bool kInSourceRoot = [] {
  fs::current_path(ENTENTE_SOURCE_DIR);
  return true;
}();

// Loads `file`, writes it as TOML, loads that text and compares.
void expect_round_trip(const std::string& file, const std::vector<Override>& overrides = {}) {
  SCOPED_TRACE(file);
  Scenario original;
  try {
    original = load_scenario(file, overrides).scenario;
  } catch (const InputError& e) {
    ADD_FAILURE() << "does not load: " << e.what();
    return;
  }
  const std::string text = to_toml(original);
  Scenario again;
  try {
    again = load_scenario_text(text, "shown.toml").scenario;
  } catch (const InputError& e) {
    ADD_FAILURE() << "the shown text does not load: " << e.what() << "\n" << text;
    return;
  }
  EXPECT_EQ(again, original) << text;
  ASSERT_EQ(again.events.size(), original.events.size());
  for (std::size_t k = 0; k < again.events.size(); ++k) {
    EXPECT_EQ(again.events[k].when.nodes.size(), original.events[k].when.nodes.size());
  }
  EXPECT_EQ(to_toml(again), text);  // showing is idempotent
}

TEST(ScenarioShow, RoundTripOfTestData) {
  for (const char* file : {"minimal.toml", "small.toml", "ext/base.toml", "ext/child.toml",
                           "ext/sub/grandchild.toml"}) {
    expect_round_trip(std::string("tests/data/scenarios/") + file);
  }
}

TEST(ScenarioShow, RoundTripWithOverrides) {
  const std::vector<Override> overrides = {parse_override("affinity.AZE.RUS=-0.123456789"),
                                           parse_override("actors.ARM.power=1e-300"),
                                           parse_override("weights.RUS.ARM=123456.789")};
  expect_round_trip("tests/data/scenarios/small.toml", overrides);
}

TEST(ScenarioShow, RoundTripOfEveryShippedScenario) {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator("scenarios")) {
    if (entry.path().parent_path().filename() == "sweeps") continue;  // sweep files: test_sweep.cpp
    if (entry.path().filename().string().starts_with("calibrate_")) continue;  // test_calibrate.cpp
    if (entry.is_regular_file() && entry.path().extension() == ".toml") {
      files.push_back(entry.path().generic_string());
    }
  }
  std::sort(files.begin(), files.end());
  ASSERT_FALSE(files.empty()) << "no scenarios found under scenarios/";
  for (const auto& file : files) expect_round_trip(file);
}

// Checked by hand against the input below: every default written out,
// [affinity] both ways, weights only where not 1, `when` as written.
TEST(ScenarioShow, SmallScenarioAsExpected) {
  const std::string input = R"([scenario]
name = "Show"
steps = 4
step_unit = "quarter"
start = 2025-01-15

[model]
influence = 0.1

[[axes]]
id = "x"

[[actors]]
id = "A"
power = 1
position = { x = 0.5 }

[[actors]]
id = "B"
name = "Bee \"B\"\\"
power = 3e-4
position = { x = -1 }
noise = 0.01

[affinity]
A = { B = -0.25 }

[weights]
B = { A = 2 }

[[institutions]]
id = "U"
members = { A = 1 }

[[issues]]
id = "q"
options = ["no", "yes"]
regime = "yes"
salience = { B = 0.5 }
utility = { A = { yes = 1 } }

[[events]]
id = "e"
when = "position(A,x) > 0.6"
affinity = [ { from = "A", to = "B", set = 0.5, mutual = true } ]
parameter = [ { name = "memory", value = 0.2 } ]
membership = [
  { institution = "U", actor = "A", level = 0.5 },
  { institution = "U", actor = "B", level = 1 },
]

[output]
blocs = true
)";
  const std::string expected =
      R"(# The resolved scenario (extends and overrides applied, defaults written out).
# Maps list the entries that differ from their default: weights 1,
# interdependence 0, members 0, salience 1, utility 0.

[scenario]
name = "Show"
description = ""
steps = 4
step_unit = "quarter"
start = "2025-01-15"
seed = 0
runs = 1

[model]
influence = 0.1
balance = 0.0
similarity = 0.0
institutions = 0.0
interdependence = 0.0
stakes = 0.0
memory = 0.0
power_exponent = 1.0
noise_position = 0.0
noise_affinity = 0.0
anchor = "initial"

[[axes]]
id = "x"
low = ""
high = ""

[[actors]]
id = "A"
name = "A"
power = 1.0
stubbornness = 0.0
position = { x = 0.5 }
ideal = { x = 0.5 }

[[actors]]
id = "B"
name = "Bee \"B\"\\"
power = 0.0003
stubbornness = 0.0
position = { x = -1.0 }
ideal = { x = -1.0 }
noise = 0.01

[affinity]  # R0: both directions of every pair
A = { B = -0.25 }
B = { A = -0.25 }

[weights]  # W, directed; pairs not listed are 1
B = { A = 2.0 }

[interdependence]  # T, directed; pairs not listed are 0

[[institutions]]
id = "U"
name = "U"
cohesion = 1.0
members = { A = 1.0 }

[[issues]]
id = "q"
name = "q"
options = ["no", "yes"]
regime = "yes"
salience = { B = 0.5 }
[issues.utility]
A = { yes = 1.0 }

[[events]]
id = "e"
name = "e"
description = ""
when = "position(A,x) > 0.6"
repeat = false
enabled = true
membership = [
  { institution = "U", actor = "A", level = 0.5 },
  { institution = "U", actor = "B", level = 1.0 },
]
affinity = [{ from = "A", to = "B", set = 0.5, mutual = true }]
parameter = [{ name = "memory", value = 0.2 }]

[output]
# observables: the default, every position and affinity
blocs = true
bloc_anchor = "A"
every = 1
relations = "all"
format = "csv"

[play]
fog = "none"
)";
  const Scenario s = load_scenario_text(input, "show.toml").scenario;
  EXPECT_EQ(to_toml(s), expected);
  EXPECT_EQ(load_scenario_text(expected, "expected.toml").scenario, s);
}

TEST(ScenarioShow, StringsAreEscaped) {
  Scenario s =
      load_scenario_text("[scenario]\nname = \"x\"\nsteps = 1\n[[actors]]\nid = \"A\"\npower = 1\n",
                         "x.toml")
          .scenario;
  s.description = "tab\tnewline\nquote\"backslash\\bell\x07 del\x7f ünï";
  const Scenario again = load_scenario_text(to_toml(s), "again.toml").scenario;
  EXPECT_EQ(again.description, s.description);
  EXPECT_NE(to_toml(s).find(
                R"(description = "tab\tnewline\nquote\"backslash\\bell\u0007 del\u007f ünï")"),
            std::string::npos);
}

}  // namespace
}  // namespace entente
