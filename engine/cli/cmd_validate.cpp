#include <iostream>

#include "cli/commands.hpp"
#include "cli/overrides.hpp"

namespace entente::cli {

void print_warnings(const LoadedScenario& loaded) {
  for (const auto& w : loaded.warnings) std::cerr << to_string(w) << '\n';
}

namespace {

int validate(const std::vector<std::string>& files, const std::vector<std::string>& sets) {
  const auto overrides = parse_overrides(sets);
  int status = 0;
  for (const auto& file : files) {
    try {
      const LoadedScenario loaded = load_scenario(file, overrides);
      print_warnings(loaded);
      const Scenario& s = loaded.scenario;
      std::cout << file << ": ok: " << s.actors.size() << " actors, " << s.axes.size() << " axes, "
                << s.institutions.size() << " institutions, " << s.issues.size() << " issues, "
                << s.events.size() << " events, " << s.steps << " steps, " << s.runs << " runs"
                << (loaded.warnings.empty()
                        ? ""
                        : ", " + std::to_string(loaded.warnings.size()) + " warning(s)")
                << '\n';
    } catch (const InputError& e) {
      std::cerr << e.what() << '\n';
      status = 2;
    }
  }
  return status;
}

struct ValidateOptions {
  std::vector<std::string> files, sets;
};

}  // namespace

Command add_validate_command(CLI::App& app) {
  auto o = std::make_shared<ValidateOptions>();
  auto* cmd = app.add_subcommand("validate", "Check scenario files; exit 2 on any error");
  cmd->add_option("scenarios", o->files, "Scenario files")->required();
  cmd->add_option("--set", o->sets, "Override a scenario value: PATH=VALUE");
  return {cmd, [o] { return validate(o->files, o->sets); }};
}

}  // namespace entente::cli
