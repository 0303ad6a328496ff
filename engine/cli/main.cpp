// entente: the command line. Thin: it declares options, then calls the
// library through the subcommands in this folder.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "entente/diagnostics.hpp"

int main(int argc, char** argv) {
  using namespace entente;
  const std::vector<std::string> args(argv, argv + argc);

  CLI::App app{"entente: scenario simulation of regional alignment (MODEL.md v1)", "entente"};
  app.set_version_flag("--version", std::string("entente ") + ENTENTE_VERSION);
  app.require_subcommand(1);

  cli::RunOptions run;
  auto* run_cmd = app.add_subcommand("run", "Run a scenario's ensemble and write its trajectories");
  run_cmd->add_option("scenario", run.scenario, "Scenario file (TOML)")->required();
  run_cmd->add_option("-o,--output", run.output, "Output directory (default: out/<scenario name>)");
  run_cmd->add_option("--runs", run.runs, "Ensemble size (overrides scenario.runs)")
      ->check(CLI::Range(1, 100000000));
  run_cmd->add_option("--seed", run.seed, "Seed (overrides scenario.seed)")
      ->check(CLI::NonNegativeNumber);
  run_cmd->add_option("--steps", run.steps, "Steps (overrides scenario.steps)")
      ->check(CLI::Range(1, 1000000));
  run_cmd->add_option("--set", run.sets, "Override a scenario value: PATH=VALUE (repeatable)");
  run_cmd->add_option("--threads", run.threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(1, 1024));
  run_cmd->add_flag("--drivers", run.drivers, "Also write drivers.csv and position_drivers.csv");
  run_cmd->add_flag("-q,--quiet", run.quiet, "Print no table and no progress");

  std::vector<std::string> validate_files, validate_sets;
  auto* validate_cmd = app.add_subcommand("validate", "Check scenario files; exit 2 on any error");
  validate_cmd->add_option("scenarios", validate_files, "Scenario files")->required();
  validate_cmd->add_option("--set", validate_sets, "Override a scenario value: PATH=VALUE");

  std::string show_file;
  std::vector<std::string> show_sets;
  auto* show_cmd = app.add_subcommand("show", "Print the resolved scenario as TOML");
  show_cmd->add_option("scenario", show_file, "Scenario file")->required();
  show_cmd->add_option("--set", show_sets, "Override a scenario value: PATH=VALUE");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int status = app.exit(e);
    return status == 0 ? 0 : 2;
  }

  try {
    if (*run_cmd) return cli::run(run, args);
    if (*validate_cmd) return cli::validate(validate_files, validate_sets);
    if (*show_cmd) return cli::show(show_file, show_sets);
  } catch (const InputError& e) {
    std::cerr << e.what() << '\n';
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "entente: error: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
