// `entente calibrate CALIB.toml [-o DIR] [--threads N]` (docs/cli.md).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/interrupt.hpp"
#include "entente/sweep/calibrate.hpp"
#include "util/csv.hpp"

namespace entente::cli {

namespace {

struct CalibrateOptions {
  std::string file;
  std::string output;  // empty: out/<calibration name>-calibration
  int threads = 0;
  int profile_points = 11;
  bool quiet = false;
};

std::string slug(const std::string& name) {
  std::string out;
  bool dash = false;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      if (dash && !out.empty()) out += '-';
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      dash = false;
    } else {
      dash = true;
    }
  }
  return out.empty() ? "calibration" : out;
}

int calibrate_command(const CalibrateOptions& o, const std::vector<std::string>& argv) {
  const Calibration cal = load_calibration(o.file);
  for (const auto& d : cal.scenario.base().warnings) std::cerr << to_string(d) << '\n';
  const std::filesystem::path dir =
      o.output.empty() ? std::filesystem::path("out") / (slug(cal.name) + "-calibration")
                       : std::filesystem::path(o.output);
  CalibrationSettings settings;
  settings.threads = o.threads;
  settings.profile_points = o.profile_points;
  settings.should_stop = interrupted;
  const auto start = std::chrono::steady_clock::now();
  double last_print = -1e9;  // the first evaluation is shown at once
  if (!o.quiet) {
    const bool tty = ::isatty(STDERR_FILENO) != 0;
    settings.progress = [&, tty](const CalibrationProgress& p) {
      if (p.seconds - last_print < (tty ? 0.5 : 5.0)) return;
      last_print = p.seconds;
      std::fprintf(stderr, "%s%s: %d evaluations, %.0f/s, best loss %s%s", tty ? "\r" : "",
                   p.stage.c_str(), p.evaluations, p.evaluations / std::max(p.seconds, 1e-9),
                   detail::format_double(p.best_loss).c_str(), tty ? "   " : "\n");
    };
  }
  const CalibrationResult result = calibrate(cal, settings);
  if (!o.quiet && last_print > -1e9)
    std::fprintf(stderr, "%s", ::isatty(STDERR_FILENO) ? "\n" : "");
  if (result.best.empty())
    throw Interrupted("interrupted before the first evaluation; nothing written");
  write_calibration(cal, result, dir, argv);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!o.quiet) {
    std::cout << "loss " << detail::format_double(result.loss) << " after " << result.evaluations
              << " evaluations in " << detail::format_double(std::round(seconds * 10) / 10)
              << " s\n";
    for (std::size_t k = 0; k < cal.parameters.size(); ++k) {
      const auto& p = cal.parameters[k];
      std::cout << "  " << p.path << " = " << detail::format_double(result.best[k]);
      const auto& s = result.summaries[k];
      if (s.computed && !s.identified) {
        std::cout << "  (not identified by these targets)";
      } else if (s.computed) {
        std::cout << "  (profile interval [" << detail::format_double(s.lo) << ", "
                  << detail::format_double(s.hi) << "])";
      }
      std::cout << '\n';
    }
    std::cout << "wrote best.toml, fit.csv, trace.csv, profile.csv, manifest.json to "
              << dir.string() << "/\n";
  }
  if (result.interrupted) {
    throw Interrupted("interrupted after " + std::to_string(result.evaluations) +
                      " evaluations; kept the best point so far in " +
                      (dir / "best.toml").string());
  }
  return 0;
}

}  // namespace

Command add_calibrate_command(CLI::App& app, const std::vector<std::string>& argv) {
  auto o = std::make_shared<CalibrateOptions>();
  auto* cmd = app.add_subcommand("calibrate", "Fit scenario parameters to observed targets");
  cmd->add_option("calibration", o->file, "Calibration file (TOML)")->required();
  cmd->add_option("-o,--output", o->output,
                  "Output directory (default: out/<calibration name>-calibration)");
  cmd->add_option("--threads", o->threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--profile-points", o->profile_points,
                  "Points per parameter profile (0: no profiles; default 11)")
      ->check(CLI::Range(0, 1000));
  cmd->add_flag("-q,--quiet", o->quiet, "Print no progress and no summary");
  return {cmd, [o, argv] { return calibrate_command(*o, argv); }};
}

}  // namespace entente::cli
