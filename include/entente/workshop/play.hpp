// Workshops (`entente play`): a session that advances a scenario turn by
// turn while teams play moves from the scenario's `[[moves]]` menu, the
// facilitator injects effects or overrides the model with a reason, and
// branches explore alternatives.
//
// A session is run 0 of its scenario's ensemble: everything done at step t
// (moves, injects, overrides) becomes an event at step t + 1, the step it
// applies before. The session's state is always recomputed from the base
// scenario plus those events, so it equals, number for number, what
// `entente run` makes of the scenario `save` writes; undo and branches
// restore states exactly because they only edit the list of actions.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "entente/model/model.hpp"
#include "entente/model/step.hpp"

namespace boost::json {
class object;
}

namespace entente {

// A command that cannot be carried out; the session is left unchanged.
class SessionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One thing done in a session that changes the trajectory.
struct SessionAction {
  enum class Kind { advance, moves, inject, set };
  Kind kind = Kind::advance;
  int turn = 1;                     // the turn it was made in (1 before the first advance)
  int step = 0;                     // the session's step when made; effects apply before step + 1
  int steps = 0;                    // advance: how many steps
  std::vector<int> moves;           // moves: indices into Scenario::moves, in the order given
  std::string text;                 // inject: the effect as typed; set: "PATH VALUE"
  std::string reason;               // set: why the facilitator overrode the model
  std::string label;                // inject and set: a short name (--label)
  Effects effects;                  // inject and set
  std::vector<std::string> events;  // ids of the events it became, one per move (else one)
};

// A named line of play: its actions in order.
struct SessionBranch {
  std::string name;
  std::string parent;  // the branch it was forked from ("" for main)
  std::vector<SessionAction> actions;
};

// The drivers of one affinity's change over some steps (MODEL.md §5.3),
// summed by name: `event:<id>`, each mechanism, `noise`, `clip`.
struct DriverSum {
  std::string name;  // "event:s4_arm_csto_exit", "memory", "stakes:corridor", …
  double value = 0.0;
};

// The spread of outcomes from the current state: `runs` look-ahead runs of
// `steps` steps (runs 1 … runs of the session's seed; the session is run 0).
struct LookAhead {
  int runs = 0;
  int steps = 0;
  std::vector<Observable> observables;
  std::vector<std::vector<double>> values;  // [observable][run] at the last step
  // With every_step: [k − 1][observable][run] at each step k = 1 … steps ahead.
  std::vector<std::vector<std::vector<double>>> by_step;
};

// Where a session is: for log entries.
struct SessionPoint {
  int turn = 1;
  int step = 0;
  std::string branch;
};

class Session {
 public:
  // `base` is the loaded scenario; a turn is `turn_steps` steps (≥ 1).
  Session(Scenario base, int turn_steps);

  const Scenario& base() const { return *base_; }
  // The base with every action of the current branch as events; steps as the base.
  const Scenario& scenario() const { return *scenario_; }
  const Model& model() const { return *model_; }
  int turn_steps() const { return turn_steps_; }
  int step() const { return static_cast<int>(states_.size()) - 1; }
  int turn() const;
  // The step where the last turn began (the step before the last advance), or -1.
  int last_turn_start() const;
  const State& state() const { return states_.back(); }
  const State& state_at(int step) const { return states_[static_cast<std::size_t>(step)]; }
  // Ids of the events that fired at `step` (1 … step()).
  const std::vector<std::string>& fired_at(int step) const {
    return fired_[static_cast<std::size_t>(step)];
  }
  const std::string& branch() const { return current_; }
  SessionPoint point() const { return {turn(), step(), current_}; }
  const std::vector<SessionBranch>& branches() const { return branches_; }
  const std::vector<SessionAction>& actions() const;
  // What an actor's moves cost so far in the current turn.
  double spent(int actor) const;

  // The one rule for the last step (docs/workshops.md), for `advance`,
  // `ensemble` and the dashboard's look-ahead: nothing plays or looks past
  // the scenario's last step. `steps` = 0 asks for one turn, or what is left
  // when less; an explicit number must fit in what is left. Throws
  // SessionError at the last step ("the scenario ends at step N; …", `what`
  // says what cannot happen) and for too many steps ("only K steps remain …").
  int steps_ahead(int steps, std::string_view what) const;
  // Steps left until the scenario's last step.
  int steps_left() const { return base_->steps - step(); }

  // Each throws SessionError (inject: InputError `inject:1:COL: error: …`),
  // naming what would be valid, and changes nothing.
  void advance(int steps);
  void play(const std::vector<std::string>& move_ids);
  // `text` is one effect list in TOML, e.g. `affinity = [{from="RUS", to="ARM", delta=-0.1}]`;
  // `column` is where it starts in the command line (for messages). `label`
  // (a short name, ≤ 40 characters) and `reason` are optional.
  void inject(const std::string& text, int column = 1, const std::string& label = "",
              const std::string& reason = "");
  // PATH as for `--set` (`model.balance`, `affinity.ARM.RUS`,
  // `actors.ARM.position.orientation`, `institutions.CSTO.members.ARM`,
  // `interdependence.ARM.RUS`, `weights.ARM.RUS`, `issues.corridor.regime`).
  void set(const std::string& path, const std::string& value, const std::string& reason,
           const std::string& label = "");
  void undo();
  void fork(const std::string& name);  // `branch NAME`: a copy of the current branch, checked out
  void checkout(const std::string& name);

  // The drivers of affinity(i, j)'s change over the last turn, largest first.
  std::vector<DriverSum> why(int i, int j) const;
  LookAhead look_ahead(int runs, int steps, const std::vector<Observable>& observables,
                       bool every_step = false) const;

  // The session as a scenario file: `extends` the base file (written
  // relative to `out_file`'s directory) with the events of the actions made
  // before the current step; `steps` = step(), `runs` = 1, the seed given.
  std::string saved_scenario(const std::filesystem::path& base_file,
                             const std::filesystem::path& out_file) const;

  // The effects a `set` would apply (for logs and tests).
  Effects set_effects(const std::string& path, const std::string& value) const;

 private:
  void rebuild();
  template <class Change>
  void transact(Change change);
  SessionBranch& current_branch();
  const SessionBranch& current_branch() const;
  std::string event_id(const std::string& stem, int step) const;

  std::shared_ptr<const Scenario> base_;
  std::shared_ptr<const Scenario> scenario_;
  std::unique_ptr<Model> model_;
  int turn_steps_;
  std::vector<SessionBranch> branches_;
  std::string current_;
  std::vector<State> states_;                    // steps 0 … step()
  std::vector<std::vector<std::string>> fired_;  // per step
};

// Runs the drivers of every step of run 0 of `model` up to `steps`
// (index 0 unused): for the turning points of a review.
struct RecordedStep {
  StepDrivers drivers;
  std::vector<std::pair<int, RowMatrix>> event_affinity;  // event index, ΔR
  std::vector<std::pair<int, RowMatrix>> event_position;  // event index, Δx
};
std::vector<RecordedStep> record_drivers(const Model& model, int steps);

// Human words for a driver name ("memory" → "memory: the pull back toward
// the structural affinity").
std::string driver_words(const std::string& name, const Scenario& scenario);

// ---------------------------------------------------------------------------
// The command layer: one line in, text out. `entente play` reads lines from
// a terminal, a pipe or a --script file and feeds them here.

struct CommandResult {
  std::string output;          // what to print
  bool ok = true;              // false: the command was refused, nothing changed
  bool quit = false;           // `quit`
  bool changes_state = false;  // a command that resume must replay
  // What the log records beyond the line: (key, value) pairs such as
  // ("effects", "affinity(RUS,ARM)+=-0.1"), ("reason", "…"), ("seed", "…").
  std::vector<std::pair<std::string, std::string>> log_fields;
};

struct WorkshopOptions {
  int lookahead_runs = 40;              // the dashboard's quick ensemble; 0: none
  std::filesystem::path scenario_file;  // the base, for `save`
  bool replaying = false;               // resume: do not write files
};

class Workshop {
 public:
  Workshop(Session& session, WorkshopOptions options);
  // Executes one command line. Never throws for bad input: a refused command
  // has ok = false and a message that says what would be valid.
  CommandResult execute(std::string_view line);
  // Fits 80 columns and `max_lines` lines (long lists summarised, "+3 more
  // events"); `full` prints everything.
  std::string dashboard(bool full = false, int max_lines = kDashboardLines) const;
  static constexpr int kDashboardLines = 23;  // a 24-line terminal, less the prompt
  static constexpr int kDashboardColumns = 80;
  static std::string help();
  Session& session() { return *session_; }

 private:
  CommandResult run(const std::vector<std::string>& words, std::string_view line);
  std::vector<Observable> main_observables() const;
  friend struct WorkshopCommands;  // the command handlers (play_commands.cpp)

  Session* session_;
  WorkshopOptions options_;
};

// The engine-played actors of a terminal session (`entente play --bots`,
// docs/workshops.md), as ids: recorded in the log's start entry so that
// `--resume` continues with them. The Workshop does not read it; the
// terminal's loop lets each bot choose (workshop/bots.hpp) before an advance.
struct SessionBots {
  std::vector<std::string> bots;   // engine-played actors, file order; empty: none
  std::vector<std::string> teams;  // the actors people play at the terminal (--team)
  int horizon = 6;                 // BotOptions::horizon
  int runs = 20;                   // BotOptions::runs
};

// ---------------------------------------------------------------------------
// The audit log: JSON Lines, one object per line, flushed and synced after
// each entry. The first entry starts the session (scenario, its SHA-256,
// seed, turn steps); each later one records a command with its time, turn,
// step, branch, whether it was accepted, and what it did.

class AuditLog {
 public:
  // Opens `path` for appending (creating it). Throws InputError when it cannot.
  explicit AuditLog(const std::filesystem::path& path);
  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;
  // `bots`: written (as `bots`, `teams`, `bot_horizon`, `bot_runs`) only
  // when it names any.
  void start(const std::filesystem::path& scenario_file, const Session& session,
             const WorkshopOptions& options, const SessionBots& bots = {});
  void record(const SessionPoint& before, std::string_view line, const CommandResult& result);
  void note(std::string_view kind, std::string_view text);
  // Appends one entry: a JSON object serialised on one line.
  void write_entry(const std::string& json_line) { write(json_line); }

 private:
  void write(const std::string& json_line);
  int fd_ = -1;
};

// A session restored from its log: the scenario reloaded (its SHA-256 must
// match), every accepted command that changes state replayed in order.
struct ResumedSession {
  std::filesystem::path scenario_file;
  std::unique_ptr<Session> session;
  WorkshopOptions options;
  int commands = 0;                // lines replayed
  bool cut_last_line = false;      // the last line was incomplete and ignored
  std::uint64_t good_bytes = 0;    // length of the log up to its last complete line
  std::vector<std::string> lines;  // every command line, in order (for the review)
  SessionBots bots;                // from the start entry (none in logs written before bots)
};

// Throws InputError (`LOG:LINE:1: error: …`) for a log that is not one,
// a scenario that changed, or a command that no longer replays.
// `on_entry`, when given, is called for every entry after the start one, in
// order, after a command entry was replayed (the room's entries of
// `entente serve` are restored this way); it may throw InputError.
using LogEntryHook = std::function<void(int line, const boost::json::object& entry, Session&)>;
ResumedSession resume_session(const std::filesystem::path& log, const LogEntryHook& on_entry = {});

// Whether move `m` may be played on `state` (its available_when holds).
bool move_available(const Model& model, const State& state, const Move& m);

}  // namespace entente
