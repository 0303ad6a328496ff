// `entente review`: the debrief of a workshop session from its log.
#include <iostream>

#include "cli/commands.hpp"
#include "entente/workshop/review.hpp"
#include "util/atomic_file.hpp"

namespace entente::cli {

namespace {

struct ReviewOptions {
  std::string log;
  std::string output;
};

int review(const ReviewOptions& o) {
  const ResumedSession resumed = resume_session(o.log);
  if (resumed.cut_last_line)
    std::cerr << o.log << ": warning: the last line was cut in half and is ignored\n";
  const std::string md = review_markdown(*resumed.session, o.log);
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
  return {cmd, [o] { return review(*o); }};
}

}  // namespace entente::cli
