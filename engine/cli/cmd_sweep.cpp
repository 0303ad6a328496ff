// `entente sweep SWEEP.toml [-o DIR] [--threads N] [--resume] [--shard I/N]
// [--mpi]`; under mpirun with several ranks, an MPI sweep (docs/cluster.md).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <regex>

#include "cli/commands.hpp"
#include "cli/interrupt.hpp"
#include "entente/sweep/sweep.hpp"

namespace entente::cli {

namespace {

struct SweepOptions {
  std::string file;
  std::string output;  // empty: out/sweep-<file stem>
  int threads = 0;
  bool resume = false;
  double checkpoint = 1.0;
  bool quiet = false;
  std::string shard;  // "I/N"
  bool mpi = false;
};

// The number of ranks mpirun started, from Open MPI's (or a PMI's)
// environment; 1 outside mpirun.
int launched_ranks() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"}) {
    if (const char* v = std::getenv(name)) return std::atoi(v);
  }
  return 1;
}

// Runs `f`; under MPI a rank that fails prints its message as main does and
// ends the whole job (MPI_Abort): the other ranks would wait for it forever.
template <class F>
auto or_abort(bool mpi, F&& f) -> decltype(f()) {
  if (!mpi) return f();
  try {
    return f();
  } catch (const InputError& e) {
    std::cerr << e.what() << '\n';
    sweep_mpi_abort(2);
  } catch (const Interrupted& e) {
    std::cerr << "entente: " << e.what() << '\n';
    sweep_mpi_abort(130);
  } catch (const std::exception& e) {
    std::cerr << "entente: error: " << e.what() << '\n';
    sweep_mpi_abort(1);
  }
}

int sweep(const SweepOptions& o, const std::vector<std::string>& argv) {
  const bool mpi = o.mpi || launched_ranks() > 1;
  if (mpi && !sweep_mpi_available())
    throw InputError(SourceLocation{"mpirun", 0, 0},
                     "MPI is not available: this entente was built without MPI (install "
                     "libboost-mpi1.81-dev and libopenmpi-dev and rebuild); use --shard I/N "
                     "instead");
  int shard = 0, shards = 0;
  if (!o.shard.empty()) {
    std::smatch m;
    if (!std::regex_match(o.shard, m, std::regex("([0-9]{1,6})/([0-9]{1,6})")) ||
        std::stoi(m[1]) >= std::stoi(m[2]))
      throw InputError(SourceLocation{"--shard", 0, 0},
                       "'" + o.shard + "': expected I/N with 0 <= I < N, e.g. --shard 0/4");
    if (mpi) throw InputError(SourceLocation{"--shard", 0, 0}, "cannot be combined with MPI");
    shard = std::stoi(m[1]);
    shards = std::stoi(m[2]);
  }
  const Sweep sw = load_sweep(o.file);
  if (mpi && sweep_mpi_rank() != 0) {
    or_abort(true, [&] { run_sweep_worker(sw); });
    return 0;
  }
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
  settings.shard = shard;
  settings.shards = shards;
  settings.mpi = mpi;
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
  const SweepReport report = or_abort(mpi, [&] { return run_sweep(sw, dir, settings); });
  if (!o.quiet) {
    if (report.resumed_from == report.runs && report.runs > 0 && first < 0) {
      std::cout << dir.string() << " already holds this sweep, complete\n";
    } else {
      std::cout << "sweep '" << sw.name << "'" << (shards > 0 ? " shard " + o.shard : std::string())
                << ": " << report.points << " points × " << sw.runs << " runs = " << report.runs
                << " runs"
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
  cmd->add_option("--shard", o->shard,
                  "Run only slice I of N (0-based) of the design points, for `entente merge`");
  cmd->add_flag("--mpi", o->mpi, "Run as an MPI sweep (implied under mpirun with several ranks)");
  return {cmd, [o, argv] { return sweep(*o, argv); }};
}

}  // namespace entente::cli
