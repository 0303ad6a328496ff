// `entente compare`: scenarios (or `entente run` outputs) against the first,
// with common random numbers.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/overrides.hpp"
#include "entente/scenario/scenario_io.hpp"
#include "entente/workshop/compare.hpp"

namespace entente::cli {

namespace {

struct CompareOptions {
  std::vector<std::string> inputs;
  int runs = 0;
  long long seed = -1;
  std::string output;
  int threads = 0;
  int top = 10;
};

int compare_command(const CompareOptions& o, const std::vector<std::string>& argv) {
  if (o.inputs.size() < 2)
    throw InputError({"compare", 0, 0}, "compare needs at least two scenarios or run directories");
  std::vector<Override> overrides;
  if (o.runs > 0) overrides.push_back(parse_override("scenario.runs=" + std::to_string(o.runs)));
  if (o.seed >= 0) overrides.push_back(parse_override("scenario.seed=" + std::to_string(o.seed)));
  std::vector<Trajectories> inputs;
  for (const std::string& in : o.inputs) {
    std::error_code ec;
    if (std::filesystem::is_directory(in, ec)) {
      inputs.push_back(read_run_directory(in));
    } else {
      const LoadedScenario loaded = load_scenario(in, overrides);
      print_warnings(loaded);
      inputs.push_back(simulate_trajectories(loaded.scenario, in, o.threads));
    }
  }
  const Comparison c = compare(inputs);
  std::cout << comparison_table(c, o.top);
  if (!o.output.empty()) {
    write_comparison(c, o.output, argv);
    std::cout << "wrote compare.csv, compare_shares.csv and manifest.json to " << o.output << "/\n";
  }
  return 0;
}

}  // namespace

Command add_compare_command(CLI::App& app, const std::vector<std::string>& argv) {
  auto o = std::make_shared<CompareOptions>();
  auto* cmd = app.add_subcommand(
      "compare", "Compare scenarios (or run directories) with common random numbers");
  cmd->add_option("inputs", o->inputs, "Scenario files or directories written by `entente run`")
      ->required();
  cmd->add_option("--runs", o->runs, "Runs of every scenario file (overrides scenario.runs)")
      ->check(CLI::Range(1, 100000000));
  cmd->add_option("--seed", o->seed, "Seed of every scenario file (overrides scenario.seed)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("-o,--output", o->output, "Write compare.csv, compare_shares.csv, manifest.json");
  cmd->add_option("--threads", o->threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--top", o->top, "Observables shown per input (default 10)")
      ->check(CLI::Range(1, 100000));
  return {cmd, [o, argv] { return compare_command(*o, argv); }};
}

}  // namespace entente::cli
