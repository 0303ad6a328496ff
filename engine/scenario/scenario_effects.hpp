// Effect lists (MODEL.md §3) read from a TOML table, shared by [[events]],
// [[moves]] and the injects of `entente play`.
#pragma once

#include <string>
#include <vector>

#include "entente/scenario/scenario.hpp"
#include "entente/util/diagnostics.hpp"
#include "scenario/toml_tree.hpp"

namespace entente::detail {

// Reads the effect lists (`membership`, `affinity`, `position`, `regime`,
// `interdependence`, `weights`, `parameter`) of `table`, whose dotted path is
// `path` ("events.x", "moves.y", "inject"). Keys other than those lists are
// not checked here. Throws InputError at the offending node, naming it by
// its path (`inject.affinity[0].delta must be in [-2, 2] (got 3)`).
Effects read_effects(const TomlNode& table, const std::string& path, const Scenario& s);

// True when no list holds an entry.
bool empty(const Effects& fx);

// [[moves]] (engine/scenario/scenario_moves.cpp); needs actors, axes,
// institutions and issues built. Also reads nothing else.
void build_moves(const TomlNode* moves, Scenario& s, std::vector<Diagnostic>& warnings);

}  // namespace entente::detail
