// The command line as a user meets it: exit statuses (0 ok, 2 bad input),
// messages, overrides, drivers written to disk, and determinism across
// --threads.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "cli_support.hpp"
#include "model/step_parts.hpp"

namespace entente {
namespace {

namespace fs = std::filesystem;
using testing::cli;
using testing::fresh_dir;
using testing::slurp;

TEST(Cli, VersionAndHelp) {
  const auto v = cli("--version");
  EXPECT_EQ(v.status, 0);
  EXPECT_EQ(v.out, std::string("entente ") + ENTENTE_VERSION + "\n");
  for (const char* cmd : {"--help", "run --help", "validate --help", "show --help"}) {
    const auto h = cli(cmd);
    EXPECT_EQ(h.status, 0) << cmd;
    EXPECT_NE(h.out.find("Usage"), std::string::npos) << cmd;
  }
}

TEST(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(cli("").status, 2);
  EXPECT_EQ(cli("frobnicate").status, 2);
  EXPECT_EQ(cli("run").status, 2);
  EXPECT_EQ(cli("run tests/data/noisy.toml --runs 0").status, 2);
  EXPECT_EQ(cli("run tests/data/noisy.toml --runs many").status, 2);
  EXPECT_EQ(cli("run tests/data/noisy.toml --threads 0").status, 2);
  EXPECT_EQ(cli("run tests/data/noisy.toml --bogus").status, 2);
}

TEST(Cli, MisspeltKeyPointsAtLineAndColumnWithTheNearestKey) {
  const auto r = cli("validate tests/data/cli/misspelt.toml");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            "tests/data/cli/misspelt.toml:28:1: error: unknown key 'stubborness' in actors.B (did "
            "you mean "
            "'stubbornness'?)\n");
  // `run` refuses it the same way and writes nothing.
  const fs::path dir = fresh_dir("misspelt") / "out";
  const auto run = cli("run tests/data/cli/misspelt.toml -o " + dir.string());
  EXPECT_EQ(run.status, 2);
  EXPECT_EQ(run.err, r.err);
  EXPECT_FALSE(fs::exists(dir));
}

TEST(Cli, ValidateReportsEveryFileAndFailsIfAnyFails) {
  const auto ok = cli("validate tests/data/noisy.toml tests/data/golden/two_actors.toml");
  EXPECT_EQ(ok.status, 0);
  EXPECT_NE(ok.out.find("tests/data/noisy.toml: ok: 4 actors"), std::string::npos);
  EXPECT_NE(ok.out.find("tests/data/golden/two_actors.toml: ok: 2 actors"), std::string::npos);
  const auto mixed = cli("validate tests/data/noisy.toml tests/data/cli/misspelt.toml");
  EXPECT_EQ(mixed.status, 2);
  EXPECT_NE(mixed.out.find("noisy.toml: ok"), std::string::npos);
}

TEST(Cli, MissingFilesAndBadOverridesAreInputErrors) {
  const auto missing = cli("run no/such/scenario.toml");
  EXPECT_EQ(missing.status, 2);
  EXPECT_EQ(missing.err.rfind("no/such/scenario.toml: error:", 0), 0u) << missing.err;
  const auto bad = cli("run tests/data/noisy.toml --set model.balanse=0.1");
  EXPECT_EQ(bad.status, 2);
  EXPECT_EQ(bad.err,
            "--set:1:7: error: unknown key 'balanse' in [model] (did you mean 'balance'?)\n");
}

TEST(Cli, RunWritesTheTableAndTheFiles) {
  const fs::path dir = fresh_dir("run") / "out";
  const auto r = cli("run tests/data/noisy.toml -o " + dir.string());
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("Noisy — 24 runs × 12 steps"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("affinity(P,Q)"), std::string::npos);
  EXPECT_NE(r.out.find("regime(route):"), std::string::npos);
  EXPECT_TRUE(fs::exists(dir / "manifest.json"));
  EXPECT_FALSE(fs::exists(dir / "drivers.csv"));
  const auto quiet = cli("run tests/data/noisy.toml -q -o " + dir.string());
  EXPECT_EQ(quiet.status, 0);
  EXPECT_EQ(quiet.out, "");
}

TEST(Cli, ARefusedOutputDirectoryIsLeftAlone) {
  const fs::path dir = fresh_dir("refuse");
  { std::ofstream(dir / "notes.txt") << "keep"; }
  const auto r = cli("run tests/data/noisy.toml -q -o " + dir.string());
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("refusing to replace it"), std::string::npos) << r.err;
  EXPECT_EQ(slurp(dir / "notes.txt"), "keep");
}

TEST(Cli, OverridesAndRunFlagsChangeTheRun) {
  const fs::path root = fresh_dir("overrides");
  const auto r = cli(
      "run tests/data/golden/two_actors.toml -q --set model.influence=0 --runs 3 --steps 2 -o " +
      (root / "a").string());
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string actors = slurp(root / "a" / "actors.csv");
  // No influence: A stays at 0.6 at every step; 3 runs × 3 steps × 2 actors rows.
  EXPECT_NE(actors.find("2,2,2025-06,A,0.6,A"), std::string::npos) << actors;
  EXPECT_EQ(std::count(actors.begin(), actors.end(), '\n'), 1 + 3 * 3 * 2);
  const std::string manifest = slurp(root / "a" / "manifest.json");
  EXPECT_NE(manifest.find("\"runs\":3"), std::string::npos);
  EXPECT_NE(manifest.find("influence = 0"), std::string::npos);
}

TEST(Cli, ShowPrintsAScenarioThatLoadsToTheSameScenario) {
  const fs::path dir = fresh_dir("show");
  const auto first = cli("show tests/data/noisy.toml --set model.memory=0.25");
  ASSERT_EQ(first.status, 0) << first.err;
  { std::ofstream(dir / "resolved.toml") << first.out; }
  const auto second = cli("show " + (dir / "resolved.toml").string());
  ASSERT_EQ(second.status, 0) << second.err;
  EXPECT_EQ(first.out, second.out);
  EXPECT_NE(first.out.find("memory = 0.25"), std::string::npos);
}

TEST(Cli, ThreadsDoNotChangeABit) {
  const fs::path root = fresh_dir("cli-threads");
  ASSERT_EQ(
      cli("run tests/data/noisy.toml -q --drivers --threads 1 -o " + (root / "1").string()).status,
      0);
  ASSERT_EQ(
      cli("run tests/data/noisy.toml -q --drivers --threads 3 -o " + (root / "3").string()).status,
      0);
  for (const auto& e : fs::directory_iterator(root / "1")) {
    if (e.path().filename() == "manifest.json") continue;  // holds times and the command line
    EXPECT_EQ(slurp(e.path()), slurp(root / "3" / e.path().filename())) << e.path();
  }
}

// Splits a CSV line without quoted fields.
std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const auto comma = line.find(',', start);
    out.push_back(line.substr(start, comma - start));
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

TEST(Cli, DriversOnDiskAddUpToTheRecordedChanges) {
  const fs::path dir = fresh_dir("drivers") / "out";
  ASSERT_EQ(cli("run tests/data/noisy.toml -q --drivers -o " + dir.string()).status, 0);
  using Key = std::tuple<int, int, std::string, std::string>;  // run, step, from/actor, to/axis
  std::map<Key, double> value, parts;
  std::istringstream rel(slurp(dir / "relations.csv"));
  std::string line;
  std::getline(rel, line);  // run,step,from,to,affinity (no date in this scenario)
  while (std::getline(rel, line)) {
    const auto f = fields(line);
    value[{std::stoi(f[0]), std::stoi(f[1]), f[2], f[3]}] = std::stod(f[4]);
  }
  std::istringstream drv(slurp(dir / "drivers.csv"));
  std::getline(drv, line);
  EXPECT_EQ(line, "run,step,from,to,driver,contribution");
  std::set<std::string> names;
  while (std::getline(drv, line)) {
    const auto f = fields(line);
    parts[{std::stoi(f[0]), std::stoi(f[1]), f[2], f[3]}] += std::stod(f[5]);
    names.insert(f[4]);
  }
  for (const char* n : {"balance", "similarity", "institutions", "interdependence", "stakes:route",
                        "memory", "noise", "clip", "event:open_route"}) {
    EXPECT_TRUE(names.count(n)) << n;
  }
  int checked = 0;
  for (const auto& [key, v] : value) {
    const auto& [run, step, from, to] = key;
    if (step == 0) continue;
    const double change = v - value.at({run, step - 1, from, to});
    const auto it = parts.find(key);
    EXPECT_NEAR(it == parts.end() ? 0.0 : it->second, change, 1e-12)
        << run << " " << step << " " << from << to;
    ++checked;
  }
  EXPECT_EQ(checked, 24 * 12 * 12);
  // Positions likewise.
  std::map<Key, double> pos, pos_parts;
  std::istringstream act(slurp(dir / "actors.csv"));
  std::getline(act, line);  // run,step,actor,x,y,bloc
  while (std::getline(act, line)) {
    const auto f = fields(line);
    pos[{std::stoi(f[0]), std::stoi(f[1]), f[2], "x"}] = std::stod(f[3]);
    pos[{std::stoi(f[0]), std::stoi(f[1]), f[2], "y"}] = std::stod(f[4]);
  }
  std::istringstream pd(slurp(dir / "position_drivers.csv"));
  std::getline(pd, line);
  EXPECT_EQ(line, "run,step,actor,axis,driver,contribution");
  std::set<std::string> pnames;
  while (std::getline(pd, line)) {
    const auto f = fields(line);
    pos_parts[{std::stoi(f[0]), std::stoi(f[1]), f[2], f[3]}] += std::stod(f[5]);
    pnames.insert(f[4]);
  }
  for (const char* n : {"influence:Q", "anchoring", "noise", "clip", "event:shock"})
    EXPECT_TRUE(pnames.count(n)) << n;
  for (const auto& [key, v] : pos) {
    const auto& [run, step, actor, axis] = key;
    if (step == 0) continue;
    const auto it = pos_parts.find(key);
    EXPECT_NEAR(it == pos_parts.end() ? 0.0 : it->second, v - pos.at({run, step - 1, actor, axis}),
                1e-12);
  }
}

// ENTENTE_ISA picks the step's code path (docs/model.md): every path this
// CPU has writes the same bytes, and an unknown value is refused rather than
// ignored.
TEST(Cli, EntenteIsaChoosesAPathWithTheSameBytesAndRefusesOtherValues) {
  const auto dir = testing::fresh_dir("isa");
  std::vector<std::string> values{"baseline", "auto"};
  for (const auto isa : {detail::StepIsa::avx2, detail::StepIsa::avx512}) {
    if (detail::isa_available(isa)) values.emplace_back(detail::step_isa_name(isa));
  }
  std::vector<std::string> relations;
  for (const std::string& value : values) {
    ::setenv("ENTENTE_ISA", value.c_str(), 1);
    const auto out = dir / value;
    const auto r = cli("run scenarios/csto/exit.toml --runs 6 -q -o '" + out.string() + "'");
    EXPECT_EQ(r.status, 0) << r.err;
    relations.push_back(testing::slurp(out / "relations.csv") + testing::slurp(out / "actors.csv"));
  }
  EXPECT_GT(relations[0].size(), 10000u);
  for (const std::string& r : relations) EXPECT_EQ(r, relations[0]);
  ::setenv("ENTENTE_ISA", "avx9", 1);
  const auto r = cli("validate scenarios/baseline.toml");
  ::unsetenv("ENTENTE_ISA");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            "entente: error: ENTENTE_ISA must be 'auto' (the widest the CPU has), 'baseline' (the "
            "portable step), 'avx2', 'avx512' or 'neon', not 'avx9'\n");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace entente
