// Ensemble statistics of observables per step (MODEL.md §6 summary.csv and
// shares.csv).
#pragma once

#include <array>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <vector>

#include "entente/model/model.hpp"
#include "entente/util/huge_array.hpp"

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
// the statistics exactly (the same bits for any memory budget). The values
// are held in memory up to `memory_budget` bytes; beyond it they go, in
// blocks of runs, to a temporary file in `spill_directory` (unlinked as soon
// as it is created, so nothing is left behind), and finish() reads them back
// one step and one group of observables at a time. Memory: about
// memory_budget (at least one run's values, and runs doubles for one
// observable when even that exceeds it).
class SummaryAccumulator {
 public:
  static constexpr std::size_t kDefaultBudget = std::size_t{256} << 20;
  // An empty spill_directory keeps everything in memory.
  SummaryAccumulator(std::vector<Observable> observables, int steps, int runs,
                     std::filesystem::path spill_directory = {},
                     std::size_t memory_budget = kDefaultBudget);
  SummaryAccumulator(SummaryAccumulator&&) noexcept;
  SummaryAccumulator& operator=(SummaryAccumulator&&) noexcept;
  ~SummaryAccumulator();

  // Values of every observable at `step` of `run` (categorical: the index).
  // Runs come in order: once a run is recorded, earlier runs may not be.
  void record(int run, int step, const double* values);
  // Computes every step's statistics and shares (once every run is
  // recorded) and releases the values; stats and shares need it first.
  void finish();
  // Whether the values went to a temporary file.
  bool spilled() const { return spill_fd_ >= 0 || spilled_; }

  const std::vector<Observable>& observables() const { return observables_; }
  int steps() const { return steps_; }
  int runs() const { return runs_; }
  // Statistics of a numeric observable at a step, over every run.
  Stats stats(int step, int observable) const;
  // Share of the runs in which a categorical observable takes each category
  // (size: `categories`).
  std::vector<double> shares(int step, int observable, int categories) const;

 private:
  void flush_block();
  std::size_t cells() const { return static_cast<std::size_t>(steps_ + 1) * observables_.size(); }
  std::size_t cell(int step, int observable) const {
    return static_cast<std::size_t>(step) * observables_.size() +
           static_cast<std::size_t>(observable);
  }

  std::vector<Observable> observables_;
  int steps_, runs_;
  std::filesystem::path spill_directory_;
  std::size_t budget_;
  int block_runs_ = 0;      // runs per block
  int block_start_ = 0;     // first run of the block in memory
  int blocks_written_ = 0;  // blocks in the spill file
  detail::HugeArray<double>
      values_;  // the block, run-major: [run * cells + step * observables + o]
  int spill_fd_ = -1;
  bool spilled_ = false;
  bool finished_ = false;
  std::vector<Stats> stats_;                 // [step * observables + o], numeric
  std::vector<std::vector<double>> counts_;  // [step * observables + o], categorical
};

}  // namespace entente
