#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/overrides.hpp"
#include "cli/terminal_table.hpp"
#include "entente/output.hpp"

namespace entente::cli {

int run(const RunOptions& o, const std::vector<std::string>& argv) {
  auto overrides = parse_overrides(o.sets);
  // --runs, --seed and --steps are overrides of [scenario], applied last.
  if (o.runs > 0) overrides.push_back(parse_override("scenario.runs=" + std::to_string(o.runs)));
  if (o.seed >= 0) overrides.push_back(parse_override("scenario.seed=" + std::to_string(o.seed)));
  if (o.steps > 0) overrides.push_back(parse_override("scenario.steps=" + std::to_string(o.steps)));
  const LoadedScenario loaded = load_scenario(o.scenario, overrides);
  print_warnings(loaded);
  const Model model = compile(loaded.scenario);
  const std::filesystem::path dir = o.output.empty() ? default_output_directory(loaded.scenario)
                                                     : std::filesystem::path(o.output);

  RunSettings settings;
  settings.threads = o.threads;
  settings.drivers = o.drivers;
  const bool tty = !o.quiet && ::isatty(STDERR_FILENO) != 0;
  const auto start = std::chrono::steady_clock::now();
  bool printed = false;
  if (tty) {
    settings.progress = [&](int done, int total) {
      const double elapsed =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (elapsed < 1.0 && done < total) return;
      if (!printed && done == total) return;
      std::fprintf(stderr, "\rrun %d/%d  %.1f s", done, total, elapsed);
      printed = true;
      if (done == total) std::fprintf(stderr, "\n");
    };
  }
  const RunReport report = run_to_directory(model, settings, dir, {argv, loaded.files});
  if (!o.quiet) {
    std::cout << terminal_table(model, report);
    std::cout << "wrote " << report.files.size() << " files to " << dir.string() << "/"
              << (report.blocs_heuristic ? " (blocs: heuristic partition for more than 16 actors)"
                                         : "")
              << '\n';
  }
  return 0;
}

}  // namespace entente::cli
