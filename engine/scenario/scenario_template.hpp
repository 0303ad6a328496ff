// Internals shared by the loader and ScenarioTemplate.
#pragma once

#include <filesystem>
#include <vector>

#include "entente/scenario/scenario_io.hpp"
#include "scenario/toml_tree.hpp"

namespace entente::detail {

// The merged tree of `file` and its `extends` chain, before overrides; every
// file read is appended to `files`. Defined in engine/scenario/scenario_load.cpp.
// Throws InputError as load_scenario does.
TomlNode load_merged_file(const std::filesystem::path& file, std::vector<SourceFile>& files);

}  // namespace entente::detail
