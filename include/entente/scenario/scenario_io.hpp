// Reading and writing scenario files (MODEL.md §4). The only part of the
// library that knows TOML.
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "entente/scenario/scenario.hpp"
#include "entente/util/diagnostics.hpp"

namespace entente {

// One `--set PATH=VALUE` override. `text` is the whole argument as given, kept
// for messages and the manifest. VALUE is read as a TOML value (`0.1`, `true`,
// `"x"`, `[1, 2]`, `{ a = 1 }`); a bare word that is not a TOML value is taken
// as a string, so `--set issues.corridor.regime=armenian_control` works.
struct Override {
  std::string text;
  std::string path;   // e.g. "actors.ARM.stubbornness"
  std::string value;  // e.g. "0.2"
};

// Splits `PATH=VALUE`. Throws InputError (file `--set`) when there is no `=`
// or the path is empty.
Override parse_override(std::string_view argument);

// An input file that went into a scenario, for the manifest.
struct SourceFile {
  std::string path;    // as opened
  std::string sha256;  // hex digest of its bytes
};

struct LoadedScenario {
  Scenario scenario;
  std::vector<Diagnostic> warnings;  // load-time warnings (MODEL.md §2.4 included)
  std::vector<SourceFile> files;     // the file itself first, then its `extends` chain
};

// Loads a scenario file: parses it, follows `extends` (paths relative to the
// including file; a cycle is an error), merges (tables key by key, arrays of
// tables with an `id` element by element, other values replaced), applies the
// overrides in order, validates every key, type, range and id, and resolves
// ids to indices. Throws InputError naming file, line and column, with the
// nearest valid key or id for a misspelling.
LoadedScenario load_scenario(const std::filesystem::path& file,
                             std::span<const Override> overrides = {});

// The same for a scenario held in memory; `name` stands for its file name in
// messages, and `extends` is resolved relative to `base_dir`.
LoadedScenario load_scenario_text(std::string_view text, const std::string& name,
                                  std::span<const Override> overrides = {},
                                  const std::filesystem::path& base_dir = ".");

// The resolved scenario as TOML: every default written out, `extends` gone.
// Loading the text again gives a Scenario equal (==) to `scenario`.
std::string to_toml(const Scenario& scenario);

}  // namespace entente
