#include <iostream>

#include "cli/commands.hpp"
#include "cli/overrides.hpp"

namespace entente::cli {

namespace {

int show(const std::string& file, const std::vector<std::string>& sets) {
  const LoadedScenario loaded = load_scenario(file, parse_overrides(sets));
  print_warnings(loaded);
  std::cout << to_toml(loaded.scenario);
  return 0;
}

struct ShowOptions {
  std::string file;
  std::vector<std::string> sets;
};

}  // namespace

Command add_show_command(CLI::App& app) {
  auto o = std::make_shared<ShowOptions>();
  auto* cmd = app.add_subcommand("show", "Print the resolved scenario as TOML");
  cmd->add_option("scenario", o->file, "Scenario file")->required();
  cmd->add_option("--set", o->sets, "Override a scenario value: PATH=VALUE");
  return {cmd, [o] { return show(o->file, o->sets); }};
}

}  // namespace entente::cli
