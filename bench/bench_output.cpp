// Writing trajectories (MODEL.md §6): the cost of one CSV row, and the share
// of `entente run`'s time spent writing rather than simulating.
#include <benchmark/benchmark.h>

#include <unistd.h>
#include <ctime>
#include <filesystem>
#include <string>

#include "detail/csv.hpp"
#include "entente/output.hpp"
#include "entente/scenario_io.hpp"
#include "entente/simulation.hpp"

namespace {

using namespace entente;
namespace fs = std::filesystem;

const char* const kBaseline = ENTENTE_SOURCE_DIR "/scenarios/baseline.toml";

double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// One relations.csv row as output.cpp builds it: run, step and date, two
// actor ids, the affinity in shortest round-trip form. Items: rows.
void BM_FormatRelationRow(benchmark::State& bs) {
  std::string out;
  out.reserve(1 << 20);
  double value = -0.123456789012345;
  long long row = 0;
  for (auto _ : bs) {
    if (out.size() > (1 << 19)) out.clear();
    detail::append_int(out, row % 10000);
    out += ",12,2026-01-01,ARM,AZE,";
    detail::append_double(out, value);
    out += '\n';
    value += 1e-7;
    ++row;
  }
  benchmark::DoNotOptimize(out.data());
  bs.SetItemsProcessed(bs.iterations());
}
BENCHMARK(BM_FormatRelationRow);

// `entente run` on the baseline (range(1) runs, one worker thread, drivers
// when range(0) = 1) into a directory under /tmp, in process CPU time.
// simulate_share: the part of that time the same runs take without writing
// anything (Simulation::advance alone); the rest is recording and writing.
void BM_RunToDirectory(benchmark::State& bs) {
  const bool drivers = bs.range(0) != 0;
  LoadedScenario loaded = load_scenario(kBaseline);
  loaded.scenario.runs = static_cast<int>(bs.range(1));
  const Model m = compile(loaded.scenario);
  const fs::path dir = fs::temp_directory_path() /
                       ("entente-bench-output-" + std::to_string(static_cast<long>(getpid())));
  RunSettings settings;
  settings.threads = 1;
  settings.drivers = drivers;

  const double t0 = process_cpu_seconds();
  double sink = 0.0;
  for (int run = 0; run < loaded.scenario.runs; ++run) {
    Simulation sim(m, static_cast<std::uint64_t>(run), drivers);
    for (int t = 0; t < loaded.scenario.steps; ++t) sim.advance();
    sink += sim.state().R(0, 1);
  }
  const double simulate_seconds = process_cpu_seconds() - t0;
  benchmark::DoNotOptimize(sink);

  std::uintmax_t bytes = 0;
  for (auto _ : bs) {
    const RunReport report = run_to_directory(m, settings, dir, Provenance{});
    benchmark::DoNotOptimize(report.files.size());
    if (bytes == 0) {
      for (const auto& entry : fs::directory_iterator(dir)) bytes += entry.file_size();
    }
  }
  fs::remove_all(dir);
  bs.SetItemsProcessed(bs.iterations() * loaded.scenario.runs);
  bs.SetBytesProcessed(static_cast<std::int64_t>(bs.iterations()) *
                       static_cast<std::int64_t>(bytes));
  bs.counters["simulate_share"] =
      benchmark::Counter(simulate_seconds, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_RunToDirectory)
    ->ArgNames({"drivers", "runs"})
    ->Args({0, 500})
    ->Args({1, 100})
    ->MeasureProcessCPUTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
