// `entente play`: the facilitator's terminal session (docs/workshops.md).
#include <editline/readline.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/overrides.hpp"
#include "entente/run/output.hpp"
#include "entente/workshop/play.hpp"

namespace entente::cli {

namespace {

namespace fs = std::filesystem;

struct PlayOptions {
  std::string scenario;
  int turn_steps = 3;
  std::string log;
  std::string script;
  std::string resume;
  long long seed = -1;
  int lookahead = 40;
};

fs::path default_log(const Scenario& s) {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
  const fs::path dir = fs::path("out") / "sessions";
  fs::create_directories(dir);
  return dir / (default_output_directory(s).filename().string() + "-" + stamp + ".jsonl");
}

// Reads the next command: from the script, from a terminal with line
// editing and history, or from a pipe. False at the end of input.
class Input {
 public:
  Input(const std::string& script, const Session& session) : session_(session) {
    if (!script.empty()) {
      file_.open(script);
      if (!file_) throw InputError({script, 0, 0}, "cannot read the script");
      scripted_ = true;
    } else {
      tty_ = ::isatty(STDIN_FILENO) != 0;
    }
  }
  bool next(std::string& line) {
    if (tty_) {
      const std::string prompt = "turn " + std::to_string(session_.turn()) + " · step " +
                                 std::to_string(session_.step()) + "> ";
      char* raw = ::readline(prompt.c_str());
      if (raw == nullptr) return false;
      line = raw;
      std::free(raw);
      if (line.find_first_not_of(" \t") != std::string::npos) ::add_history(line.c_str());
      return true;
    }
    std::istream& in = scripted_ ? static_cast<std::istream&>(file_) : std::cin;
    if (!std::getline(in, line)) return false;
    std::cout << "> " << line << '\n';  // a transcript reads like the session
    return true;
  }

 private:
  const Session& session_;
  std::ifstream file_;
  bool scripted_ = false;
  bool tty_ = false;
};

bool is_comment(const std::string& line) {
  const std::size_t k = line.find_first_not_of(" \t");
  return k == std::string::npos || line[k] == '#';
}

int play(const PlayOptions& o) {
  std::unique_ptr<Session> session;
  WorkshopOptions options;
  fs::path log_path;
  if (!o.resume.empty()) {
    if (!o.scenario.empty())
      throw InputError({"--resume", 0, 0}, "give either a scenario or --resume LOG, not both");
    ResumedSession resumed = resume_session(o.resume);
    log_path = o.resume;
    if (resumed.cut_last_line) {
      // Drop the half-written entry so that the log stays one object per line.
      fs::resize_file(log_path, resumed.good_bytes);
      std::cout << "note: the last line of " << o.resume << " was cut in half and is ignored\n";
    }
    std::cout << "resumed " << resumed.commands << " command(s) from " << o.resume << '\n';
    session = std::move(resumed.session);
    options = resumed.options;
  } else {
    if (o.scenario.empty())
      throw InputError({"play", 0, 0}, "give a scenario file, or --resume LOG");
    Scenario base = load_scenario(o.scenario).scenario;
    if (o.seed >= 0) base.seed = static_cast<std::uint64_t>(o.seed);
    session = std::make_unique<Session>(std::move(base), o.turn_steps);
    options.scenario_file = o.scenario;
    options.lookahead_runs = o.lookahead;
    log_path = o.log.empty() ? default_log(session->base()) : fs::path(o.log);
    std::error_code ec;
    if (fs::exists(log_path, ec) && fs::file_size(log_path, ec) > 0) {
      throw InputError({log_path.string(), 0, 0}, "the log exists; continue it with --resume " +
                                                      log_path.string() +
                                                      " or choose another --log");
    }
  }
  AuditLog log(log_path);
  if (o.resume.empty()) {
    log.start(options.scenario_file, *session, options);
  } else {
    log.note("resume", "session resumed");
  }
  Workshop workshop(*session, options);
  std::cout << "log: " << log_path.string() << "   (type help for the commands)\n";
  std::cout << workshop.dashboard() << std::flush;
  Input input(o.script, *session);
  std::string line;
  while (input.next(line)) {
    if (is_comment(line)) continue;
    const SessionPoint before = session->point();
    const CommandResult r = workshop.execute(line);
    log.record(before, line, r);
    std::cout << r.output << std::flush;
    if (r.quit) break;
  }
  log.note("end", "session ended");
  return 0;
}

}  // namespace

Command add_play_command(CLI::App& app) {
  auto o = std::make_shared<PlayOptions>();
  auto* cmd = app.add_subcommand("play", "Play a scenario turn by turn in a workshop");
  cmd->add_option("scenario", o->scenario, "Scenario file (TOML) with [[moves]]");
  cmd->add_option("--turn-steps", o->turn_steps, "Steps per turn (default 3)")
      ->check(CLI::Range(1, 1000000));
  cmd->add_option("--log", o->log,
                  "Audit log, JSON Lines (default: out/sessions/<scenario>-<time>.jsonl)");
  cmd->add_option("--script", o->script, "Read the commands from FILE instead of the terminal");
  cmd->add_option("--resume", o->resume, "Restore the session of a log and continue it");
  cmd->add_option("--seed", o->seed, "Seed (overrides scenario.seed)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--lookahead", o->lookahead, "Runs of the dashboard's quick ensemble (0: none)")
      ->check(CLI::Range(0, 100000));
  return {cmd, [o] { return play(*o); }};
}

}  // namespace entente::cli
