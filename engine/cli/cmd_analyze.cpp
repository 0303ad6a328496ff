// `entente analyze DIR [--method morris|sobol|regression] [--bootstrap N]`.
#include <cmath>
#include <cstdio>
#include <iostream>

#include "cli/commands.hpp"
#include "entente/sweep/analyze.hpp"
#include "util/atomic_file.hpp"

namespace entente::cli {

namespace {

struct AnalyzeOptions {
  std::string dir;
  std::string method;  // empty: from the manifest's design
  int bootstrap = 1000;
  long long seed = 0;
};

std::string cell(double v) {
  if (std::isnan(v)) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", std::abs(v) < 5e-4 ? 0.0 : v);
  return buf;
}

// One ranked table per output: the key index and its interval.
void print(const Analysis& a) {
  struct Show {
    const char* title;
    int value, low, high;
  };
  const Show show = a.method == "morris"  ? Show{"mu* (scaled)", 3, 4, 5}
                    : a.method == "sobol" ? Show{"total", 3, 4, 5}
                                          : Show{"SRC", 0, 1, 2};
  std::size_t width = 9;
  for (const auto& r : a.rows) width = std::max(width, r.parameter.size());
  std::string last;
  for (const auto& r : a.rows) {
    if (r.output != last) {
      last = r.output;
      std::printf("\n%s (%s)\n", r.output.c_str(), a.method.c_str());
      if (a.method == "sobol") {
        std::printf("  %-*s  %8s  %-17s  %8s  %-17s\n", static_cast<int>(width), "parameter",
                    "first", "95% interval", "total", "95% interval");
      } else {
        std::printf("  %-*s  %12s  %-17s%s\n", static_cast<int>(width), "parameter", show.title,
                    "95% interval", a.method == "morris" ? "  sigma (scaled)" : "        R2");
      }
    }
    const auto& v = r.values;
    if (a.method == "sobol") {
      std::printf("  %-*s  %8s  [%7s, %7s]  %8s  [%7s, %7s]\n", static_cast<int>(width),
                  r.parameter.c_str(), cell(v[0]).c_str(), cell(v[1]).c_str(), cell(v[2]).c_str(),
                  cell(v[3]).c_str(), cell(v[4]).c_str(), cell(v[5]).c_str());
    } else {
      const double extra = a.method == "morris" ? v[6] : v[3];
      std::printf("  %-*s  %12s  [%7s, %7s]  %8s\n", static_cast<int>(width), r.parameter.c_str(),
                  cell(v[static_cast<std::size_t>(show.value)]).c_str(),
                  cell(v[static_cast<std::size_t>(show.low)]).c_str(),
                  cell(v[static_cast<std::size_t>(show.high)]).c_str(), cell(extra).c_str());
    }
  }
}

int analyze(const AnalyzeOptions& o) {
  const std::filesystem::path dir(o.dir);
  const SweepResults results = read_sweep_results(dir);
  const std::string method = o.method.empty() ? default_method(results) : o.method;
  const Analysis a =
      entente::analyze(results, method, o.bootstrap, static_cast<std::uint64_t>(o.seed));
  const std::filesystem::path out = dir / ("sensitivity_" + method + ".csv");
  detail::write_file_atomically(out, to_csv(a));
  print(a);
  std::printf("\nwrote %s (%lld points, %d bootstrap resamples)\n", out.string().c_str(),
              static_cast<long long>(results.x.rows()), o.bootstrap);
  return 0;
}

}  // namespace

Command add_analyze_command(CLI::App& app) {
  auto o = std::make_shared<AnalyzeOptions>();
  auto* cmd = app.add_subcommand("analyze", "Sensitivity indices of a sweep's results, ranked");
  cmd->add_option("dir", o->dir, "Sweep output directory (design.csv, results.csv)")->required();
  cmd->add_option("--method", o->method,
                  "morris, sobol or regression (default: from the sweep's design)")
      ->check(CLI::IsMember({"morris", "sobol", "regression"}));
  cmd->add_option("--bootstrap", o->bootstrap,
                  "Bootstrap resamples for the intervals (default 1000)")
      ->check(CLI::Range(0, 1000000));
  cmd->add_option("--seed", o->seed, "Seed of the bootstrap (default 0)")
      ->check(CLI::NonNegativeNumber);
  return {cmd, [o] { return analyze(*o); }};
}

}  // namespace entente::cli
