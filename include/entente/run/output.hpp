// `entente run`'s outputs (MODEL.md §6): an ensemble run straight into a
// directory of CSV files and a manifest.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "entente/model/model.hpp"
#include "entente/run/summary.hpp"
#include "entente/scenario/scenario_io.hpp"

namespace entente {

struct RunSettings {
  int threads = 0;       // 0: all hardware threads
  bool drivers = false;  // also write drivers.csv and position_drivers.csv
  // Bytes of summary values held in memory; beyond, they spill to a
  // temporary file in the staging directory (same statistics, bit for bit).
  std::size_t summary_memory = SummaryAccumulator::kDefaultBudget;
  // Called on the calling thread after each run is written (done, total).
  std::function<void(int, int)> progress;
  // Polled between runs; when it returns true the run stops, the staging
  // directory is removed and Interrupted is thrown.
  std::function<bool()> should_stop;
};

// What went into a run, for manifest.json.
struct Provenance {
  std::vector<std::string> command_line;
  std::vector<SourceFile> inputs;
};

struct RunReport {
  std::filesystem::path directory;
  std::vector<std::string> files;  // in the order written, manifest.json last
  SummaryAccumulator summary;      // finished: every [output] observable, every step
  bool blocs_heuristic = false;    // some bloc partition came from the N > 16 heuristic
};

// Runs the model's ensemble (scenario.runs runs of scenario.steps steps,
// seeded from scenario.seed) and writes actors.csv, relations.csv,
// issues.csv (or, with [output] format = "netcdf", trajectories.nc; thinned
// by [output] every and relations), events.csv, summary.csv, shares.csv (and
// with drivers, drivers.csv and position_drivers.csv), then manifest.json
// (detail/run_files.hpp lists them), into a staging
// directory that replaces `directory` as a whole once complete. Rows are
// ordered by run, step, then file order, and identical for any thread count.
// Throws InputError when `directory` may not be replaced, std::runtime_error
// when writing fails, Interrupted when settings.should_stop said so; in each
// case nothing is left under `directory`'s name that was not there before.
RunReport run_to_directory(const Model& model, const RunSettings& settings,
                           const std::filesystem::path& directory, const Provenance& provenance);

// `out/<slug of the scenario name>`: lower case, runs of other characters
// than letters and digits become one '-'.
std::filesystem::path default_output_directory(const Scenario& scenario);

}  // namespace entente
