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

#include "entente/model/condition.hpp"
#include "entente/model/model.hpp"
#include "entente/model/simulation.hpp"
#include "entente/scenario/scenario_template.hpp"
#include "entente/sweep/design.hpp"

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
  std::string description;        // [sweep] description ("" without one)
  std::string text;               // the sweep file as read, for the manifest
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
// The same with a simulation of `model` to restart (its memory reused).
void run_outputs(const Sweep& sweep, Simulation& sim, int replicate, std::vector<double>& out);

struct SweepSettings {
  int threads = 0;  // 0: all cores
  bool resume = false;
  double checkpoint_seconds = 1.0;  // how often results reach the disk (0: every design point)
  // --shard I/N (docs/cluster.md): run only design points
  // [floor(I·P/N), floor((I+1)·P/N)) of the P points; shards = 0: the whole
  // sweep. A shard's results.csv holds the header and its rows; its manifest
  // records "shard" and its identity the shard, for merge_sweep_shards.
  int shard = 0;
  int shards = 0;
  // Under mpirun with MPI built in (ENTENTE_HAVE_MPI): rank 0 runs run_sweep
  // with mpi = true and hands work items to the other ranks, which call
  // run_sweep_worker. Throws InputError when MPI is not available.
  bool mpi = false;
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

// Merges the shard outputs `shards` (each from run_sweep with shard I/N) into
// `out`: design.csv and results.csv byte-identical to one process running the
// whole sweep, and its manifest.json (with "merged_from"). Throws InputError
// naming the directory for a directory that is not a complete shard, shards
// of different sweeps or counts, a duplicate or a missing shard; `out` is
// written whole or not at all (detail::StagedDirectory).
SweepReport merge_sweep_shards(const std::vector<std::filesystem::path>& shards,
                               const std::filesystem::path& out,
                               const std::vector<std::string>& command_line);

// True when this build has MPI (ENTENTE_HAVE_MPI).
bool sweep_mpi_available();
// This process's MPI rank and the number of ranks (0 and 1 without MPI or
// outside mpirun). Initialises MPI on first use.
int sweep_mpi_rank();
int sweep_mpi_size();
// A worker rank's part of an MPI sweep: computes the items rank 0 sends until
// it says stop. Throws InputError when MPI is not available.
void run_sweep_worker(const Sweep& sweep);
// Ends every rank of the MPI job with `status` (MPI_Abort): what a rank that
// failed does, so that the others do not wait for it. Without MPI, exits.
[[noreturn]] void sweep_mpi_abort(int status);

}  // namespace entente
