// Ensemble statistics of observables per step (MODEL.md §6 summary.csv and
// shares.csv).
#pragma once

#include <array>
#include <vector>

#include "entente/model/model.hpp"

namespace entente {

// The statistics of one numeric observable at one step over the runs: mean,
// sd (n − 1; 0 for one run) and the quantiles 5, 25, 50, 75, 95 %, by linear
// interpolation between order statistics (numpy's default).
struct Stats {
  double mean = 0.0;
  double sd = 0.0;
  std::array<double, 5> quantile{};  // p05, p25, p50, p75, p95
};
inline constexpr std::array<double, 5> kSummaryQuantiles{0.05, 0.25, 0.50, 0.75, 0.95};

Stats compute_stats(std::vector<double>& values);  // sorts `values`
// numpy's linear quantile of sorted values.
double quantile_sorted(const std::vector<double>& sorted, double p);

// Collects each observable's value at each step of each run, then computes
// the statistics. Memory: runs × (steps + 1) × observables doubles.
class SummaryAccumulator {
 public:
  SummaryAccumulator(std::vector<Observable> observables, int steps, int runs);
  // Values of every observable at `step` of `run` (categorical: the index).
  void record(int run, int step, const double* values);
  const std::vector<Observable>& observables() const { return observables_; }
  int steps() const { return steps_; }
  int runs() const { return runs_; }
  // Statistics of a numeric observable at a step, over the first `runs` runs.
  Stats stats(int step, int observable, int runs) const;
  // Share of the first `runs` runs in which a categorical observable takes
  // each category (size: `categories`).
  std::vector<double> shares(int step, int observable, int categories, int runs) const;

 private:
  std::vector<Observable> observables_;
  int steps_, runs_;
  std::vector<double> values_;  // [(step * observables + o) * runs + run]
};

}  // namespace entente
