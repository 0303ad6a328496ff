// What `entente run` writes (MODEL.md §6): a golden trajectory checked by
// hand, byte-identical files for any thread count, the ensemble statistics,
// dates, and the rules for replacing an output directory.
#include <gtest/gtest.h>

#include "cli_support.hpp"
#include "entente/run/output.hpp"
#include "entente/run/summary.hpp"
#include "entente/util/date.hpp"

namespace entente {
namespace {

namespace fs = std::filesystem;
using testing::fresh_dir;
using testing::slurp;

RunReport run_file(const std::string& file, const fs::path& dir, int threads,
                   bool drivers = false) {
  const LoadedScenario loaded = load_scenario(file);
  const Model model = compile(loaded.scenario);
  RunSettings settings;
  settings.threads = threads;
  settings.drivers = drivers;
  return run_to_directory(model, settings, dir, {{"test"}, loaded.files});
}

// The golden trajectory, by hand (α = 0.5, γ = 0.2, μ = 0.1, R0 = 0.5 both ways):
//   step 1: v = 0.5·0.5 = 0.25; x_A = 0.6 + 0.25(−0.4 − 0.6) = 0.35,
//           x_B = −0.4 + 0.25(0.6 + 0.4) = −0.15; distance 1 → τ_sim = 0:
//           R = 0.5 + 0.2(0 − 0.5) + 0.1(0.5 − 0.5) = 0.4 (both ways)
//   step 2: v = 0.2; x_A = 0.35 − 0.2·0.5 = 0.25, x_B = −0.15 + 0.2·0.5 = −0.05;
//           distance 0.5 → τ = 0.5: R = 0.4 + 0.2·0.1 + 0.1·0.1 = 0.43
//   step 3: v = 0.215; x_A = 0.25 − 0.215·0.3 = 0.1855, x_B = −0.05 + 0.215·0.3 = 0.0145;
//           distance 0.3 → τ = 0.7: R = 0.43 + 0.2·0.27 + 0.1·0.07 = 0.491
TEST(Output, GoldenTrajectoryCheckedByHand) {
  const fs::path dir = fresh_dir("golden") / "out";
  run_file("tests/data/golden/two_actors.toml", dir, 2);
  const std::string golden = "tests/data/golden/two_actors/";
  for (const char* f :
       {"actors.csv", "relations.csv", "issues.csv", "events.csv", "summary.csv", "shares.csv"}) {
    EXPECT_EQ(slurp(dir / f), slurp(golden + f)) << f;
  }
  // The hand values, read back from the file.
  std::istringstream rel(slurp(dir / "relations.csv"));
  std::string line;
  std::getline(rel, line);
  EXPECT_EQ(line, "run,step,date,from,to,affinity");
  const double expected[] = {0.5, 0.5, 0.4, 0.4, 0.43, 0.43, 0.491, 0.491};
  for (double e : expected) {
    ASSERT_TRUE(std::getline(rel, line));
    EXPECT_NEAR(std::stod(line.substr(line.rfind(',') + 1)), e, 1e-15) << line;
  }
  std::istringstream act(slurp(dir / "actors.csv"));
  std::getline(act, line);
  EXPECT_EQ(line, "run,step,date,actor,orientation,bloc");
  const double xs[] = {0.6, -0.4, 0.35, -0.15, 0.25, -0.05, 0.1855, 0.0145};
  for (double e : xs) {
    ASSERT_TRUE(std::getline(act, line));
    const auto last = line.rfind(',');
    const auto before = line.rfind(',', last - 1);
    EXPECT_NEAR(std::stod(line.substr(before + 1, last - before - 1)), e, 1e-15) << line;
  }
}

TEST(Output, FilesAreByteIdenticalForAnyThreadCount) {
  const fs::path root = fresh_dir("threads");
  run_file("tests/data/noisy.toml", root / "one", 1, true);
  run_file("tests/data/noisy.toml", root / "four", 4, true);
  for (const char* f : {"actors.csv", "relations.csv", "issues.csv", "events.csv", "summary.csv",
                        "shares.csv", "drivers.csv", "position_drivers.csv"}) {
    const std::string a = slurp(root / "one" / f);
    EXPECT_FALSE(a.empty()) << f;
    EXPECT_EQ(a, slurp(root / "four" / f)) << f;
  }
}

TEST(Output, EveryFileIsWrittenAndTheManifestListsThem) {
  const fs::path dir = fresh_dir("manifest") / "out";
  const RunReport r = run_file("tests/data/noisy.toml", dir, 2, true);
  EXPECT_EQ(r.files, (std::vector<std::string>{"actors.csv", "relations.csv", "issues.csv",
                                               "events.csv", "drivers.csv", "position_drivers.csv",
                                               "summary.csv", "shares.csv", "manifest.json"}));
  for (const auto& f : r.files) EXPECT_TRUE(fs::exists(dir / f)) << f;
  const std::string manifest = slurp(dir / "manifest.json");
  for (const char* key :
       {"\"version\":", "\"command\":", "\"resolved_scenario\":", "\"seed\":7", "\"runs\":24",
        "\"steps\":12", "\"sha256\":", "\"started\":", "\"finished\":", "\"files\":"}) {
    EXPECT_NE(manifest.find(key), std::string::npos) << key;
  }
  // Nothing else, no leftovers of staging.
  int count = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++count;
  EXPECT_EQ(count, 9);
  for (const auto& e : fs::directory_iterator(dir.parent_path())) {
    EXPECT_EQ(e.path().filename().string().find(".partial"), std::string::npos);
  }
}

TEST(Output, SummaryMatchesNumpyQuantilesAndSampleSd) {
  std::vector<double> v{4, 1, 3, 2};
  const Stats s = compute_stats(v);
  EXPECT_DOUBLE_EQ(s.mean, 2.5);
  EXPECT_DOUBLE_EQ(s.sd, 1.2909944487358056);  // numpy.std(ddof=1)
  // numpy.quantile([1,2,3,4], [.05,.25,.5,.75,.95]) = 1.15, 1.75, 2.5, 3.25, 3.85
  EXPECT_DOUBLE_EQ(s.quantile[0], 1.15);
  EXPECT_DOUBLE_EQ(s.quantile[1], 1.75);
  EXPECT_DOUBLE_EQ(s.quantile[2], 2.5);
  EXPECT_DOUBLE_EQ(s.quantile[3], 3.25);
  EXPECT_DOUBLE_EQ(s.quantile[4], 3.85);
  std::vector<double> one{0.7};
  EXPECT_EQ(compute_stats(one).sd, 0.0);
  EXPECT_EQ(compute_stats(one).quantile[4], 0.7);
}

TEST(Output, AnExistingForeignDirectoryIsNeverReplaced) {
  const fs::path dir = fresh_dir("foreign");
  { std::ofstream(dir / "thesis.tex") << "precious"; }
  EXPECT_THROW(run_file("tests/data/golden/two_actors.toml", dir, 1), InputError);
  EXPECT_EQ(slurp(dir / "thesis.tex"), "precious");
  int count = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++count;
  EXPECT_EQ(count, 1);
}

TEST(Output, AnEarlierOutputIsReplacedWhole) {
  const fs::path dir = fresh_dir("replace") / "out";
  run_file("tests/data/noisy.toml", dir, 2, true);
  ASSERT_TRUE(fs::exists(dir / "drivers.csv"));
  run_file("tests/data/golden/two_actors.toml", dir, 2, false);
  EXPECT_FALSE(fs::exists(dir / "drivers.csv"));  // nothing of the old output survives
  EXPECT_EQ(slurp(dir / "relations.csv"), slurp("tests/data/golden/two_actors/relations.csv"));
}

TEST(Dates, StepsAddCalendarUnits) {
  const StartDate april = *parse_start_date("2025-04");
  EXPECT_EQ(step_date(april, StepUnit::month, 0), "2025-04");
  EXPECT_EQ(step_date(april, StepUnit::month, 9), "2026-01");
  EXPECT_EQ(step_date(april, StepUnit::quarter, 3), "2026-01");
  EXPECT_EQ(step_date(april, StepUnit::year, 2), "2027-04");
  EXPECT_EQ(step_date(april, StepUnit::week, 1), "2025-04-08");
  EXPECT_EQ(step_date(*parse_start_date("2024-01-31"), StepUnit::month, 1), "2024-02-29");
  EXPECT_EQ(step_date(*parse_start_date("2024-12-30"), StepUnit::day, 3), "2025-01-02");
  EXPECT_EQ(step_date(*parse_start_date("2025"), StepUnit::year, 1), "2026");
  EXPECT_EQ(step_date(*parse_start_date("2025"), StepUnit::month, 1), "2025-02");
  EXPECT_FALSE(parse_start_date("2025-02-30"));
  EXPECT_FALSE(parse_start_date("2025-13"));
  EXPECT_FALSE(parse_start_date("25-01"));
  EXPECT_FALSE(parse_start_date("April 2025"));
}

TEST(Output, DefaultDirectoryIsTheSlugOfTheName) {
  Scenario s;
  s.name = "CSTO exit";
  EXPECT_EQ(default_output_directory(s), fs::path("out/csto-exit"));
  s.name = "  Corridor: third party (TRIPP)! ";
  EXPECT_EQ(default_output_directory(s), fs::path("out/corridor-third-party-tripp"));
}

}  // namespace
}  // namespace entente
