#include <iostream>

#include "cli/commands.hpp"
#include "cli/overrides.hpp"

namespace entente::cli {

int show(const std::string& file, const std::vector<std::string>& sets) {
  const LoadedScenario loaded = load_scenario(file, parse_overrides(sets));
  print_warnings(loaded);
  std::cout << to_toml(loaded.scenario);
  return 0;
}

}  // namespace entente::cli
