// The subcommands of the `entente` command line. Each lives in its own
// cmd_*.cpp: it declares its options on the CLI11 app and returns the action
// to run when the user chose it. main.cpp only lists them.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace entente::cli {

// What a command does once its options are parsed: returns the exit status
// (0 ok, 2 bad input, 1 other failure). May throw InputError (→ 2) or any
// std::exception (→ 1); main.cpp prints the message.
using Action = std::function<int()>;

struct Command {
  CLI::App* app = nullptr;  // the subcommand, to ask whether it was chosen
  Action action;
};

// `argv` is the whole command line, for manifests.
Command add_run_command(CLI::App& app, const std::vector<std::string>& argv);
Command add_validate_command(CLI::App& app);
Command add_show_command(CLI::App& app);
Command add_sweep_command(CLI::App& app, const std::vector<std::string>& argv);
Command add_merge_command(CLI::App& app, const std::vector<std::string>& argv);
Command add_analyze_command(CLI::App& app);
Command add_play_command(CLI::App& app);
Command add_compare_command(CLI::App& app, const std::vector<std::string>& argv);
Command add_review_command(CLI::App& app);
Command add_report_command(CLI::App& app);
Command add_calibrate_command(CLI::App& app, const std::vector<std::string>& argv);
Command add_serve_command(CLI::App& app);

}  // namespace entente::cli
