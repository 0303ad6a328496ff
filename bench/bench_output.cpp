// Writing trajectories (MODEL.md §6): the cost of one CSV row and of its
// parts (a shortest round-trip number; summary statistics), and the share of
// `entente run`'s time spent writing rather than simulating.
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <charconv>
#include <ctime>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "entente/model/simulation.hpp"
#include "entente/run/output.hpp"
#include "entente/run/summary.hpp"
#include "entente/scenario/scenario_io.hpp"
#include "run/row_text.hpp"
#include "util/csv.hpp"
#include "util/shortest.hpp"

namespace {

using namespace entente;
namespace fs = std::filesystem;

const char* const kBaseline = ENTENTE_SOURCE_DIR "/scenarios/baseline.toml";

double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// One relations.csv row: run, step and date, two actor ids, the affinity in
// shortest round-trip form. fast:0 builds it as output.cpp did before issue
// 7 (std::string appends, std::to_chars), fast:1 as it does now (labels
// formatted once, detail::RowText, detail::write_shortest). Items: rows.
void BM_FormatRelationRow(benchmark::State& bs) {
  const bool fast = bs.range(0) != 0;
  std::string out;
  out.reserve(1 << 20);
  detail::RowText text;
  const std::string step = "12,2026-01-01,", pair = "ARM,AZE,";
  double value = -0.123456789012345;
  long long row = 0;
  for (auto _ : bs) {
    if (fast) {
      if (text.size() > (1 << 19)) text.clear();
      char* p = text.room(128);
      p = detail::write_uint(p, static_cast<std::uint64_t>(row % 10000));
      *p++ = ',';
      p = detail::put(p, step);
      p = detail::put(p, pair);
      p = detail::write_shortest(p, value);
      *p++ = '\n';
      text.done(p);
    } else {
      if (out.size() > (1 << 19)) out.clear();
      detail::append_int(out, row % 10000);
      out += ',';
      out += step;
      out += pair;
      detail::append_double(out, value);
      out += '\n';
    }
    value += 1e-7;
    ++row;
  }
  benchmark::DoNotOptimize(out.data());
  benchmark::DoNotOptimize(text.view().data());
  bs.SetItemsProcessed(bs.iterations());
}
BENCHMARK(BM_FormatRelationRow)->ArgName("fast")->Arg(0)->Arg(1);

// Affinity-like values, −1 … 1 with 16–17 significant digits, as the
// trajectories hold them.
const std::vector<double>& sample_values() {
  static const std::vector<double> values = [] {
    std::mt19937_64 gen(42);
    std::uniform_real_distribution<double> unit(-1.0, 1.0);
    std::vector<double> v(4096);
    for (auto& x : v) x = unit(gen);
    return v;
  }();
  return values;
}

// One shortest round-trip double: std::to_chars (libstdc++'s Ryu; what
// append_double uses) against detail::write_shortest (Dragonbox, same bytes).
// Items: numbers.
void BM_ShortestDouble(benchmark::State& bs) {
  const bool fast = bs.range(0) != 0;
  const auto& values = sample_values();
  char buf[64];
  std::size_t k = 0, total = 0;
  for (auto _ : bs) {
    const double v = values[k++ & 4095];
    const char* end =
        fast ? detail::write_shortest(buf, v) : std::to_chars(buf, buf + sizeof buf, v).ptr;
    total += static_cast<std::size_t>(end - buf);
    benchmark::DoNotOptimize(buf);
  }
  benchmark::DoNotOptimize(total);
  bs.SetItemsProcessed(bs.iterations());
  bs.SetLabel(fast ? "write_shortest" : "std::to_chars");
}
BENCHMARK(BM_ShortestDouble)->ArgName("dragonbox")->Arg(0)->Arg(1);

// summary.csv's statistics of one observable at one step over range(1)
// runs: compute_stats (a full sort) against SummaryAccumulator (record,
// finish: selection of the quantiles' order statistics, same bits). Both
// copy the values once. Items: values.
void BM_SummaryStats(benchmark::State& bs) {
  const bool selection = bs.range(0) != 0;
  const int runs = static_cast<int>(bs.range(1));
  constexpr int kSamples = 64;  // different samples in turn: no branch history to learn
  std::mt19937_64 gen(1);
  std::normal_distribution<double> normal(0.0, 0.3);
  std::vector<std::vector<double>> values(kSamples,
                                          std::vector<double>(static_cast<std::size_t>(runs)));
  for (auto& sample : values) {
    for (double& x : sample) x = normal(gen);
  }
  int t = 0;
  for (auto _ : bs) {
    const std::vector<double>& sample = values[static_cast<std::size_t>(t)];
    if (selection) {
      SummaryAccumulator acc({Observable{}}, 0, runs);
      for (int r = 0; r < runs; ++r) acc.record(r, 0, &sample[static_cast<std::size_t>(r)]);
      acc.finish();
      benchmark::DoNotOptimize(acc.stats(0, 0));
    } else {
      std::vector<double> copy = sample;
      benchmark::DoNotOptimize(compute_stats(copy));
    }
    t = (t + 1) % kSamples;
  }
  bs.SetItemsProcessed(bs.iterations() * runs);
  bs.SetLabel(selection ? "selection" : "sort");
}
BENCHMARK(BM_SummaryStats)->ArgNames({"selection", "runs"})->ArgsProduct({{0, 1}, {200, 5000}});

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

// `entente run` on the baseline, 1,000 runs on one worker thread, by
// [output] format (range(0): 0 csv, 1 netcdf) and every (range(1)), in
// process CPU time. writing_share: 1 − the share of that time the same runs
// take without recording or writing anything (Simulation::advance alone,
// blocs included); it holds the trajectory files, events.csv, the
// observables and summary.csv's statistics.
void BM_RunFormats(benchmark::State& bs) {
  LoadedScenario loaded = load_scenario(kBaseline);
  loaded.scenario.runs = 1000;
  loaded.scenario.output.format =
      bs.range(0) != 0 ? OutputSpec::Format::netcdf : OutputSpec::Format::csv;
  loaded.scenario.output.every = static_cast<int>(bs.range(1));
  const Model m = compile(loaded.scenario);
  const fs::path dir = fs::temp_directory_path() /
                       ("entente-bench-formats-" + std::to_string(static_cast<long>(getpid())));
  RunSettings settings;
  settings.threads = 1;

  // The simulation alone and the whole run, in turn in every iteration, so
  // that both see the same load.
  std::uintmax_t bytes = 0;
  double simulate_seconds = 0.0, run_seconds = 0.0, sink = 0.0;
  for (auto _ : bs) {
    bs.PauseTiming();
    const double t0 = process_cpu_seconds();
    Simulation sim(m, 0, false);  // restarted run after run, as run_to_directory does
    for (int run = 0; run < loaded.scenario.runs; ++run) {
      sim.restart(static_cast<std::uint64_t>(run));
      for (int t = 0; t < loaded.scenario.steps; ++t) sim.advance();
      sink += sim.state().R(0, 1);
    }
    simulate_seconds += process_cpu_seconds() - t0;
    bs.ResumeTiming();
    const double t1 = process_cpu_seconds();
    const RunReport report = run_to_directory(m, settings, dir, Provenance{});
    run_seconds += process_cpu_seconds() - t1;
    benchmark::DoNotOptimize(report.files.size());
    if (bytes == 0) {
      for (const auto& entry : fs::directory_iterator(dir)) bytes += entry.file_size();
    }
  }
  benchmark::DoNotOptimize(sink);
  fs::remove_all(dir);
  bs.SetItemsProcessed(bs.iterations() * loaded.scenario.runs);
  bs.counters["bytes"] = static_cast<double>(bytes);
  bs.counters["writing_share"] = 1.0 - simulate_seconds / run_seconds;
  bs.SetLabel(bs.range(0) != 0 ? "netcdf" : "csv");
}
BENCHMARK(BM_RunFormats)
    ->ArgNames({"netcdf", "every"})
    ->ArgsProduct({{0, 1}, {1, 12}})
    ->MeasureProcessCPUTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
