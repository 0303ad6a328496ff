// `entente play`: the facilitator's terminal session (docs/workshops.md).
#include <editline/readline.h>
#include <langinfo.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/interrupt.hpp"
#include "cli/overrides.hpp"
#include "entente/run/output.hpp"
#include "entente/workshop/bots.hpp"
#include "entente/workshop/play.hpp"
#include "util/suggest.hpp"

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
  bool no_editing = false;
  std::string bots;                // --bots ARM,RUS | rest
  std::vector<std::string> teams;  // --team ID (repeatable)
  int bot_horizon = -1;            // -1: not given (6)
  int bot_runs = -1;               // -1: not given (20)
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

// Ctrl-C in an interactive session (docs/workshops.md): at the prompt it
// discards the line being typed and shows a fresh prompt, as a shell does;
// while a command runs, the command finishes and is logged, then the session
// ends cleanly (exit status 130); a second Ctrl-C while the command still
// runs ends the process at once (the log keeps every entry before it).
volatile std::sig_atomic_t g_at_prompt = 0;
volatile std::sig_atomic_t g_interrupts = 0;
// The terminal's settings before the session, restored at its end (and by
// the second Ctrl-C that ends the process).
termios g_terminal{};
volatile std::sig_atomic_t g_terminal_saved = 0;

extern "C" void on_play_interrupt(int) {
  g_interrupts = g_interrupts + 1;
  if (g_at_prompt == 0 && g_interrupts > 1) {
    if (g_terminal_saved != 0) ::tcsetattr(STDIN_FILENO, TCSANOW, &g_terminal);
    std::signal(SIGINT, SIG_DFL);
    std::raise(SIGINT);
  }
}

void install_play_interrupt() {
  struct sigaction sa {};
  sa.sa_handler = on_play_interrupt;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a read at the prompt returns EINTR
  ::sigaction(SIGINT, &sa, nullptr);
}

// One byte of the terminal, or EOF at its end or once Ctrl-C was pressed at
// the prompt. SIGINT is blocked except inside ppoll, so a Ctrl-C that comes
// before the wait (while the prompt is being drawn, say) is seen, not lost.
int read_byte() {
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  ::sigprocmask(SIG_BLOCK, &block, &old);
  int result = EOF;
  while (g_interrupts == 0) {
    pollfd p{STDIN_FILENO, POLLIN, 0};
    if (::ppoll(&p, 1, nullptr, &old) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    unsigned char c = 0;
    const ssize_t n = ::read(STDIN_FILENO, &c, 1);
    if (n == 1) {
      result = c;
      break;
    }
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    break;  // the end of input, or an error
  }
  ::sigprocmask(SIG_SETMASK, &old, nullptr);
  return result;
}

// libedit's reader: one character (libedit takes the value as a wchar_t),
// decoded from UTF-8, the only encoding line editing is used with.
extern "C" int read_character(FILE*) {
  const int c = read_byte();
  if (c == EOF || c < 0xC0) return c;
  int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
  int code = c & (0x3F >> more);
  for (; more > 0; --more) {
    const int d = read_byte();
    if (d == EOF) return EOF;
    code = (code << 6) | (d & 0x3F);
  }
  return code;
}

// Line editing (libedit) is used only in a UTF-8 locale: in any other
// locale it drops the bytes of non-ASCII characters typed (a reason with an
// accent would lose letters), so the terminal's own line input is used.
bool utf8_locale() {
  const char* codeset = ::nl_langinfo(CODESET);
  return codeset != nullptr &&
         (std::strcmp(codeset, "UTF-8") == 0 || std::strcmp(codeset, "utf8") == 0);
}

// Reads the next command: from the script, from a terminal (with line
// editing and history when the locale allows it), or from a pipe.
class Input {
 public:
  enum class Read { line, interrupted, end };

  Input(const std::string& script, const Session& session, bool line_editing) : session_(session) {
    if (!script.empty()) {
      file_.open(script);
      if (!file_) throw InputError({script, 0, 0}, "cannot read the script");
      scripted_ = true;
    } else {
      tty_ = ::isatty(STDIN_FILENO) != 0;
      edit_ = tty_ && line_editing && utf8_locale();
      if (edit_) {
        // Ctrl-C reaches our handler, and read_character sees it.
        rl_catch_signals = 0;
        rl_getc_function = read_character;
        // Between prompts the terminal stays out of canonical mode, without
        // echo: libedit draws the prompt before it switches the terminal to
        // its own mode, and a Ctrl-D typed ahead in canonical mode would be
        // lost. Keys typed while a command runs wait, unechoed, for libedit.
        ::rl_initialize();  // libedit learns the terminal's keys (Ctrl-D: end) first
        if (::tcgetattr(STDIN_FILENO, &g_terminal) == 0) {
          termios t = g_terminal;
          t.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO);
          t.c_cc[VMIN] = 1;
          t.c_cc[VTIME] = 0;
          g_terminal_saved = 1;
          ::tcsetattr(STDIN_FILENO, TCSADRAIN, &t);
        }
      }
    }
  }
  ~Input() {
    if (g_terminal_saved != 0) ::tcsetattr(STDIN_FILENO, TCSADRAIN, &g_terminal);
    g_terminal_saved = 0;
  }
  Input(const Input&) = delete;
  Input& operator=(const Input&) = delete;
  bool interactive() const { return tty_; }
  bool editing() const { return edit_; }

  Read next(std::string& line) {
    if (tty_) {
      // ASCII only: safe in every locale.
      const std::string prompt = "turn " + std::to_string(session_.turn()) + ", step " +
                                 std::to_string(session_.step()) + "> ";
      g_interrupts = 0;
      g_at_prompt = 1;
      const Read r = edit_ ? read_edited(prompt, line) : read_plain(prompt, line);
      // A Ctrl-C from here on, once the line was taken, ends the session
      // after its command (g_interrupts is not reset).
      g_at_prompt = 0;
      return r;
    }
    std::istream& in = scripted_ ? static_cast<std::istream&>(file_) : std::cin;
    if (!std::getline(in, line)) return Read::end;
    std::cout << "> " << line << '\n';  // a transcript reads like the session
    return Read::line;
  }

 private:
  static Read read_edited(const std::string& prompt, std::string& line) {
    char* raw = ::readline(prompt.c_str());
    if (g_interrupts > 0) {
      std::free(raw);
      return Read::interrupted;
    }
    if (raw == nullptr) return Read::end;
    line = raw;
    std::free(raw);
    if (line.find_first_not_of(" \t") != std::string::npos) ::add_history(line.c_str());
    return Read::line;
  }
  // The terminal's canonical input: it edits the line (erase, kill) and
  // discards it on Ctrl-C.
  static Read read_plain(const std::string& prompt, std::string& line) {
    std::cout << prompt << std::flush;
    line.clear();
    while (true) {
      const int c = read_byte();
      if (g_interrupts > 0) return Read::interrupted;
      if (c == EOF) return line.empty() ? Read::end : Read::line;
      if (c == '\n') return Read::line;
      line += static_cast<char>(c);
    }
  }

  const Session& session_;
  std::ifstream file_;
  bool scripted_ = false;
  bool tty_ = false;
  bool edit_ = false;
};

bool is_comment(const std::string& line) {
  const std::size_t k = line.find_first_not_of(" \t");
  return k == std::string::npos || line[k] == '#';
}

std::string first_word(const std::string& line) {
  const std::size_t b = line.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  const std::size_t e = line.find_first_of(" \t", b);
  return line.substr(b, e == std::string::npos ? std::string::npos : e - b);
}

// The engine-played actors of the session (docs/workshops.md), resolved
// against its scenario: from the options of a new session, or from the log.
struct Bots {
  SessionBots ids;  // as recorded in the log
  std::vector<int> actors;
  BotOptions options;
};

// `spec` as --bots takes it ("ARM,RUS" or "rest"); errors name `where`
// (--bots and --team, or the log).
Bots resolve_bots(const Scenario& s, const std::string& spec, const SessionBots& ids,
                  const std::string& where) {
  Bots out;
  std::vector<int> teams;
  std::vector<std::string> valid;
  for (const Actor& a : s.actors) valid.push_back(a.id);
  for (const std::string& id : ids.teams) {
    const int i = s.find_actor(id);
    if (i < 0) {
      throw InputError({where == "--bots" ? "--team" : where, 0, 0},
                       "unknown actor '" + id + "'" + detail::suggestion(id, valid));
    }
    if (std::find(teams.begin(), teams.end(), i) != teams.end())
      throw InputError({where == "--bots" ? "--team" : where, 0, 0},
                       "actor '" + id + "' is named twice");
    teams.push_back(i);
  }
  if (spec.empty()) return out;
  try {
    out.actors = parse_bots(s, spec, teams);
  } catch (const SessionError& e) {
    throw InputError({where, 0, 0}, e.what());
  }
  out.ids = ids;
  out.ids.bots.clear();
  for (int i : out.actors) out.ids.bots.push_back(s.actors[static_cast<std::size_t>(i)].id);
  out.options.horizon = ids.horizon;
  out.options.runs = ids.runs;
  return out;
}

std::string score_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

// Before an `advance` the engine plays its actors, in file order: each
// choice is an ordinary `move` command (logged with by = engine, the bot and
// its table), so --resume replays it without deciding again.
void play_bots(Workshop& workshop, AuditLog& log, const Bots& bots) {
  Session& s = workshop.session();
  if (s.steps_left() <= 0) return;  // the advance will be refused: nothing to play for
  for (const int actor : bots.actors) {
    const std::string& id = s.base().actors[static_cast<std::size_t>(actor)].id;
    BotDecision d;
    try {
      d = choose_moves(s, actor, {}, bots.options);
    } catch (const SessionError& e) {
      std::cout << "engine " << id << ": error: " << e.what() << '\n';
      log.note("bot", id + ": " + e.what());
      continue;
    }
    const std::string table = bot_table_text(d, s.base());
    double score = 0.0;
    for (const BotCandidate& c : d.table) {
      if (c.moves == d.moves) score = c.mean_score;
    }
    std::string chosen;
    for (const int m : d.moves)
      chosen += (chosen.empty() ? "" : " + ") + s.base().moves[static_cast<std::size_t>(m)].id;
    const std::string summary = "engine " + id + " plays " + (chosen.empty() ? "nothing" : chosen) +
                                " (expected score " + score_text(score) + " over " +
                                std::to_string(d.runs) + " runs, " + std::to_string(d.horizon) +
                                " step" + (d.horizon == 1 ? "" : "s") + ")";
    if (d.moves.empty()) {
      log.note("bot", summary + "\n" + table);
      std::cout << summary << '\n';
      continue;
    }
    const std::string line = d.line(s.base());
    const SessionPoint before = s.point();
    CommandResult r = workshop.execute(line);
    r.log_fields.emplace_back("by", "engine");
    r.log_fields.emplace_back("bot", id);
    r.log_fields.emplace_back("table", table);
    log.record(before, line, r);
    std::cout << (r.ok ? summary + "\n" : "engine " + id + ": " + r.output) << std::flush;
  }
}

int play(const PlayOptions& o) {
  std::unique_ptr<Session> session;
  WorkshopOptions options;
  fs::path log_path;
  Bots bots;
  if (!o.resume.empty()) {
    if (!o.scenario.empty())
      throw InputError({"--resume", 0, 0}, "give either a scenario or --resume LOG, not both");
    if (!o.bots.empty() || !o.teams.empty() || o.bot_horizon >= 0 || o.bot_runs >= 0) {
      throw InputError({"--resume", 0, 0},
                       "--bots, --team, --bot-horizon and --bot-runs start a session; --resume "
                       "continues with the bots recorded in its log");
    }
    ResumedSession resumed = resume_session(o.resume);
    std::string spec;
    for (const std::string& id : resumed.bots.bots) spec += (spec.empty() ? "" : ",") + id;
    bots = resolve_bots(resumed.session->base(), spec, resumed.bots, o.resume);
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
    if (o.bots.empty() && (o.bot_horizon >= 0 || o.bot_runs >= 0))
      throw InputError({"--bots", 0, 0}, "--bot-horizon and --bot-runs need --bots");
    if (o.bots.find_first_not_of(" \t") == std::string::npos && !o.bots.empty())
      throw InputError({"--bots", 0, 0},
                       "name the engine-played actors: a list of actor ids (e.g. ARM,RUS) or rest");
    const std::size_t b = o.bots.find_first_not_of(" \t");
    if (b != std::string::npos &&
        o.bots.substr(b, o.bots.find_last_not_of(" \t") + 1 - b) == "rest" && o.teams.empty()) {
      throw InputError({"--bots", 0, 0},
                       "rest means every actor not played at the terminal: name the human teams "
                       "with --team ID");
    }
    SessionBots wanted;
    wanted.teams = o.teams;
    if (o.bot_horizon >= 0) wanted.horizon = o.bot_horizon;
    if (o.bot_runs >= 0) wanted.runs = o.bot_runs;
    bots = resolve_bots(base, o.bots, wanted, "--bots");
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
    log.start(options.scenario_file, *session, options, bots.ids);
  } else {
    log.note("resume", "session resumed");
  }
  Workshop workshop(*session, options);
  std::cout << "log: " << log_path.string() << "   (type help for the commands)\n";
  if (!bots.actors.empty()) {
    std::cout << "the engine plays";
    for (const std::string& id : bots.ids.bots) std::cout << ' ' << id;
    std::cout << " before each advance (" << bots.options.horizon << " steps ahead, "
              << bots.options.runs << " runs)\n";
  }
  std::cout << workshop.dashboard() << std::flush;
  Input input(o.script, *session, !o.no_editing);
  if (input.interactive()) {
    install_play_interrupt();
    if (!input.editing() && !o.no_editing)
      std::cout << "note: line editing is off (the locale is not UTF-8; try LANG=C.UTF-8)\n";
  }
  std::string line;
  bool hinted = false;
  while (true) {
    const Input::Read got = input.next(line);
    if (got == Input::Read::end) {
      if (input.interactive()) std::cout << '\n';  // Ctrl-D leaves the cursor after the prompt
      break;
    }
    if (got == Input::Read::interrupted) {
      std::cout << "^C\n";
      if (!hinted) std::cout << "(the line is discarded; quit or Ctrl-D ends the session)\n";
      hinted = true;
      continue;
    }
    if (is_comment(line)) continue;
    if (!bots.actors.empty() && first_word(line) == "advance") play_bots(workshop, log, bots);
    const SessionPoint before = session->point();
    const CommandResult r = workshop.execute(line);
    log.record(before, line, r);
    std::cout << r.output << std::flush;
    if (r.quit) break;
    if (input.interactive() ? g_interrupts > 0 : interrupted()) {
      log.note("end", "session ended by Ctrl-C");
      std::cout << "interrupted: the session ended; the log is complete (--resume " +
                       log_path.string() + " continues it)\n";
      return 130;
    }
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
  cmd->add_option("--bots", o->bots,
                  "Actors the engine plays before each advance: ARM,RUS or rest (every actor "
                  "not named by --team)");
  cmd->add_option("--team", o->teams, "An actor played at the terminal (repeatable)")
      ->allow_extra_args(false)
      ->delimiter(',');
  cmd->add_option("--bot-horizon", o->bot_horizon, "Steps a bot looks ahead (default 6)")
      ->check(CLI::Range(1, 1000000));
  cmd->add_option("--bot-runs", o->bot_runs, "Look-ahead runs per candidate of a bot (default 20)")
      ->check(CLI::Range(1, 100000));
  cmd->add_flag("--no-line-editing", o->no_editing,
                "At a terminal, read plain lines (no libedit editing or history)");
  return {cmd, [o] { return play(*o); }};
}

}  // namespace entente::cli
