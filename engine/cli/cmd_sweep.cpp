// `entente sweep SWEEP.toml [-o DIR] [--threads N] [--resume]`.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/interrupt.hpp"
#include "entente/sweep.hpp"

namespace entente::cli {

namespace {

struct SweepOptions {
  std::string file;
  std::string output;  // empty: out/sweep-<file stem>
  int threads = 0;
  bool resume = false;
  double checkpoint = 1.0;
  bool quiet = false;
};

int sweep(const SweepOptions& o, const std::vector<std::string>& argv) {
  const Sweep sw = load_sweep(o.file);
  for (const auto& w : sw.scenario.base().warnings) std::cerr << to_string(w) << '\n';
  const std::filesystem::path dir =
      o.output.empty() ? std::filesystem::path("out") /
                             ("sweep-" + std::filesystem::path(o.file).stem().string())
                       : std::filesystem::path(o.output);
  SweepSettings settings;
  settings.threads = o.threads;
  settings.resume = o.resume;
  settings.checkpoint_seconds = o.checkpoint;
  settings.command_line = argv;
  settings.should_stop = interrupted;
  const bool tty = !o.quiet && ::isatty(STDERR_FILENO) != 0;
  const auto start = std::chrono::steady_clock::now();
  auto shown = start;
  long long first = -1;
  if (!o.quiet) {
    settings.progress = [&, tty](long long done, long long total) {
      const auto now = std::chrono::steady_clock::now();
      if (first < 0) first = done;
      const double elapsed = std::chrono::duration<double>(now - start).count();
      const double since = std::chrono::duration<double>(now - shown).count();
      // A tty gets a line redrawn twice a second; a log one line every 10 s.
      if (done < total && since < (tty ? 0.5 : 10.0)) return;
      shown = now;
      const double rate = elapsed > 0 ? static_cast<double>(done - first) / elapsed : 0.0;
      const double left = rate > 0 ? static_cast<double>(total - done) / rate : 0.0;
      std::fprintf(stderr, "%srun %lld/%lld  %.0f runs/s  %.0f s left%s", tty ? "\r" : "", done,
                   total, rate, left, tty && done < total ? "   " : "\n");
    };
  }
  const SweepReport report = run_sweep(sw, dir, settings);
  if (!o.quiet) {
    if (report.resumed_from == report.runs && report.runs > 0 && first < 0) {
      std::cout << dir.string() << " already holds this sweep, complete\n";
    } else {
      std::cout << "sweep '" << sw.name << "': " << report.points << " points × " << sw.runs
                << " runs = " << report.runs << " runs"
                << (report.resumed_from > 0
                        ? " (resumed after " + std::to_string(report.resumed_from) + ")"
                        : "")
                << "; wrote design.csv, results.csv, manifest.json to " << dir.string() << "/\n";
    }
  }
  return 0;
}

}  // namespace

Command add_sweep_command(CLI::App& app, const std::vector<std::string>& argv) {
  auto o = std::make_shared<SweepOptions>();
  auto* cmd = app.add_subcommand("sweep", "Run a parameter sweep: one ensemble per design point");
  cmd->add_option("sweep", o->file, "Sweep file (TOML)")->required();
  cmd->add_option("-o,--output", o->output, "Output directory (default: out/sweep-<file name>)");
  cmd->add_option("--threads", o->threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(1, 1024));
  cmd->add_flag("--resume", o->resume, "Continue an interrupted sweep in the output directory");
  cmd->add_option("--checkpoint", o->checkpoint,
                  "Seconds between checkpoints of results.csv (default 1)")
      ->check(CLI::Range(0.0, 3600.0));
  cmd->add_flag("-q,--quiet", o->quiet, "Print no progress and no summary");
  return {cmd, [o, argv] { return sweep(*o, argv); }};
}

}  // namespace entente::cli
