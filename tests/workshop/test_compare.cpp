// `entente compare`: paired differences with common random numbers.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "cli_support.hpp"
#include "entente/scenario/scenario_io.hpp"
#include "entente/workshop/compare.hpp"

namespace entente {
namespace {

namespace fs = std::filesystem;
using testing::cli;
using testing::fresh_dir;
using testing::slurp;

const bool kInSourceRoot = [] {
  fs::current_path(ENTENTE_SOURCE_DIR);
  return true;
}();

// Two actors, memory 0.5, R0 = 0; `extra` adds events.
std::string two(const std::string& noise, const std::string& extra = "") {
  return "[scenario]\nname = \"t\"\nsteps = 3\nseed = 5\nruns = 8\n[model]\nmemory = 0.5\n"
         "noise_affinity = " +
         noise +
         "\n[[axes]]\nid = \"x\"\n"
         "[[actors]]\nid = \"A\"\npower = 1\nposition = { x = 0.0 }\n"
         "[[actors]]\nid = \"B\"\npower = 1\nposition = { x = 0.0 }\n" +
         extra;
}

Trajectories simulate(const std::string& text, const std::string& name) {
  return simulate_trajectories(load_scenario_text(text, name).scenario, name, 2);
}

int index_of(const Comparison& c, const std::string& name) {
  for (std::size_t o = 0; o < c.names.size(); ++o) {
    if (c.names[o] == name) return static_cast<int>(o);
  }
  return -1;
}

// Noise off: the difference is exact and the interval has zero width. An
// event of +0.4 on affinity(A,B) before step 2 leaves 0.4 · 0.5 · 0.5 = 0.1
// at step 3 (memory halves it twice), and nothing before step 2.
TEST(Compare, KnownDifferenceWithoutNoise) {
  const std::string event =
      "[[events]]\nid = \"e\"\nstep = 2\naffinity = [ { from = \"A\", to = \"B\", delta = 0.4 } "
      "]\n";
  const Comparison c = compare({simulate(two("0"), "a.toml"), simulate(two("0", event), "b.toml")});
  const int o = index_of(c, "affinity(A,B)");
  ASSERT_GE(o, 0);
  const PairedDifference& end = c.numeric[0][static_cast<std::size_t>(o)][3];
  EXPECT_DOUBLE_EQ(end.mean, 0.1);
  EXPECT_EQ(end.ci_low, end.mean);
  EXPECT_EQ(end.ci_high, end.mean);
  EXPECT_EQ(end.sd, 0.0);
  EXPECT_EQ(end.p_positive, 1.0);
  EXPECT_EQ(c.numeric[0][static_cast<std::size_t>(o)][1].mean, 0.0);
  EXPECT_EQ(c.numeric[0][static_cast<std::size_t>(o)][1].p_positive, 0.0);
  EXPECT_EQ(c.numeric[0][static_cast<std::size_t>(index_of(c, "affinity(B,A)"))][3].mean, 0.0);
}

// Noise on, the same shock: the draws line up, so the paired difference is
// still the shock's effect in every run (up to rounding), while each
// scenario's own runs spread.
TEST(Compare, CommonRandomNumbersCancelTheNoise) {
  const std::string event =
      "[[events]]\nid = \"e\"\nstep = 2\naffinity = [ { from = \"A\", to = \"B\", delta = 0.4 } "
      "]\n";
  const Comparison c =
      compare({simulate(two("0.05"), "a.toml"), simulate(two("0.05", event), "b.toml")});
  const PairedDifference& end =
      c.numeric[0][static_cast<std::size_t>(index_of(c, "affinity(A,B)"))][3];
  EXPECT_NEAR(end.mean, 0.1, 1e-12);
  EXPECT_LT(end.ci_high - end.ci_low, 1e-12);
  const Trajectories a = simulate(two("0.05"), "a.toml");
  const auto o = static_cast<int>(std::find(a.names.begin(), a.names.end(), "affinity(A,B)") -
                                  a.names.begin());
  EXPECT_NE(a.value(o, 3, 0), a.value(o, 3, 1));
}

TEST(Compare, PairedDifferenceInterval) {
  // Differences 1, 2, 3, 4: mean 2.5, sd sqrt(5/3), t(0.95, 3) = 2.353363434801823.
  const PairedDifference d = paired_difference({0, 0, 0, 0}, {1, 2, 3, 4});
  EXPECT_DOUBLE_EQ(d.mean, 2.5);
  const double half = 2.353363434801823 * std::sqrt(5.0 / 3.0) / 2.0;
  EXPECT_NEAR(d.ci_low, 2.5 - half, 1e-12);
  EXPECT_NEAR(d.ci_high, 2.5 + half, 1e-12);
  EXPECT_DOUBLE_EQ(d.p_positive, 1.0);
  EXPECT_DOUBLE_EQ(d.p05, 1.15);
  EXPECT_DOUBLE_EQ(d.p95, 3.85);
}

// The terminal table says what the share is (of paired runs, with the sign
// of the change) and flags an interval of zero width. Noise off: the event
// leaves +0.1 on affinity(A,B) in all 8 runs; the positions and B→A do not move.
TEST(Compare, TableWordsTheShareAndTheZeroWidthInterval) {
  const std::string event =
      "[[events]]\nid = \"e\"\nstep = 2\naffinity = [ { from = \"A\", to = \"B\", delta = 0.4 } "
      "]\n";
  const Comparison c = compare({simulate(two("0"), "a.toml"), simulate(two("0", event), "b.toml")});
  EXPECT_EQ(comparison_table(c, 2),
            "t − t at step 3 (8 paired runs, seed 5)\n"
            "  observable        base    other   change  90% interval           paired runs\n"
            "  affinity(A,B)   +0.000   +0.100   +0.100  the same in every run  positive in 100 % "
            "of 8 paired runs\n"
            "  position(A,x)   +0.000   +0.000   +0.000  the same in every run  zero in all 8 "
            "paired runs\n"
            "  (change: mean paired difference; interval: 90% confidence interval of the mean;\n"
            "   paired runs: run r of every input draws the same random numbers; the share counts\n"
            "   runs of the model, it is not a probability about the world)\n");
}

TEST(Compare, ShareText) {
  // Differences −1, −2, 0, +4: mean +0.25, positive in 1 of 4 runs.
  EXPECT_EQ(share_text(paired_difference({0, 0, 0, 0}, {-1, -2, 0, 4}), 4),
            "positive in 25 % of 4 paired runs");
  // Mean −1: negative in 3 of 4 runs.
  EXPECT_EQ(share_text(paired_difference({0, 0, 0, 0}, {-2, -2, -1, 1}), 4),
            "negative in 75 % of 4 paired runs");
  // 199 of 200 positive is not "100 %"; 1 of 200 is not "0 %".
  std::vector<double> base(200, 0.0), other(200, 1.0);
  other[0] = -1.0;
  EXPECT_EQ(share_text(paired_difference(base, other), 200), "positive in 99 % of 200 paired runs");
  std::vector<double> few(200, -1.0);
  few[0] = 1.0;
  const PairedDifference d = paired_difference(base, few);
  EXPECT_EQ(share_text(d, 200), "negative in 99 % of 200 paired runs");
  EXPECT_FALSE(d.same_in_every_run());
  EXPECT_TRUE(paired_difference({0, 1}, {0.5, 1.5}).same_in_every_run());
}

TEST(Compare, DirectoriesMatchScenarioFiles) {
  const fs::path dir = fresh_dir("compare-dirs");
  ASSERT_EQ(cli("run scenarios/baseline.toml --runs 6 -q -o '" + (dir / "b").string() + "'").status,
            0);
  ASSERT_EQ(
      cli("run scenarios/csto/exit.toml --runs 6 -q -o '" + (dir / "e").string() + "'").status, 0);
  ASSERT_EQ(
      cli("run scenarios/csto/exit.toml --runs 5 -q -o '" + (dir / "e5").string() + "'").status, 0);
  const auto from_dirs = cli("compare '" + (dir / "b").string() + "' '" + (dir / "e").string() +
                             "' -o '" + (dir / "c1").string() + "'");
  ASSERT_EQ(from_dirs.status, 0) << from_dirs.err;
  const auto from_files =
      cli("compare scenarios/baseline.toml scenarios/csto/exit.toml --runs 6 -o '" +
          (dir / "c2").string() + "'");
  ASSERT_EQ(from_files.status, 0) << from_files.err;
  // The rows of an affinity are the same either way.
  const std::string a = slurp(dir / "c1" / "compare.csv"), b = slurp(dir / "c2" / "compare.csv");
  const std::string row = "36,2028-04,\"affinity(RUS,ARM)\",CSTO exit,";
  const std::size_t pa = a.find(row), pb = b.find(row);
  ASSERT_NE(pa, std::string::npos);
  ASSERT_NE(pb, std::string::npos);
  EXPECT_EQ(a.substr(pa, a.find('\n', pa) - pa), b.substr(pb, b.find('\n', pb) - pb));
  EXPECT_NE(from_files.out.find("membership(ARM,CSTO)"), std::string::npos);
  EXPECT_TRUE(fs::exists(dir / "c1" / "manifest.json"));
  EXPECT_TRUE(fs::exists(dir / "c1" / "compare_shares.csv"));

  const auto mismatch =
      cli("compare '" + (dir / "b").string() + "' '" + (dir / "e5").string() + "'");
  EXPECT_EQ(mismatch.status, 2);
  EXPECT_EQ(mismatch.err,
            (dir / "e5").string() +
                ": error: common random numbers need the same seed and runs in every input, but " +
                (dir / "b").string() + " has seed 20250404 and 6 runs while " +
                (dir / "e5").string() +
                " has seed 20250404 and 5 runs (give --seed and --runs for scenario files; rerun a "
                "directory with `entente run … --seed S --runs N`)\n");
}

// A bad relations.csv in a run directory: the error names the line and the
// column of the field (quoted fields are read as RFC 4180 says).
TEST(Compare, BadRelationsCsvNamesTheColumn) {
  const fs::path dir = fresh_dir("compare-bad-relations");
  { std::ofstream(dir / "t.toml") << two("0"); }
  for (const char* name : {"a", "b"}) {
    ASSERT_EQ(cli("run '" + (dir / "t.toml").string() + "' --runs 2 -q -o '" +
                  (dir / name).string() + "'")
                  .status,
              0);
  }
  const fs::path relations = dir / "b" / "relations.csv";
  const std::string text = slurp(relations);
  const std::size_t second = text.find('\n') + 1;
  ASSERT_EQ(text.substr(0, second), "run,step,from,to,affinity\n");
  ASSERT_EQ(text.substr(second, 8), "0,0,A,B,");
  const std::string rest = text.substr(text.find('\n', second));
  const auto compare_with = [&](const std::string& row) {
    std::ofstream(relations, std::ios::binary) << text.substr(0, second) << row << rest;
    return cli("compare '" + (dir / "a").string() + "' '" + (dir / "b").string() + "'");
  };
  const auto bad_number = compare_with("0,0,A,B,0.4x");
  EXPECT_EQ(bad_number.status, 2);
  EXPECT_EQ(bad_number.err, relations.string() + ":2:9: error: not a number: '0.4x'\n");
  const auto quoted = compare_with("0,0,\"A,C\",B,0");
  EXPECT_EQ(quoted.status, 2);
  EXPECT_EQ(quoted.err, relations.string() + ":2:5: error: unknown pair\n");
  const auto step = compare_with("0,9,A,B,0");
  EXPECT_EQ(step.status, 2);
  EXPECT_EQ(step.err, relations.string() + ":2:3: error: step out of range: 9\n");
}

}  // namespace
}  // namespace entente
