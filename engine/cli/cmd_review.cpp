// `entente review`: the debrief of a workshop session from its log.
#include <iostream>

#include "cli/commands.hpp"
#include "entente/room/room.hpp"
#include "entente/workshop/review.hpp"
#include "util/atomic_file.hpp"

namespace entente::cli {

namespace {

struct ReviewOptions {
  std::string log;
  std::string output;
  entente::ReviewOptions review;
};

int review(const ReviewOptions& o) {
  ResumedSession resumed = resume_session(o.log);
  if (resumed.cut_last_line)
    std::cerr << o.log << ": warning: the last line was cut in half and is ignored\n";
  // A room's log (entente serve) adds its orders, adjudications and messages.
  const std::string md =
      review_markdown(*resumed.session, o.log, o.review) + room_record_markdown(o.log);
  if (o.output.empty()) {
    std::cout << md;
  } else {
    detail::write_file_atomically(o.output, md);
    std::cout << "wrote " << o.output << '\n';
  }
  return 0;
}

}  // namespace

Command add_review_command(CLI::App& app) {
  auto o = std::make_shared<ReviewOptions>();
  auto* cmd = app.add_subcommand("review", "Write the debrief of a workshop session (Markdown)");
  cmd->add_option("log", o->log, "The session's audit log (JSON Lines)")->required();
  cmd->add_option("-o,--output", o->output, "Write the Markdown to FILE (default: stdout)");
  cmd->add_option("--runs", o->review.runs,
                  "Paired runs per counterfactual (runs 0 … N-1 of the session's seed)")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cmd->add_option("--top", o->review.top, "Observables shown per action")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  return {cmd, [o] { return review(*o); }};
}

}  // namespace entente::cli
