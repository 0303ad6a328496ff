// One step of the dynamics (MODEL.md §2), in steps per second, against the
// floor the balance term sets at large N: the two N×N products
// R diag(w) R and |R| diag(w) |R|, timed here with Eigen's own
// `noalias() = A * B` on the same matrices. Counters:
//   pairs     N(N−1), the affinity entries one step updates;
//   floor_us  the two products, best of several timings, in µs;
//   x_floor   the step's CPU time per iteration divided by floor_us.
// BM_StepGrowth spans N = 4 … 256 for the fitted exponent (bench/README.md).
// The label names the step's path: avx512 or avx2 (engine/model/step_wide.cpp,
// Highway, N = 7, the widest the CPU has) or baseline (the portable code);
// BM_StepPortable forces the portable path at N = 7 for comparison (so does
// ENTENTE_ISA=baseline), BM_StepIsa every path this CPU has, BM_NoiseDraws
// the noise of one N = 7 step alone (14 position and 42 affinity draws).
#include <benchmark/benchmark.h>

#include <Eigen/Core>
#include <algorithm>
#include <ctime>

#include "entente/model/step.hpp"
#include "model/step_parts.hpp"
#include "synthetic.hpp"

namespace {

using namespace entente;

// This thread's CPU time in seconds (the benchmarks report CPU time too).
double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// The two products of the balance term, Eigen's way, in CPU seconds: the
// best of `reps` timings of both products (after one warm-up).
double two_product_floor(const State& st, int reps) {
  const RowMatrix absR = st.R.cwiseAbs();
  const RowMatrix wR = st.w.asDiagonal() * st.R;
  const RowMatrix wabsR = st.w.asDiagonal() * absR;
  RowMatrix triad(st.R.rows(), st.R.cols()), triad_abs(st.R.rows(), st.R.cols());
  // Small products take less than the clock's resolution: time batches.
  const long n = st.R.rows();
  const int batch = static_cast<int>(std::max(1L, (1L << 21) / (n * n * n)));
  double best = 1e300;
  for (int r = 0; r <= reps; ++r) {
    const double t0 = cpu_seconds();
    for (int b = 0; b < batch; ++b) {
      triad.noalias() = st.R * wR;
      triad_abs.noalias() = absR * wabsR;
      benchmark::DoNotOptimize(triad.data());
      benchmark::DoNotOptimize(triad_abs.data());
    }
    const double t1 = cpu_seconds();
    if (r > 0) best = std::min(best, (t1 - t0) / batch);
  }
  return best;
}

void step_benchmark(benchmark::State& bs, int n, bool noise) {
  const Model m = compile(bench::synthetic(n, 2, noise));
  State st = initial_state(m);
  Workspace ws = make_workspace(m);
  Rng rng(1);
  for (int t = 0; t < 3; ++t) step(m, st, ws, rng);  // leave the symmetric start
  const double floor = two_product_floor(st, 10);
  for (auto _ : bs) {
    step(m, st, ws, rng);
    benchmark::DoNotOptimize(st.R.data());
  }
  bs.SetItemsProcessed(bs.iterations());
  bs.SetLabel(detail::step_isa_name(n == 7 ? detail::step_isa() : detail::StepIsa::baseline));
  bs.counters["pairs"] = static_cast<double>(n) * (n - 1);
  bs.counters["floor_us"] = floor * 1e6;
  bs.counters["x_floor"] = benchmark::Counter(
      floor, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void BM_Step(benchmark::State& bs) {
  step_benchmark(bs, static_cast<int>(bs.range(0)), bs.range(1) != 0);
}
BENCHMARK(BM_Step)
    ->ArgsProduct({{7, 16, 64, 256}, {0, 1}})
    ->ArgNames({"N", "noise"})
    ->ComputeStatistics("min", [](const std::vector<double>& v) {
      return *std::min_element(v.begin(), v.end());
    });

// BM_Step at N = 7 on the portable code whatever the CPU has.
void BM_StepPortable(benchmark::State& bs) {
  const detail::StepIsa saved = detail::step_isa();
  detail::set_step_isa(detail::StepIsa::baseline);
  step_benchmark(bs, 7, bs.range(0) != 0);
  detail::set_step_isa(saved);
}
BENCHMARK(BM_StepPortable)->ArgName("noise")->Arg(0)->Arg(1);

// N = 7 on each instruction set: 0 baseline, 1 avx2, 2 avx512.
constexpr detail::StepIsa kIsas[] = {detail::StepIsa::baseline, detail::StepIsa::avx2,
                                     detail::StepIsa::avx512};
void BM_StepIsa(benchmark::State& bs) {
  const detail::StepIsa isa = kIsas[bs.range(0)];
  if (!detail::isa_available(isa)) {
    bs.SkipWithError("this CPU has no such step");
    return;
  }
  const detail::StepIsa saved = detail::step_isa();
  detail::set_step_isa(isa);
  step_benchmark(bs, 7, bs.range(1) != 0);
  detail::set_step_isa(saved);
}
// On a shared machine run with --benchmark_repetitions=N: the `min`
// statistic (the quietest repetition, like the floor's best of ten) is the
// steadiest figure.
double minimum(const std::vector<double>& v) {
  return *std::min_element(v.begin(), v.end());
}
BENCHMARK(BM_StepIsa)
    ->ArgsProduct({{0, 1, 2}, {0, 1}})
    ->ArgNames({"isa", "noise"})
    ->ComputeStatistics("min", minimum);

// The draws of one N = 7, K = 2 step (detail::draw_step_noise) on each
// instruction set; items are draws.
void BM_NoiseDraws(benchmark::State& bs) {
  const detail::StepIsa isa = kIsas[bs.range(0)];
  if (!detail::isa_available(isa)) {
    bs.SkipWithError("this CPU has no such step");
    return;
  }
  const detail::StepIsa saved = detail::step_isa();
  detail::set_step_isa(isa);
  const Model m = compile(bench::synthetic(7, 2, true));
  State st = initial_state(m);
  Workspace ws = make_workspace(m);
  const Rng rng(1);
  for (auto _ : bs) {
    detail::draw_step_noise(st, ws, rng, true, true);
    st.step += 1;
    benchmark::DoNotOptimize(ws.noise_R.data());
  }
  bs.SetItemsProcessed(bs.iterations() * (7 * 2 + 7 * 6));
  bs.SetLabel(detail::step_isa_name(isa));
  detail::set_step_isa(saved);
}
BENCHMARK(BM_NoiseDraws)->ArgName("isa")->Arg(0)->Arg(1)->Arg(2)->ComputeStatistics("min", minimum);

// Noise off, N on a roughly geometric grid, for the growth fit.
void BM_StepGrowth(benchmark::State& bs) {
  step_benchmark(bs, static_cast<int>(bs.range(0)), false);
}
BENCHMARK(BM_StepGrowth)
    ->ArgName("N")
    ->Arg(4)
    ->Arg(6)
    ->Arg(8)
    ->Arg(11)
    ->Arg(16)
    ->Arg(23)
    ->Arg(32)
    ->Arg(45)
    ->Arg(64)
    ->Arg(91)
    ->Arg(128)
    ->Arg(181)
    ->Arg(256);

// The step with drivers recorded (what `entente run --drivers` pays).
void BM_StepWithDrivers(benchmark::State& bs) {
  const int n = static_cast<int>(bs.range(0));
  const Model m = compile(bench::synthetic(n, 2, true));
  State st = initial_state(m);
  Workspace ws = make_workspace(m);
  StepDrivers d = make_step_drivers(m);
  Rng rng(1);
  for (auto _ : bs) {
    step(m, st, ws, rng, &d);
    benchmark::DoNotOptimize(d.affinity.data());
  }
  bs.SetItemsProcessed(bs.iterations());
}
BENCHMARK(BM_StepWithDrivers)->ArgName("N")->Arg(7)->Arg(64);

// The reference step, for scale: what the plain loops cost.
void BM_ReferenceStep(benchmark::State& bs) {
  const int n = static_cast<int>(bs.range(0));
  const Model m = compile(bench::synthetic(n, 2, false));
  State st = initial_state(m);
  Rng rng(1);
  for (auto _ : bs) {
    reference_step(m, st, rng);
    benchmark::DoNotOptimize(st.R.data());
  }
  bs.SetItemsProcessed(bs.iterations());
}
BENCHMARK(BM_ReferenceStep)->ArgName("N")->Arg(7)->Arg(64);

}  // namespace
