// Building many scenarios that differ from one file by a few overrides, fast
// enough for sweeps of a million runs (MODEL.md §4 "Overrides").
#pragma once

#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "entente/scenario/scenario_io.hpp"

namespace entente {

// A scenario file read, merged (`extends`) and validated once. instantiate()
// applies overrides to a copy of the merged tree and validates again, so its
// result is exactly load_scenario(file, overrides).scenario without reading
// or parsing any file. Cheap to copy (shares its state); thread-safe.
class ScenarioTemplate {
 public:
  // Throws InputError as load_scenario does.
  explicit ScenarioTemplate(const std::filesystem::path& file);

  // The scenario with no overrides, its warnings and input files.
  const LoadedScenario& base() const;
  const std::filesystem::path& file() const;

  // load_scenario(file(), overrides).scenario. Throws InputError as it does.
  Scenario instantiate(std::span<const Override> overrides) const;

  struct Impl;

 private:
  std::shared_ptr<const Impl> impl_;
  friend class ScenarioBinding;
};

// A fixed list of override paths bound to a template, for building one
// scenario per list of values. A path that names one number of the scenario
// (a `[model]` rate; an actor's power, stubbornness, noise, position or ideal
// on one axis; one cell of affinity, weights or interdependence; an
// institution's cohesion or one membership; an issue's regime, one salience or
// one utility; an event's step) is set directly on a copy of the base
// scenario, with the loader's range checks and its implied values (a position
// also moves an ideal that the file does not give; an affinity also sets the
// reverse pair when the file does not give it). Any other path, or a value
// that fails a check, goes through ScenarioTemplate::instantiate, so errors
// are the loader's, word for word. Either way make() equals
// load_scenario(file, {PATH_k=TEXT_k}).scenario.
class ScenarioBinding {
 public:
  ScenarioBinding(ScenarioTemplate base, std::vector<std::string> paths);
  ~ScenarioBinding();
  ScenarioBinding(ScenarioBinding&&) noexcept;
  ScenarioBinding& operator=(ScenarioBinding&&) noexcept;

  // `texts[k]` is VALUE for path k as `--set` reads it (a TOML value);
  // `numbers[k]` is the same value as a double, or NaN when it is not a
  // number. Throws InputError (file `--set`) as load_scenario would.
  Scenario make(std::span<const double> numbers, std::span<const std::string> texts) const;

  // True when every path is set directly (no tree is copied).
  bool direct() const;
  const std::vector<std::string>& paths() const;
  const ScenarioTemplate& base() const;

  struct Setter;

 private:
  ScenarioTemplate base_;
  std::vector<std::string> paths_;
  std::vector<Setter> setters_;
};

}  // namespace entente
