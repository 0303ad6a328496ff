// `--set PATH=VALUE` overrides (MODEL.md §4 "Overrides") applied to the merged
// TOML tree, before validation.
#pragma once

#include "entente/scenario/scenario_io.hpp"
#include "scenario/toml_tree.hpp"

namespace entente::detail {

// Sets PATH to VALUE in `root` (the merged root table). PATH is dotted; in an
// array of tables the segment after the array's key is an element id
// (`actors.ARM.power`). Missing tables on the way are created. VALUE is read
// as a TOML value, or taken as a string when it is not one. The new nodes are
// located in the pseudo-file `--set`, line 1, at their column in the argument,
// so that validation errors about them point into the argument.
// Throws InputError (file `--set`) for an unknown element id (with the nearest
// one), an empty path segment, a path through a value that is not a table,
// into an array without ids, at a whole array element, or at
// `scenario.extends`.
void apply_override(TomlNode& root, const Override& override_);

}  // namespace entente::detail
