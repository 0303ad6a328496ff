// The subcommands of the `entente` command line. Each parses nothing itself:
// main.cpp declares the options with CLI11 and calls these with the values.
#pragma once

#include <string>
#include <vector>

namespace entente::cli {

struct RunOptions {
  std::string scenario;
  std::string output;   // empty: out/<scenario name slug>
  int runs = 0;         // 0: the scenario's
  long long seed = -1;  // −1: the scenario's
  int steps = 0;        // 0: the scenario's
  std::vector<std::string> sets;
  int threads = 0;
  bool drivers = false;
  bool quiet = false;
};

// Each returns the exit status (0 ok, 2 bad input, 1 other failure) and
// prints its own messages. `argv` is the whole command line, for manifests.
int run(const RunOptions& options, const std::vector<std::string>& argv);
int validate(const std::vector<std::string>& files, const std::vector<std::string>& sets);
int show(const std::string& file, const std::vector<std::string>& sets);

}  // namespace entente::cli
