#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/interrupt.hpp"
#include "cli/overrides.hpp"
#include "cli/terminal_table.hpp"
#include "entente/run/output.hpp"

namespace entente::cli {

namespace {

struct RunOptions {
  std::string scenario;
  std::string output;   // empty: out/<scenario name slug>
  int runs = 0;         // 0: the scenario's
  long long seed = -1;  // −1: the scenario's
  int steps = 0;        // 0: the scenario's
  int every = 0;        // 0: the scenario's [output] every
  std::string format;   // empty: the scenario's [output] format
  std::vector<std::string> sets;
  int threads = 0;
  bool drivers = false;
  bool quiet = false;
};

int run(const RunOptions& o, const std::vector<std::string>& argv) {
  auto overrides = parse_overrides(o.sets);
  // --runs, --seed and --steps are overrides of [scenario], applied last.
  if (o.runs > 0) overrides.push_back(parse_override("scenario.runs=" + std::to_string(o.runs)));
  if (o.seed >= 0) overrides.push_back(parse_override("scenario.seed=" + std::to_string(o.seed)));
  if (o.steps > 0) overrides.push_back(parse_override("scenario.steps=" + std::to_string(o.steps)));
  // --every and --format are overrides of [output].
  if (o.every > 0) overrides.push_back(parse_override("output.every=" + std::to_string(o.every)));
  if (!o.format.empty()) overrides.push_back(parse_override("output.format=\"" + o.format + "\""));
  const LoadedScenario loaded = load_scenario(o.scenario, overrides);
  print_warnings(loaded);
  const Model model = compile(loaded.scenario);
  const std::filesystem::path dir = o.output.empty() ? default_output_directory(loaded.scenario)
                                                     : std::filesystem::path(o.output);

  RunSettings settings;
  settings.threads = o.threads;
  settings.drivers = o.drivers;
  settings.should_stop = interrupted;
  const bool tty = !o.quiet && ::isatty(STDERR_FILENO) != 0;
  const auto start = std::chrono::steady_clock::now();
  bool printed = false;
  if (tty) {
    settings.progress = [&](int done, int total) {
      const double elapsed =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (elapsed < 1.0 && done < total) return;
      if (!printed && done == total) return;
      std::fprintf(stderr, "\rrun %d/%d  %.1f s", done, total, elapsed);
      printed = true;
      if (done == total) std::fprintf(stderr, "\n");
    };
  }
  const RunReport report = run_to_directory(model, settings, dir, {argv, loaded.files});
  if (!o.quiet) {
    std::cout << terminal_table(model, report);
    std::cout << "wrote " << report.files.size() << " files to " << dir.string() << "/"
              << (report.blocs_heuristic ? " (blocs: heuristic partition for more than 16 actors)"
                                         : "")
              << '\n';
  }
  return 0;
}

}  // namespace

Command add_run_command(CLI::App& app, const std::vector<std::string>& argv) {
  auto o = std::make_shared<RunOptions>();
  auto* cmd = app.add_subcommand("run", "Run a scenario's ensemble and write its trajectories");
  cmd->add_option("scenario", o->scenario, "Scenario file (TOML)")->required();
  cmd->add_option("-o,--output", o->output, "Output directory (default: out/<scenario name>)");
  cmd->add_option("--runs", o->runs, "Ensemble size (overrides scenario.runs)")
      ->check(CLI::Range(1, 100000000));
  cmd->add_option("--seed", o->seed, "Seed (overrides scenario.seed)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--steps", o->steps, "Steps (overrides scenario.steps)")
      ->check(CLI::Range(1, 1000000));
  cmd->add_option("--every", o->every,
                  "Write the trajectories of steps 0, K, 2K, … and the last (overrides "
                  "output.every)")
      ->check(CLI::Range(1, 1000000000));
  cmd->add_option("--format", o->format,
                  "Trajectories as csv (actors, relations, issues .csv) or netcdf "
                  "(trajectories.nc) (overrides output.format)")
      ->check(CLI::IsMember({"csv", "netcdf"}));
  cmd->add_option("--set", o->sets, "Override a scenario value: PATH=VALUE (repeatable)");
  cmd->add_option("--threads", o->threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(1, 1024));
  cmd->add_flag("--drivers", o->drivers, "Also write drivers.csv and position_drivers.csv");
  cmd->add_flag("-q,--quiet", o->quiet, "Print no table and no progress");
  return {cmd, [o, argv] { return run(*o, argv); }};
}

}  // namespace entente::cli
