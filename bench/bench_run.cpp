// Whole runs and what surrounds the step: a 36-step run of the baseline,
// ensembles of 10,000 runs on 1 and 2 threads, the bloc partition, loading
// and validating the baseline. Runs per second, steps per second.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <vector>

#include "entente/model/blocs.hpp"
#include "entente/model/simulation.hpp"
#include "entente/run/ensemble.hpp"
#include "entente/scenario/scenario_io.hpp"
#include "synthetic.hpp"

namespace {

using namespace entente;

const char* const kBaseline = ENTENTE_SOURCE_DIR "/scenarios/baseline.toml";

// One run of `steps` steps; returns a value of the last state, so that the
// work cannot be optimised away.
double one_run(const Model& m, std::uint64_t run, int steps) {
  Simulation sim(m, run);
  for (int t = 0; t < steps; ++t) sim.advance();
  return sim.state().R(0, 1);
}

// The baseline's 36 steps, events and blocs included, one run per iteration.
void BM_BaselineRun(benchmark::State& bs) {
  const LoadedScenario loaded = load_scenario(kBaseline);
  const Model m = compile(loaded.scenario);
  std::uint64_t run = 0;
  for (auto _ : bs) benchmark::DoNotOptimize(one_run(m, run++, loaded.scenario.steps));
  bs.SetItemsProcessed(bs.iterations());
  bs.counters["steps_per_s"] =
      benchmark::Counter(loaded.scenario.steps, benchmark::Counter::kIsIterationInvariantRate);
  bs.counters["N"] = m.n;
}
BENCHMARK(BM_BaselineRun);

// 10,000 baseline runs through for_each_run_ordered (the CLI's scheduler),
// each run's result committed in run order, on range(0) threads. Time is
// wall time (compare the two thread counts for the speed-up; it needs both
// cores idle), CPU is the process's CPU time over all threads (equal for
// both thread counts when nothing is lost to coordination).
void BM_Ensemble(benchmark::State& bs) {
  const int threads = static_cast<int>(bs.range(0));
  constexpr int kRuns = 10000;
  const LoadedScenario loaded = load_scenario(kBaseline);
  const Model m = compile(loaded.scenario);
  const int steps = loaded.scenario.steps;
  const int window = 4 * threads;
  std::vector<double> slot_value(static_cast<std::size_t>(window));
  for (auto _ : bs) {
    double sum = 0.0;
    for_each_run_ordered(
        kRuns, threads, window,
        [&](int run, int slot) {
          slot_value[static_cast<std::size_t>(slot)] =
              one_run(m, static_cast<std::uint64_t>(run), steps);
        },
        [&](int, int slot) { sum += slot_value[static_cast<std::size_t>(slot)]; });
    benchmark::DoNotOptimize(sum);
  }
  bs.SetItemsProcessed(bs.iterations() * kRuns);
}
BENCHMARK(BM_Ensemble)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->UseRealTime()
    ->MeasureProcessCPUTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

// The bloc partition (MODEL.md §5.2) of a stepped synthetic R: exhaustive
// over 2^(N−1) splits up to 16 actors.
void BM_Blocs(benchmark::State& bs) {
  const int n = static_cast<int>(bs.range(0));
  const Model m = compile(bench::synthetic(n, 2, true));
  State st = initial_state(m);
  Workspace ws = make_workspace(m);
  Rng rng(1);
  for (int t = 0; t < 5; ++t) step(m, st, ws, rng);
  BlocWorkspace bw = make_bloc_workspace(n);
  BlocPartition out;
  for (auto _ : bs) {
    find_blocs(st.R, m.power_share, 0, bw, out);
    benchmark::DoNotOptimize(out.frustration);
  }
  bs.SetItemsProcessed(bs.iterations());
}
BENCHMARK(BM_Blocs)->ArgName("N")->Arg(7)->Arg(16);

// Reading, merging and validating scenarios/baseline.toml, then compiling it.
void BM_LoadBaseline(benchmark::State& bs) {
  for (auto _ : bs) {
    const LoadedScenario loaded = load_scenario(kBaseline);
    const Model m = compile(loaded.scenario);
    benchmark::DoNotOptimize(m.n);
  }
  bs.SetItemsProcessed(bs.iterations());
}
BENCHMARK(BM_LoadBaseline)->Unit(benchmark::kMicrosecond);

}  // namespace
