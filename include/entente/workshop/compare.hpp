// `entente compare`: the effect of the differences between scenarios, with
// common random numbers. Run r of every input uses run_seed(seed, r), so that
// when the draw sequences line up the paired difference run by run removes
// the noise the inputs share, and what is left comes from the scenarios.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "entente/run/ensemble_memory.hpp"
#include "entente/scenario/scenario.hpp"

namespace entente {

// The values of observables over the runs and steps of one input: a
// scenario simulated here, or a directory written by `entente run`.
struct Trajectories {
  std::string label;   // the scenario's name
  std::string source;  // the file or directory as given
  std::shared_ptr<const Scenario> scenario;
  std::uint64_t seed = 0;
  int runs = 0;
  int steps = 0;
  std::vector<Observable> observables;
  std::vector<std::string> names;  // canonical spelling of each observable
  // [(o * (steps + 1) + t) * runs + r]; a category index for categorical ones.
  std::vector<double> values;
  double value(int o, int t, int r) const {
    return values[(static_cast<std::size_t>(o) * static_cast<std::size_t>(steps + 1) +
                   static_cast<std::size_t>(t)) *
                      static_cast<std::size_t>(runs) +
                  static_cast<std::size_t>(r)];
  }
};

// The observables compared for a scenario: its `[output] observables`, then
// every position and affinity, then bloc(I) of every actor when blocs are on.
std::vector<Observable> compared_observables(const Scenario& scenario);

// Runs the ensemble of `scenario` (its seed and runs) on `threads` threads
// and records every compared observable at every step of every run.
Trajectories simulate_trajectories(const Scenario& scenario, const std::string& source,
                                   int threads = 0);
// The same with progress and a stop request (control.threads as above);
// throws Interrupted when control.should_stop said so.
Trajectories simulate_trajectories(const Scenario& scenario, const std::string& source,
                                   const EnsembleControl& control);

// Reads a directory written by `entente run`: manifest.json (seed, runs,
// steps, the resolved scenario), actors.csv, relations.csv, issues.csv. Its
// observables: every position and affinity, bloc(I) when actors.csv has
// blocs, regime(Q). Throws InputError naming the file and line when the
// directory is not a complete `entente run` output.
Trajectories read_run_directory(const std::filesystem::path& dir);

// The paired difference other − base over the runs at one step: the mean,
// its sd (n − 1), the 90 % confidence interval of the mean (Student's t,
// n − 1 degrees of freedom; zero width when the difference is the same in
// every run), the 5 % and 95 % quantiles of the per-run differences, the
// share of runs where it is positive, and the two means.
struct PairedDifference {
  double mean = 0.0, sd = 0.0, ci_low = 0.0, ci_high = 0.0, p05 = 0.0, p95 = 0.0;
  double p_positive = 0.0, base_mean = 0.0, other_mean = 0.0;
  double p_negative = 0.0;       // the share of runs where it is negative
  double low = 0.0, high = 0.0;  // the smallest and largest per-run difference
  // Whether the difference is the same in every run (to 1e-12 of its size,
  // so that rounding in runs with common random numbers does not count).
  bool same_in_every_run() const;
};
PairedDifference paired_difference(const std::vector<double>& base,
                                   const std::vector<double>& other);

// Every input against the first, for every common observable and step.
struct Comparison {
  std::vector<std::string> labels, sources;
  std::uint64_t seed = 0;
  int runs = 0;
  int steps = 0;
  std::shared_ptr<const Scenario> scenario;  // the first input's, for names and dates
  // Every input's scenario, in order (for the manifest's descriptions and texts).
  std::vector<std::shared_ptr<const Scenario>> scenarios;
  std::vector<std::string> names;  // common observables, in the first input's order
  std::vector<std::vector<std::string>> categories;  // empty for numeric observables
  // numeric[k - 1][o][t]: input k against the first (numeric observables).
  std::vector<std::vector<std::vector<PairedDifference>>> numeric;
  // shares[k][o][t][c]: share of runs in category c, for every input (categorical).
  std::vector<std::vector<std::vector<std::vector<double>>>> shares;
};

// Throws InputError when the inputs do not share their seed, runs and steps
// (common random numbers need all three), or have no observable in common.
Comparison compare(const std::vector<Trajectories>& inputs);

// Writes compare.csv (numeric), compare_shares.csv (categorical) and
// manifest.json into `dir`, whole or not at all (like `entente run`). The
// manifest's `inputs` give each input's name, source, description and
// resolved scenario (to_toml), so a report of the directory is its own record.
void write_comparison(const Comparison& c, const std::filesystem::path& dir,
                      const std::vector<std::string>& command_line);

// "positive in 100 % of 200 paired runs": the share of the paired runs in
// which the difference has the sign of its mean (positive when the mean is
// 0); a share strictly between 0 and 1 never reads 0 % or 100 %. "zero in
// all 200 paired runs" when the difference is 0 in every run.
std::string share_text(const PairedDifference& d, int runs);

// The terminal summary: per input, the `top` numeric observables with the
// largest |mean difference| at the last step, with their intervals, then the
// categorical shares that changed. An interval of zero width reads "the
// same in every run"; the last column is share_text().
std::string comparison_table(const Comparison& c, int top = 10);

}  // namespace entente
