// The short table `entente run` prints: the main observables at the start
// and the end, with the ensemble's 5–95 % band.
#pragma once

#include <string>

#include "entente/run/output.hpp"

namespace entente::cli {

std::string terminal_table(const Model& model, const RunReport& report);

}  // namespace entente::cli
