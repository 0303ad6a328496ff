// [output] every, relations and format (MODEL.md §6): their errors, what
// they thin (only actors, relations and issues; summary, shares, events and
// drivers keep every byte), the CLI flags, and the summary's exact
// statistics when its values spill to a temporary file.
#include <gtest/gtest.h>

#include <bit>
#include <boost/json.hpp>
#include <random>
#include <set>

#include "cli_support.hpp"
#include "entente/run/output.hpp"
#include "entente/run/summary.hpp"
#include "entente/scenario/scenario_io.hpp"
#include "support.hpp"

namespace entente {
namespace {

namespace fs = std::filesystem;
using testing::cli;
using testing::fresh_dir;
using testing::read_csv;
using testing::slurp;

const bool kInSourceTree = [] {
  fs::current_path(ENTENTE_SOURCE_DIR);
  return true;
}();

// Lines 1-13: a valid scenario with the actors ARM and RUS; [output] is
// line 14, so its first key is on line 15.
const std::string kHead = testing::kTwoActorHead + "[output]\n";

std::string error_of(const std::string& output, const std::vector<std::string>& sets = {}) {
  try {
    std::vector<Override> overrides;
    for (const auto& s : sets) overrides.push_back(parse_override(s));
    load_scenario_text(kHead + output, "t.toml", overrides);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(OutputOptions, EveryBadValueIsALocatedError) {
  EXPECT_EQ(error_of("every = 0\n"), "t.toml:15:9: error: output.every must be >= 1 (got 0)");
  EXPECT_EQ(error_of("every = -3\n"), "t.toml:15:9: error: output.every must be >= 1 (got -3)");
  EXPECT_EQ(error_of("every = 1.5\n"),
            "t.toml:15:9: error: output.every must be an integer, not a float");
  EXPECT_EQ(error_of("every = \"12\"\n"),
            "t.toml:15:9: error: output.every must be an integer, not a string");
  EXPECT_EQ(error_of("", {"output.every=0"}),
            "--set:1:14: error: output.every must be >= 1 (got 0)");
  EXPECT_EQ(error_of("every = 12\n"), "no error");
}

TEST(OutputOptions, FormatBadValueIsALocatedError) {
  EXPECT_EQ(error_of("format = \"netcfd\"\n"),
            "t.toml:15:10: error: unknown format 'netcfd' in output.format (did you mean "
            "'netcdf'?)");
  EXPECT_EQ(error_of("format = \"xml\"\n"),
            "t.toml:15:10: error: unknown format 'xml' in output.format (valid: csv, netcdf)");
  EXPECT_EQ(error_of("format = 1\n"),
            "t.toml:15:10: error: output.format must be a string, not an integer");
  EXPECT_EQ(error_of("fromat = \"csv\"\n"),
            "t.toml:15:1: error: unknown key 'fromat' in [output] (did you mean 'format'?)");
  EXPECT_EQ(error_of("format = \"netcdf\"\n"), "no error");
}

TEST(OutputOptions, RelationsBadValueIsALocatedError) {
  EXPECT_EQ(error_of("relations = \"some\"\n"),
            "t.toml:15:13: error: unknown relations value 'some' in output.relations (valid: all, "
            "none)");
  EXPECT_EQ(error_of("relations = \"nne\"\n"),
            "t.toml:15:13: error: unknown relations value 'nne' in output.relations (did you "
            "mean 'none'?)");
  EXPECT_EQ(error_of("relations = 3\n"),
            "t.toml:15:13: error: output.relations must be \"all\", \"none\" or an array of "
            "[from, to] actor id pairs, not an integer");
  EXPECT_EQ(error_of("relations = []\n"),
            "t.toml:15:13: error: output.relations must not be empty (write \"none\" for no "
            "relations)");
  EXPECT_EQ(error_of("relations = [[\"ARM\"]]\n"),
            "t.toml:15:14: error: output.relations[0] must be a pair of actor ids [from, to], "
            "not an array of 1");
  EXPECT_EQ(error_of("relations = [\"ARM\", \"RUS\"]\n"),
            "t.toml:15:14: error: output.relations[0] must be a pair of actor ids [from, to], "
            "not a string");
  EXPECT_EQ(error_of("relations = [[\"ARM\", \"RSU\"]]\n"),
            "t.toml:15:22: error: unknown actor 'RSU' in output.relations[0][1] (did you mean "
            "'RUS'?)");
  EXPECT_EQ(error_of("relations = [[\"ARM\", 2]]\n"),
            "t.toml:15:22: error: output.relations[0][1] must be a string, not an integer");
  EXPECT_EQ(error_of("relations = [[\"RUS\", \"RUS\"]]\n"),
            "t.toml:15:14: error: output.relations[0] pairs RUS with itself (relations are "
            "between two actors)");
  EXPECT_EQ(error_of("relations = [[\"RUS\", \"ARM\"], [\"ARM\", \"RUS\"], [\"RUS\", \"ARM\"]]\n"),
            "t.toml:15:46: error: output.relations lists [RUS, ARM] twice");
  EXPECT_EQ(error_of("", {"output.relations=[[\"ARM\",\"ARM\"]]"}),
            "--set:1:19: error: output.relations[0] pairs ARM with itself (relations are "
            "between two actors)");
  EXPECT_EQ(error_of("relations = [[\"RUS\", \"ARM\"]]\n"), "no error");
}

TEST(OutputOptions, LoadedShownAndLoadedAgain) {
  const auto s =
      load_scenario_text(
          kHead + "every = 4\nformat = \"netcdf\"\nrelations = [[\"RUS\", \"ARM\"]]\n", "t.toml")
          .scenario;
  EXPECT_EQ(s.output.every, 4);
  EXPECT_EQ(s.output.format, OutputSpec::Format::netcdf);
  EXPECT_FALSE(s.output.relations_all);
  ASSERT_EQ(s.output.relations.size(), 1u);
  EXPECT_EQ(s.output.relations[0], (std::pair{1, 0}));
  const std::string shown = to_toml(s);
  EXPECT_NE(shown.find("every = 4\nrelations = [[\"RUS\", \"ARM\"]]\nformat = \"netcdf\"\n"),
            std::string::npos)
      << shown;
  EXPECT_EQ(load_scenario_text(shown, "shown.toml").scenario, s);
  const auto none = load_scenario_text(kHead + "relations = \"none\"\n", "t.toml").scenario;
  EXPECT_FALSE(none.output.relations_all);
  EXPECT_TRUE(none.output.relations.empty());
  EXPECT_NE(to_toml(none).find("relations = \"none\"\n"), std::string::npos);
  EXPECT_EQ(load_scenario_text(to_toml(none), "shown.toml").scenario, none);
  // Pairs are kept in file order (i * N + j), whatever order they were listed in.
  const auto both =
      load_scenario_text(kHead + "relations = [[\"RUS\", \"ARM\"], [\"ARM\", \"RUS\"]]\n", "t.toml")
          .scenario;
  EXPECT_EQ(both.output.relations, (std::vector<std::pair<int, int>>{{0, 1}, {1, 0}}));
}

TEST(OutputOptions, WritesStepZeroEveryKthAndTheLast) {
  OutputSpec o;
  o.every = 5;
  std::vector<int> written;
  for (int t = 0; t <= 12; ++t) {
    if (o.writes_step(t, 12)) written.push_back(t);
  }
  EXPECT_EQ(written, (std::vector<int>{0, 5, 10, 12}));
  o.every = 100;
  EXPECT_TRUE(o.writes_step(0, 12));
  EXPECT_FALSE(o.writes_step(11, 12));
  EXPECT_TRUE(o.writes_step(12, 12));
}

RunReport run(const std::string& file, const fs::path& dir, const std::vector<std::string>& sets,
              bool drivers = false, int threads = 2) {
  std::vector<Override> overrides;
  for (const auto& s : sets) overrides.push_back(parse_override(s));
  const LoadedScenario loaded = load_scenario(file, overrides);
  const Model model = compile(loaded.scenario);
  RunSettings settings;
  settings.threads = threads;
  settings.drivers = drivers;
  return run_to_directory(model, settings, dir, {{"test"}, loaded.files});
}

const std::vector<std::string> kDated = {"scenario.step_unit=\"month\"",
                                         "scenario.start=\"2025-04\""};

std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// The rows of a trajectory CSV (header first) whose step is written and, for
// relations, whose pair is listed.
std::vector<std::vector<std::string>> thinned(const std::vector<std::vector<std::string>>& rows,
                                              const std::set<int>& steps,
                                              const std::set<std::string>& pairs = {}) {
  std::vector<std::vector<std::string>> out{rows[0]};
  for (std::size_t k = 1; k < rows.size(); ++k) {
    if (!steps.contains(std::stoi(rows[k][1]))) continue;
    if (!pairs.empty() && !pairs.contains(rows[k][3] + ">" + rows[k][4])) continue;
    out.push_back(rows[k]);
  }
  return out;
}

TEST(OutputOptions, ThinningChangesOnlyTheTrajectoryFiles) {
  const fs::path root = fresh_dir("thinning");
  run("tests/data/noisy.toml", root / "all", kDated, true);
  run("tests/data/noisy.toml", root / "thin",
      with(kDated, {"output.every=5", "output.relations=[[\"S\",\"P\"],[\"P\",\"Q\"]]"}), true);
  for (const char* f :
       {"events.csv", "summary.csv", "shares.csv", "drivers.csv", "position_drivers.csv"}) {
    EXPECT_EQ(slurp(root / "thin" / f), slurp(root / "all" / f)) << f;
  }
  const std::set<int> steps{0, 5, 10, 12};
  EXPECT_EQ(read_csv(root / "thin" / "actors.csv"),
            thinned(read_csv(root / "all" / "actors.csv"), steps));
  EXPECT_EQ(read_csv(root / "thin" / "issues.csv"),
            thinned(read_csv(root / "all" / "issues.csv"), steps));
  const auto rel = read_csv(root / "thin" / "relations.csv");
  EXPECT_EQ(rel, thinned(read_csv(root / "all" / "relations.csv"), steps, {"S>P", "P>Q"}));
  // 24 runs × 4 steps × 2 pairs, P → Q (file order) before S → P.
  ASSERT_EQ(rel.size(), 1u + 24 * 4 * 2);
  EXPECT_EQ(rel[1][3] + rel[1][4] + rel[2][3] + rel[2][4], "PQSP");

  run("tests/data/noisy.toml", root / "none", {"output.relations=\"none\"", "output.every=12"});
  EXPECT_EQ(slurp(root / "none" / "relations.csv"), "run,step,from,to,affinity\n");
  const auto actors = read_csv(root / "none" / "actors.csv");
  ASSERT_EQ(actors.size(), 1u + 24 * 2 * 4);  // steps 0 and 12
  EXPECT_EQ(actors[5][1], "12");
}

TEST(OutputOptions, NetcdfReplacesOnlyTheTrajectoryFiles) {
  const fs::path root = fresh_dir("netcdf-files");
  run("tests/data/noisy.toml", root / "csv", {}, true);
  const RunReport r =
      run("tests/data/noisy.toml", root / "nc", {"output.format=\"netcdf\""}, true, 1);
  EXPECT_EQ(r.files, (std::vector<std::string>{"trajectories.nc", "events.csv", "drivers.csv",
                                               "position_drivers.csv", "summary.csv", "shares.csv",
                                               "manifest.json"}));
  for (const char* f :
       {"events.csv", "summary.csv", "shares.csv", "drivers.csv", "position_drivers.csv"}) {
    EXPECT_EQ(slurp(root / "nc" / f), slurp(root / "csv" / f)) << f;
  }
  for (const char* f : {"actors.csv", "relations.csv", "issues.csv"})
    EXPECT_FALSE(fs::exists(root / "nc" / f)) << f;
  std::set<std::string> on_disk;
  for (const auto& e : fs::directory_iterator(root / "nc")) on_disk.insert(e.path().filename());
  EXPECT_EQ(on_disk, std::set<std::string>(r.files.begin(), r.files.end()));
  const auto m = boost::json::parse(slurp(root / "nc" / "manifest.json")).as_object();
  EXPECT_EQ(m.at("format"), "netcdf");
  EXPECT_EQ(m.at("every"), 1);
  EXPECT_EQ(m.at("relations"), "all");
  const auto& files = m.at("files").as_array();
  ASSERT_EQ(files.size(), r.files.size());
  EXPECT_EQ(files[0].at("name"), "trajectories.nc");
  EXPECT_EQ(files[0].at("bytes").to_number<std::uint64_t>(),
            fs::file_size(root / "nc" / "trajectories.nc"));
}

TEST(OutputOptions, CliFlagsAndTheirErrors) {
  const fs::path root = fresh_dir("cli-flags");
  const auto ok = cli("run tests/data/noisy.toml -q --every 5 --format netcdf -o '" +
                      (root / "a").string() + "'");
  ASSERT_EQ(ok.status, 0) << ok.err;
  const auto m = boost::json::parse(slurp(root / "a" / "manifest.json")).as_object();
  EXPECT_EQ(m.at("format"), "netcdf");
  EXPECT_EQ(m.at("every"), 5);
  EXPECT_TRUE(fs::exists(root / "a" / "trajectories.nc"));
  const auto set =
      cli("run tests/data/noisy.toml -q --set output.every=6 --set "
          "'output.relations=[[\"P\",\"Q\"]]' -o '" +
          (root / "b").string() + "'");
  ASSERT_EQ(set.status, 0) << set.err;
  EXPECT_EQ(read_csv(root / "b" / "relations.csv").size(), 1u + 24 * 3);  // steps 0, 6, 12
  const auto zero =
      cli("run tests/data/noisy.toml -q --every 0 -o '" + (root / "c").string() + "'");
  EXPECT_EQ(zero.status, 2);
  EXPECT_NE(zero.err.find("--every"), std::string::npos) << zero.err;
  const auto xml =
      cli("run tests/data/noisy.toml -q --format xml -o '" + (root / "c").string() + "'");
  EXPECT_EQ(xml.status, 2);
  EXPECT_NE(xml.err.find("--format"), std::string::npos) << xml.err;
  const auto bad = cli("run tests/data/noisy.toml -q --set output.format=xml -o '" +
                       (root / "c").string() + "'");
  EXPECT_EQ(bad.status, 2);
  EXPECT_EQ(bad.err,
            "--set:1:15: error: unknown format 'xml' in output.format (valid: csv, netcdf)\n");
  EXPECT_FALSE(fs::exists(root / "c"));
}

// The summary's statistics and shares are the same bits whether the values
// stay in memory or go, in blocks of a few runs, to a temporary file (which
// leaves nothing behind).
TEST(SummarySpill, SameBitsAsInMemory) {
  const fs::path dir = fresh_dir("spill");
  std::mt19937_64 gen(11);
  std::normal_distribution<double> normal(0.0, 1.0);
  const std::vector<Observable> obs = {
      {Observable::Kind::position, 0, 0},
      {Observable::Kind::regime, 0, -1},
      {Observable::Kind::affinity, 0, 1},
      {Observable::Kind::bloc, 1, -1},
  };
  const auto bits = [](double x) { return std::bit_cast<std::uint64_t>(x); };
  for (int runs : {1, 2, 7, 64, 65, 300, 1001}) {
    for (int steps : {0, 3}) {
      const std::size_t per_run = static_cast<std::size_t>(steps + 1) * obs.size();
      std::vector<double> v(static_cast<std::size_t>(runs) * per_run);
      for (std::size_t k = 0; k < v.size(); ++k) {
        const std::size_t o = k % obs.size();
        v[k] = obs[o].categorical() ? static_cast<double>(gen() % 3)
                                    : std::round(4.0 * normal(gen)) / 4.0 * (gen() % 2 ? 1 : -1);
      }
      SummaryAccumulator memory(obs, steps, runs);
      for (std::size_t budget : {std::size_t{1}, std::size_t{100}, std::size_t{5000}}) {
        SummaryAccumulator spill(obs, steps, runs, dir, budget);
        for (int r = 0; r < runs; ++r) {
          for (int t = 0; t <= steps; ++t) {
            const double* row = v.data() + static_cast<std::size_t>(r) * per_run +
                                static_cast<std::size_t>(t) * obs.size();
            spill.record(r, t, row);
            if (budget == 1) memory.record(r, t, row);
          }
        }
        if (budget == 1) memory.finish();
        spill.finish();
        // It spills when the values exceed the budget, unless one run is all there is.
        EXPECT_EQ(spill.spilled(),
                  static_cast<std::size_t>(runs) * per_run * 8 > budget && runs > 1)
            << runs << " " << budget;
        for (int t = 0; t <= steps; ++t) {
          for (int o = 0; o < static_cast<int>(obs.size()); ++o) {
            if (obs[static_cast<std::size_t>(o)].categorical()) {
              EXPECT_EQ(spill.shares(t, o, 3), memory.shares(t, o, 3));
              continue;
            }
            const Stats a = spill.stats(t, o), b = memory.stats(t, o);
            EXPECT_EQ(bits(a.mean), bits(b.mean)) << runs << " " << steps << " " << budget;
            EXPECT_EQ(bits(a.sd), bits(b.sd));
            for (std::size_t q = 0; q < a.quantile.size(); ++q)
              EXPECT_EQ(a.quantile[q], b.quantile[q]) << runs << " " << budget << " q" << q;
          }
        }
      }
      EXPECT_TRUE(fs::is_empty(dir)) << "the temporary file is left behind";
    }
  }
}

// A run whose summary values spill (a 1 KB budget) writes the same files.
TEST(SummarySpill, ARunThatSpillsWritesTheSameBytes) {
  const fs::path root = fresh_dir("spill-run");
  for (int runs : {1, 5, 24}) {
    const std::string n = std::to_string(runs);
    const std::vector<Override> runs_override = {parse_override("scenario.runs=" + n)};
    const LoadedScenario loaded = load_scenario("tests/data/noisy.toml", runs_override);
    const Model model = compile(loaded.scenario);
    RunSettings settings;
    settings.threads = 2;
    const RunReport memory = run_to_directory(model, settings, root / ("m" + n), {});
    settings.summary_memory = 1024;
    const RunReport spilled = run_to_directory(model, settings, root / ("s" + n), {});
    EXPECT_FALSE(memory.summary.spilled());
    EXPECT_EQ(spilled.summary.spilled(), runs > 1) << runs;
    for (const char* f : {"summary.csv", "shares.csv", "actors.csv", "relations.csv"})
      EXPECT_EQ(slurp(root / ("s" + n) / f), slurp(root / ("m" + n) / f)) << f << " " << runs;
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(root / ("s" + n))) ++entries;
    EXPECT_EQ(entries, 7u) << "nothing but the files of a run";
  }
}

TEST(SummarySpill, RunsOutOfOrderAreRefusedWhenSpilling) {
  const fs::path dir = fresh_dir("spill-order");
  SummaryAccumulator acc({Observable{}}, 0, 10, dir, 8);
  const double x = 1.0;
  acc.record(0, 0, &x);
  acc.record(3, 0, &x);
  EXPECT_THROW(acc.record(1, 0, &x), std::logic_error);
}

}  // namespace
}  // namespace entente
