// A sweep of the baseline (36 steps, three outputs) end to end: design,
// per-point scenarios, runs on all cores, results.csv streamed to disk with
// checkpoints. Items are runs; the figure is the 1,000,000-run case.
//
//   bench_sweep --benchmark_filter='BM_Sweep/10000/100'    # 1e6 runs, 100 per point
//   bench_sweep --benchmark_filter='BM_Sweep/1000000/1'    # 1e6 runs, one per point
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <filesystem>
#include <fstream>

#include "entente/run/ensemble.hpp"
#include "entente/sweep/sweep.hpp"

namespace {

using namespace entente;
namespace fs = std::filesystem;

fs::path write_sweep(long points, long runs) {
  const fs::path dir = fs::temp_directory_path() / "entente-bench-sweep";
  fs::create_directories(dir);
  const fs::path file =
      dir / ("sweep-" + std::to_string(points) + "-" + std::to_string(runs) + ".toml");
  std::ofstream(file)
      << "[sweep]\nscenario = \"" << ENTENTE_SOURCE_DIR << "/scenarios/baseline.toml\"\n"
      << "runs = " << runs << "\nseed = 1\n\n[design]\nkind = \"lhs\"\npoints = " << points
      << "\n\n"
         "[[parameters]]\npath = \"model.institutions\"\nrange = [0.0, 0.04]\n\n"
         "[[parameters]]\npath = \"model.interdependence\"\nrange = [0.0, 0.1]\n\n"
         "[[parameters]]\npath = \"actors.ARM.stubbornness\"\nrange = [0.0, 0.4]\n\n"
         "[[outputs]]\nname = \"arm_rus\"\nobservable = \"affinity(ARM,RUS)\"\n\n"
         "[[outputs]]\nname = \"arm_orientation\"\nobservable = \"position(ARM,orientation)\"\n"
         "reducer = \"mean\"\n\n"
         "[[outputs]]\nname = \"arm_in_russian_bloc\"\nprobability = \"bloc(ARM) == A\"\n";
  return file;
}

long max_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

// CPU seconds of the whole process (every thread), user + system.
double process_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

void BM_Sweep(benchmark::State& bs) {
  const long points = bs.range(0), runs = bs.range(1);
  const Sweep sweep = load_sweep(write_sweep(points, runs));
  const fs::path out = fs::temp_directory_path() / "entente-bench-sweep" / "out";
  SweepSettings settings;
  settings.threads = default_threads();
  const double cpu0 = process_cpu_seconds();
  for (auto _ : bs) {
    fs::remove_all(out);
    const SweepReport r = run_sweep(sweep, out, settings);
    benchmark::DoNotOptimize(r.runs);
  }
  bs.SetItemsProcessed(bs.iterations() * points * runs);
  bs.counters["threads"] = settings.threads;
  // CPU time of all threads per run: the wall time on idle cores is about
  // this × runs / cores, whatever else the machine was doing.
  bs.counters["cpu_us_per_run"] =
      (process_cpu_seconds() - cpu0) * 1e6 / static_cast<double>(bs.iterations() * points * runs);
  bs.counters["results_MB"] = static_cast<double>(fs::file_size(out / "results.csv")) / 1e6;
  bs.counters["max_rss_MB"] = static_cast<double>(max_rss_mb());
  fs::remove_all(out);
}
BENCHMARK(BM_Sweep)
    ->Args({200, 100})
    ->Args({10000, 100})
    ->Args({1000000, 1})
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->UseRealTime();

}  // namespace
