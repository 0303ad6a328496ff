// entente: the command line. Thin: each subcommand declares its options in
// its own cmd_*.cpp and calls the library.
#include <clocale>
#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <string_view>

#include "cli/commands.hpp"
#include "cli/interrupt.hpp"
#include "entente/util/diagnostics.hpp"
#include "model/step_parts.hpp"

int main(int argc, char** argv) {
  using namespace entente;
  // The terminal's character set (for line editing in `play`); only
  // LC_CTYPE, so that numbers are read and written the same in every locale.
  std::setlocale(LC_CTYPE, "");
  const std::vector<std::string> args(argv, argv + argc);
  // Read by the library once per process (docs/model.md); a misspelling
  // would throw at the first step, so it is refused here, before any work.
  if (const char* isa = std::getenv("ENTENTE_ISA"); isa != nullptr) {
    try {
      detail::parse_step_isa(isa);
    } catch (const std::invalid_argument& e) {
      std::cerr << "entente: error: " << e.what() << "\n";
      return 2;
    }
  }

  CLI::App app{"entente: scenario simulation of regional alignment (MODEL.md v1)", "entente"};
  app.set_version_flag("--version", std::string("entente ") + ENTENTE_VERSION);
  app.require_subcommand(1);

  const std::vector<cli::Command> commands{
      cli::add_run_command(app, args),
      cli::add_validate_command(app),
      cli::add_show_command(app),
      cli::add_sweep_command(app, args),
      cli::add_analyze_command(app),
      cli::add_play_command(app),
      cli::add_compare_command(app, args),
      cli::add_review_command(app),
      cli::add_report_command(app),
      cli::add_merge_command(app, args),
      cli::add_calibrate_command(app, args),
      cli::add_serve_command(app),
  };

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int status = app.exit(e);
    return status == 0 ? 0 : 2;
  }

  cli::install_interrupt_handlers();
  try {
    for (const auto& command : commands) {
      if (command.app->parsed()) return command.action();
    }
  } catch (const InputError& e) {
    std::cerr << e.what() << '\n';
    return 2;
  } catch (const Interrupted& e) {
    std::cerr << "entente: " << e.what() << '\n';
    return 130;
  } catch (const std::exception& e) {
    std::cerr << "entente: error: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
