// `entente report DIR [-o FILE]`: one self-contained HTML page of an output
// directory (include/entente/report/report.hpp, docs/report.md).
#include <iostream>

#include "cli/commands.hpp"
#include "entente/report/report.hpp"

namespace entente::cli {

namespace {

struct ReportOptions {
  std::string directory;
  std::string output;  // empty: DIR/report.html
  bool quiet = false;
};

int report(const ReportOptions& o) {
  const std::filesystem::path dir(o.directory);
  const std::filesystem::path file =
      o.output.empty() ? default_report_path(dir) : std::filesystem::path(o.output);
  const auto bytes = write_report(dir, file);
  if (!o.quiet) {
    std::cout << "wrote " << file.string() << " (" << (bytes + 512) / 1024
              << " KiB; opens offline in any browser)\n";
  }
  return 0;
}

}  // namespace

Command add_report_command(CLI::App& app) {
  auto o = std::make_shared<ReportOptions>();
  auto* cmd =
      app.add_subcommand("report", "Write one self-contained HTML page of an output directory");
  cmd->add_option("directory", o->directory, "Output directory of `entente run`")->required();
  cmd->add_option("-o,--output", o->output, "The HTML file to write (default: DIR/report.html)");
  cmd->add_flag("-q,--quiet", o->quiet, "Print nothing");
  return {cmd, [o] { return report(*o); }};
}

}  // namespace entente::cli
