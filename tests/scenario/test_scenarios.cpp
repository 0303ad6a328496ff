// Every scenario shipped in scenarios/ validates without errors or warnings,
// shows and reloads to the same scenario, and runs (Mesa's test_examples).
#include <gtest/gtest.h>

#include <algorithm>

#include "cli_support.hpp"
#include "entente/run/output.hpp"
#include "entente/scenario/scenario_io.hpp"

namespace entente {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> shipped_scenarios() {
  std::vector<std::string> files;
  for (const auto& e :
       fs::recursive_directory_iterator(fs::path(ENTENTE_SOURCE_DIR) / "scenarios")) {
    if (e.path().parent_path().filename() == "sweeps") continue;  // sweep files: test_sweep.cpp
    if (e.path().filename().string().starts_with("calibrate_")) continue;  // test_calibrate.cpp
    if (e.is_regular_file() && e.path().extension() == ".toml") {
      files.push_back(fs::relative(e.path(), ENTENTE_SOURCE_DIR).string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

class ShippedScenario : public ::testing::TestWithParam<std::string> {};

TEST_P(ShippedScenario, ValidatesCleanlyAndRuns) {
  const std::string file = GetParam();
  const LoadedScenario loaded = load_scenario(file);
  for (const auto& w : loaded.warnings) ADD_FAILURE() << to_string(w);
  EXPECT_FALSE(loaded.scenario.name.empty());
  // It reloads from `show` unchanged.
  EXPECT_EQ(load_scenario_text(to_toml(loaded.scenario), "shown.toml").scenario, loaded.scenario);
  // A few runs go through and write every file.
  Scenario small = loaded.scenario;
  small.runs = 3;
  const Model model = compile(small);
  const fs::path dir =
      testing::fresh_dir("shipped-" + std::to_string(std::hash<std::string>{}(file))) / "out";
  RunSettings settings;
  settings.drivers = true;
  const RunReport report = run_to_directory(model, settings, dir, {{"test"}, loaded.files});
  EXPECT_EQ(report.files.size(), 9u);
  EXPECT_FALSE(report.blocs_heuristic);
}

INSTANTIATE_TEST_SUITE_P(Scenarios, ShippedScenario, ::testing::ValuesIn(shipped_scenarios()),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

TEST(ShippedScenarios, TheExpectedSetIsThere) {
  const auto files = shipped_scenarios();
  for (const char* f :
       {"scenarios/baseline.toml", "scenarios/csto/freeze.toml", "scenarios/csto/exit.toml",
        "scenarios/csto/return.toml", "scenarios/corridor/russian_border_guards.toml",
        "scenarios/corridor/armenian_control.toml", "scenarios/corridor/extraterritorial.toml",
        "scenarios/corridor/third_party.toml"}) {
    EXPECT_NE(std::find(files.begin(), files.end(), f), files.end()) << f;
  }
}

}  // namespace
}  // namespace entente
