#pragma once

#include <string>
#include <vector>

#include "entente/scenario/scenario_io.hpp"

namespace entente::cli {

// Parses `--set` arguments in order; throws InputError.
inline std::vector<Override> parse_overrides(const std::vector<std::string>& sets) {
  std::vector<Override> out;
  for (const auto& s : sets) out.push_back(parse_override(s));
  return out;
}

// Prints a load's warnings to stderr.
void print_warnings(const LoadedScenario& loaded);

}  // namespace entente::cli
