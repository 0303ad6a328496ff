// An ensemble run into memory, for front ends that are not files (the Python
// module): the values `entente run` writes to actors.csv, relations.csv,
// issues.csv and the drivers files (MODEL.md §6), as row-major arrays the
// caller owns, and the statistics of summary.csv and shares.csv.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "entente/model/model.hpp"
#include "entente/run/summary.hpp"

namespace entente {

// How an in-memory ensemble runs and how it can be watched and stopped.
struct EnsembleControl {
  int threads = 0;  // 0: all hardware threads
  // Called on the calling thread after each run is committed (done, total).
  std::function<void(int, int)> progress;
  // Polled on the calling thread after each committed run; when it returns
  // true no further run starts and Interrupted is thrown.
  std::function<bool()> should_stop;
};

// Where the runs go: each pointer is null (not wanted) or points at a buffer
// of the size given, with T = steps + 1. Every cell is written. Run r writes
// only its own slice, so no buffer is copied after the run.
struct EnsembleArrays {
  double* position = nullptr;  // [run][step][actor][axis], runs × T × N × K
  double* affinity = nullptr;  // [run][step][from][to], runs × T × N × N; NaN on the diagonal
  std::int32_t* regime = nullptr;      // [run][step][issue], runs × T × Q: option index
  std::int32_t* bloc = nullptr;        // [run][step][actor], runs × T × N: 0 = A, 1 = B
                                       // (only when the model computes blocs)
  double* affinity_drivers = nullptr;  // [run][step][from][to][driver], runs × T × N × N × D
                                       // (D = affinity_driver_labels().size()); 0 at step 0
                                       // and where a driver did nothing, NaN on the diagonal
  double* position_drivers = nullptr;  // [run][step][actor][axis][driver], runs × T × N × K × P
                                       // (P = position_driver_labels().size()); 0 at step 0
                                       // and where a driver did nothing, NaN for an actor's
                                       // influence on itself
};

// The driver dimension of the arrays: `event:<id>` for every event in file
// order, then the mechanism slots (affinity_driver_names,
// position_driver_names). An event that fires contributes what it changed.
std::vector<std::string> affinity_driver_labels(const Scenario& scenario);
std::vector<std::string> position_driver_labels(const Scenario& scenario);

struct EnsembleResult {
  SummaryAccumulator summary;    // every [output] observable, every step, every run
  bool blocs_heuristic = false;  // some bloc partition came from the N > 16 heuristic
};

// Runs the model's ensemble (scenario.runs runs of scenario.steps steps,
// seeded from scenario.seed, as run_to_directory does) into `out`. The values
// are those `entente run` writes, bit for bit, for any thread count. Throws
// Interrupted when control.should_stop said so (the buffers are then
// partly written and should be dropped).
EnsembleResult run_into_memory(const Model& model, const EnsembleArrays& out,
                               const EnsembleControl& control = {});

}  // namespace entente
