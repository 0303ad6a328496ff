// Parameter sweeps (docs/sweeps.md): a sweep file names a scenario, a design
// over override paths and the outputs to record; run_sweep runs every design
// point's ensemble and streams one row per run to results.csv, in the same
// order and with the same bytes whatever the thread count, resumable after a
// kill at any moment.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "entente/condition.hpp"
#include "entente/design.hpp"
#include "entente/model.hpp"
#include "entente/scenario_template.hpp"

namespace entente {

// One recorded output of a run: an observable reduced over the steps 0 …
// steps of the run, or a condition.
//
//   final              the value at the last step
//   mean / min / max   over the steps 0 … steps
//   at                 the value at step `at`
//   first_step_when    the first step at which the condition holds; `never`
//                      (default steps + 1) when it never does
//   probability        1 when the condition holds at the last step, else 0;
//                      its mean over a point's replicates is the share of
//                      runs that end with it holding (whether it ever held
//                      is first_step_when <= steps)
struct SweepOutput {
  enum class Reducer { final, mean, min, max, at, first_step_when, probability };
  std::string name;
  Reducer reducer = Reducer::final;
  std::string text;  // the observable or condition as written
  Observable observable;
  Condition condition;
  int at = 0;
  double never = std::numeric_limits<double>::quiet_NaN();  // NaN: steps + 1
  SourceLocation where;
};

const char* to_string(SweepOutput::Reducer reducer);

// A parsed sweep file with its scenario loaded and its design built.
struct Sweep {
  std::filesystem::path file;
  std::string name;
  ScenarioTemplate scenario;
  int runs = 1;  // replicates per design point
  std::uint64_t seed = 0;
  DesignSpec design_spec;
  Design design;
  std::vector<SweepOutput> outputs;
  std::vector<SourceFile> files;  // the sweep file, the scenario chain, a design table
};

// Reads, validates and plans a sweep file: every path is tried on the
// scenario at the extreme values of its parameter, so a bad path or value is
// reported here and not hours into the sweep. Throws InputError naming the
// file, line and column (a scenario error caused by a parameter points at
// that parameter in the sweep file).
Sweep load_sweep(const std::filesystem::path& file);

// The seed of design point `point` (its scenario's `scenario.seed`, so that
// `entente run SCENARIO --set … --set scenario.seed=S` repeats the point):
//
//   point_seed(seed, point) = splitmix64(splitmix64(seed) ^ splitmix64(point + 1)) >> 1
//
// (63 bits, so that it is a valid scenario seed). Replicate r of the point
// then runs with run_seed(point_seed, r) as any ensemble does.
std::uint64_t point_seed(std::uint64_t seed, std::uint64_t point);

// The compiled model of design point `point`: the scenario with the point's
// overrides, scenario.seed = point_seed and scenario.runs = runs. Throws
// InputError as load_scenario would, relocated to the parameter.
Model point_model(const Sweep& sweep, const ScenarioBinding& binding, int point);

// Values of the outputs for one run of a model (what a results.csv row holds
// after its parameters).
void run_outputs(const Sweep& sweep, const Model& model, int replicate, std::vector<double>& out);

struct SweepSettings {
  int threads = 0;  // 0: all cores
  bool resume = false;
  double checkpoint_seconds = 1.0;  // how often results reach the disk (0: every design point)
  std::vector<std::string> command_line;
  std::function<bool()> should_stop;
  std::function<void(long long runs_done, long long runs_total)> progress;
};

struct SweepReport {
  long long points = 0;
  long long runs = 0;
  long long resumed_from = 0;  // runs found on disk with --resume
  std::vector<std::string> files;
};

// Runs the sweep into `dir`: design.csv, results.csv and manifest.json (see
// docs/sweeps.md). Throws InputError when `dir` holds something that is not a
// sweep output, or with `resume` a different sweep; Interrupted when
// settings.should_stop said so (what was done stays for --resume);
// std::runtime_error when writing fails.
SweepReport run_sweep(const Sweep& sweep, const std::filesystem::path& dir,
                      const SweepSettings& settings);

}  // namespace entente
