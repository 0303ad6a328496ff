// `entente merge DIR... -o OUT`: the shards of one sweep into the output one
// process writes (docs/cluster.md).
#include <iostream>

#include "cli/commands.hpp"
#include "entente/sweep/sweep.hpp"

namespace entente::cli {

namespace {

struct MergeOptions {
  std::vector<std::string> shards;
  std::string output;
  bool quiet = false;
};

int merge(const MergeOptions& o, const std::vector<std::string>& argv) {
  std::vector<std::filesystem::path> dirs(o.shards.begin(), o.shards.end());
  const SweepReport report = merge_sweep_shards(dirs, o.output, argv);
  if (!o.quiet) {
    std::cout << "merged " << dirs.size() << " shards: " << report.points << " points, "
              << report.runs << " runs; wrote design.csv, results.csv, manifest.json to "
              << o.output << "/\n";
  }
  return 0;
}

}  // namespace

Command add_merge_command(CLI::App& app, const std::vector<std::string>& argv) {
  auto o = std::make_shared<MergeOptions>();
  auto* cmd = app.add_subcommand(
      "merge", "Merge the shard outputs of `entente sweep --shard I/N` into one sweep output");
  cmd->add_option("shards", o->shards, "Shard output directories, all N of them")->required();
  cmd->add_option("-o,--output", o->output, "Output directory")->required();
  cmd->add_flag("-q,--quiet", o->quiet, "Print no summary");
  return {cmd, [o, argv] { return merge(*o, argv); }};
}

}  // namespace entente::cli
