// `entente calibrate`: fitting scenario rates to observed targets (issue 14).
// A calibration file names a scenario, parameters (any `--set` path with a
// range) and targets (an observable at a step or date, a value and an sd).
// The loss Σ ((ensemble mean − value) / sd)² is minimised by NLopt: a global
// stage (GN_CRS2_LM, fixed seed) then a bounded local stage (LN_BOBYQA), and
// each parameter's profile is traced with the others re-optimised.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "entente/model/observable.hpp"
#include "entente/scenario/scenario_io.hpp"
#include "entente/scenario/scenario_template.hpp"
#include "entente/util/diagnostics.hpp"

namespace entente {

struct CalibrationParameter {
  std::string path;  // a `--set` path
  double min = 0.0;
  double max = 1.0;
  SourceLocation where;
};

struct CalibrationTarget {
  std::string observable_text;  // as written
  Observable observable;
  int step = 0;
  std::string date;  // the step's date when the scenario has a start
  double value = 0.0;
  double sd = 1.0;
  SourceLocation where;
};

struct Calibration {
  std::filesystem::path file;
  std::string name;
  std::filesystem::path scenario_path;  // as resolved (relative to the file)
  ScenarioTemplate scenario;
  int runs = 20;
  std::uint64_t seed = 1;
  int max_evaluations = 2000;
  std::vector<CalibrationParameter> parameters;
  std::vector<CalibrationTarget> targets;
  std::vector<SourceFile> files;  // the calibration file, target CSVs, the scenario chain
};

// Reads and checks a calibration file. Throws InputError at the offending
// place: unknown key or path, min ≥ max, unknown or categorical observable,
// a step or date outside the run, sd ≤ 0, no targets.
Calibration load_calibration(const std::filesystem::path& file);

// The simulated statistics of one target at one parameter point.
struct TargetFit {
  double mean = 0.0;
  double p05 = 0.0;
  double p95 = 0.0;
};

// Builds the scenario of a point (parameter values in file order), runs its
// ensemble (`runs` runs, seeds run_seed(seed, r), the same at every point)
// and returns the loss; `fit`, when given, receives each target's statistics.
class CalibrationEvaluator {
 public:
  CalibrationEvaluator(const Calibration& calibration, int threads);
  ~CalibrationEvaluator();
  double loss(const std::vector<double>& values, std::vector<TargetFit>* fit = nullptr) const;
  // The scenario of a point (overrides applied, seed and runs of the calibration).
  Scenario scenario(const std::vector<double>& values) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct CalibrationProgress {
  int evaluations = 0;
  double best_loss = 0.0;
  double seconds = 0.0;
  std::string stage;  // "global", "local", "profile"
};

struct CalibrationSettings {
  int threads = 0;               // 0: all cores
  int profile_points = 11;       // per parameter; 0: no profiles
  int profile_evaluations = 60;  // local re-optimisation budget per profile point
  std::function<bool()> should_stop;
  std::function<void(const CalibrationProgress&)> progress;
};

struct TraceRow {
  int evaluation = 0;
  std::string stage;
  std::vector<double> values;
  double loss = 0.0;
};

struct ProfilePoint {
  int parameter = 0;
  double value = 0.0;
  double loss = 0.0;  // the others re-optimised
};

// A parameter's profile read as an interval: the values whose profile loss
// is within 3.84 (χ²₁, 95 %) of the minimum; `identified` is false when that
// covers the whole range (a flat profile).
struct ProfileSummary {
  double lo = 0.0;
  double hi = 0.0;
  bool identified = false;
  bool computed = false;
};

struct CalibrationResult {
  std::vector<double> best;
  double loss = 0.0;
  int evaluations = 0;
  bool interrupted = false;
  std::vector<TraceRow> trace;
  std::vector<TargetFit> fit;  // at best
  std::vector<ProfilePoint> profile;
  std::vector<ProfileSummary> summaries;  // per parameter
  double seconds = 0.0;
};

// Runs the optimisation. Stops early (result.interrupted) when should_stop
// says so, keeping the best point found.
CalibrationResult calibrate(const Calibration& calibration, const CalibrationSettings& settings);

// Writes best.toml, fit.csv, trace.csv, profile.csv and manifest.json into a
// staging directory swapped in whole for `directory`.
void write_calibration(const Calibration& calibration, const CalibrationResult& result,
                       const std::filesystem::path& directory,
                       const std::vector<std::string>& command_line);

// The text of best.toml for a directory `directory`.
std::string best_toml(const Calibration& calibration, const CalibrationResult& result,
                      const std::filesystem::path& directory);

}  // namespace entente
