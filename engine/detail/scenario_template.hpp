// Internals shared by the loader and ScenarioTemplate.
#pragma once

#include <filesystem>
#include <vector>

#include "detail/toml_tree.hpp"
#include "entente/scenario_io.hpp"

namespace entente::detail {

// The merged tree of `file` and its `extends` chain, before overrides; every
// file read is appended to `files`. Defined in engine/scenario_load.cpp.
// Throws InputError as load_scenario does.
TomlNode load_merged_file(const std::filesystem::path& file, std::vector<SourceFile>& files);

}  // namespace entente::detail
