// `entente play`: sessions, undo and branches, refused commands, replay
// identity of `save`, the audit log and `--resume`.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "cli_support.hpp"
#include "entente/model/events.hpp"
#include "entente/scenario/scenario_io.hpp"
#include "entente/util/date.hpp"
#include "entente/workshop/play.hpp"
#include "util/csv.hpp"

namespace entente {
namespace {

namespace fs = std::filesystem;
using testing::cli;
using testing::fresh_dir;
using testing::slurp;

const bool kInSourceRoot = [] {
  fs::current_path(ENTENTE_SOURCE_DIR);
  return true;
}();

const char* kTwo = "tests/data/play/two.toml";
const char* kBaseline = "scenarios/baseline.toml";

Session make(const char* file, int turn_steps = 2) {
  return Session(load_scenario(file).scenario, turn_steps);
}

// Everything that identifies a session's position: step, actions, state.
void expect_same_state(const State& a, const State& b) {
  EXPECT_EQ(a.step, b.step);
  EXPECT_TRUE(a.R == b.R);
  EXPECT_TRUE(a.x == b.x);
  EXPECT_TRUE(a.m == b.m);
  EXPECT_TRUE(a.T == b.T);
  EXPECT_EQ(a.regime, b.regime);
  EXPECT_EQ(a.rates, b.rates);
}

TEST(Play, MovesTakeEffectAtTheNextStep) {
  Session s = make(kTwo);
  s.play({"gift"});
  EXPECT_EQ(s.state().R(0, 1), 0.0);  // not yet: it applies before step 1
  s.advance(1);
  EXPECT_DOUBLE_EQ(s.state().R(0, 1), 0.2);  // 0.4, then memory halves it
  EXPECT_EQ(s.fired_at(1), std::vector<std::string>{"s1_gift"});
  EXPECT_EQ(s.turn(), 2);
}

TEST(Play, BudgetAndAvailability) {
  Session s = make(kTwo);
  Workshop w(s, {0, kTwo, false});
  CommandResult r = w.execute("move snub");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(
      r.output,
      "error: move 'snub' is not available now: affinity(A,B) > 0.15 does not hold at step 0\n");
  ASSERT_TRUE(w.execute("move gift warm").ok);
  ASSERT_TRUE(w.execute("advance 1").ok);  // R(A,B) = 0.2
  r = w.execute("move gift snub");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.output,
            "error: move 'snub' costs 1 but A has 0 of its budget of 1 left this turn (after the "
            "moves before it on this line)\n");
  EXPECT_TRUE(w.execute("move snub").ok);
  r = w.execute("move snub");
  EXPECT_EQ(r.output, "error: move 'snub' was already played this turn\n");
}

TEST(Play, UndoAndBranchesRestoreStatesExactly) {
  Session s = make(kBaseline, 3);
  s.play({"arm_eu_application"});
  s.advance(3);
  const State before = s.state();
  const auto actions_before = s.actions().size();
  s.play({"arm_csto_exit", "rus_trade_restrictions"});
  s.set("model.balance", "0.01", "test");
  s.inject("affinity = [{from=\"RUS\", to=\"ARM\", delta=-0.1}]");
  s.advance(3);
  const State after = s.state();
  for (int k = 0; k < 4; ++k) s.undo();
  EXPECT_EQ(s.actions().size(), actions_before);
  expect_same_state(s.state(), before);

  s.fork("alt");
  s.play({"tur_open_border"});
  s.advance(3);
  const State alt = s.state();
  s.checkout("main");
  expect_same_state(s.state(), before);
  s.play({"arm_csto_exit", "rus_trade_restrictions"});
  s.set("model.balance", "0.01", "test");
  s.inject("affinity = [{from=\"RUS\", to=\"ARM\", delta=-0.1}]");
  s.advance(3);
  expect_same_state(s.state(), after);  // redoing the same actions gives the same numbers
  s.checkout("alt");
  expect_same_state(s.state(), alt);
  EXPECT_NE(alt.R(0, 3), after.R(0, 3));  // the branches differ
}

// Each malformed command gets a message and changes nothing.
TEST(Play, MalformedCommandsChangeNothing) {
  Session s = make(kBaseline, 3);
  Workshop w(s, {0, kBaseline, false});
  ASSERT_TRUE(w.execute("move arm_eu_application").ok);
  ASSERT_TRUE(w.execute("advance").ok);
  const State before = s.state();
  const auto actions = s.actions().size();
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"advnce", "error: unknown command 'advnce' (did you mean 'advance'?); type help\n"},
      {"advance 0", "error: K must be a whole number in [1, 1000000] (got '0')\n"},
      {"advance x", "error: K must be a whole number in [1, 1000000] (got 'x')\n"},
      {"advance 40", "error: only 33 steps remain (the scenario ends at step 36)\n"},
      {"move arm_csto_exitt",
       "error: unknown move 'arm_csto_exitt' (did you mean 'arm_csto_exit'?)\n"},
      {"move arm_csto_exit arm_csto_exit", "error: move 'arm_csto_exit' is given twice\n"},
      {"move arm_csto_exit arm_eu_application arm_route_armenian_control",
       "error: move 'arm_eu_application' costs 1 but ARM has 0 of its budget of 2 left this turn "
       "(after the moves before it on this line)\n"},
      {"inject",
       "error: usage: inject EFFECT, e.g. inject affinity = [{from=\"RUS\", to=\"ARM\", "
       "delta=-0.1}]\n"},
      {"inject affinity = [{from=\"RUS\", to=\"ARMM\", delta=-0.1}]",
       "inject:1:36: error: unknown actor 'ARMM' in inject.affinity[0].to (did you mean 'ARM'?)\n"},
      {"inject affinty = [{from=\"RUS\", to=\"ARM\", delta=-0.1}]",
       "inject:1:8: error: unknown key 'affinty' in [inject] (did you mean 'affinity'?)\n"},
      {"inject affinity = {from=\"RUS\", to=\"ARM\", delta=-0.1}",
       "inject:1:19: error: inject.affinity must be an array of tables (affinity = [ {…} ]), not "
       "a table\n"},
      {"inject affinity = [{from=\"RUS\", to=\"ARM\", delta=-3}]",
       "inject:1:49: error: inject.affinity[0].delta must be in [-2, 2] (got -3)\n"},
      {"set model.balance 0.1",
       "error: set needs a reason: set model.balance 0.1 --reason \"why the model is "
       "overruled\"\n"},
      {"set model.balanse 0.1 --reason x",
       "error: unknown key 'balanse' in [model] (did you mean 'balance'?)\n"},
      {"set affinity.ARM.RUS 2 --reason x", "error: affinity.ARM.RUS must be in [-1, 1] (got 2)\n"},
      {"set actors.ARM.power 1 --reason x",
       "error: cannot set 'actors.ARM.power' during a session; valid paths: model.KEY, "
       "affinity.I.J, actors.I.position.AXIS, institutions.G.members.I, interdependence.I.J, "
       "weights.I.J, issues.Q.regime\n"},
      {"set issues.corridor.regime open --reason x",
       "error: unknown option 'open' of issue corridor (valid: closed, russian_border_guards, "
       "armenian_control, extraterritorial, third_party)\n"},
      {"set model.balance 0.1 --reason \"unterminated",
       "error: unterminated quote in: set "
       "model.balance 0.1 --reason \"unterminated\n"},
      {"why ARM", "error: usage: why I J\n"},
      {"why ARM RSU", "error: unknown actor 'RSU' (did you mean 'RUS'?)\n"},
      {"ensemble 0", "error: N must be a whole number in [1, 100000] (got '0')\n"},
      {"checkout nowhere", "error: unknown branch 'nowhere' (valid: main)\n"},
      {"branch 1x",
       "error: a branch name must look like an id ([A-Za-z][A-Za-z0-9_-]*), not '1x'\n"},
      {"branch main", "error: branch 'main' exists; checkout main\n"},
      {"save", "error: usage: save FILE\n"},
      {"undo now", "error: usage: undo\n"},
      {"quit now", "error: usage: quit\n"},
  };
  for (const auto& [line, message] : bad) {
    SCOPED_TRACE(line);
    const CommandResult r = w.execute(line);
    EXPECT_FALSE(r.ok);
    EXPECT_FALSE(r.changes_state);
    EXPECT_EQ(r.output, message);
    EXPECT_EQ(s.actions().size(), actions);
    EXPECT_EQ(s.branch(), "main");
    EXPECT_EQ(s.branches().size(), 1u);
    expect_same_state(s.state(), before);
  }
}

TEST(Play, WhyAddsUpToTheChange) {
  Session s = make(kBaseline, 3);
  s.play({"arm_csto_exit"});
  s.advance(3);
  const auto drivers = s.why(1, 0);  // RUS → ARM
  double sum = 0.0;
  for (const auto& d : drivers) sum += d.value;
  EXPECT_NEAR(sum, s.state().R(1, 0) - s.state_at(0).R(1, 0), 1e-12);
  EXPECT_EQ(drivers.front().name, "event:s1_arm_csto_exit");
  EXPECT_DOUBLE_EQ(drivers.front().value, -0.25);
}

// `save` → `entente run FILE`: the run's CSV rows are the session's states,
// byte for byte.
TEST(Play, SavedScenarioReplaysTheSessionByteForByte) {
  const fs::path dir = fresh_dir("play-replay");
  Session s = make(kBaseline, 3);
  Workshop w(s, {0, kBaseline, false});
  for (const char* line :
       {"move arm_eu_application rus_trade_restrictions", "advance", "move arm_csto_exit",
        "advance", "set model.balance 0.02 --reason \"weaker triads\"",
        "inject affinity = [{from=\"RUS\", to=\"ARM\", delta=-0.1}]", "advance",
        "set affinity.AZE.ARM -0.2 --reason x", "set issues.corridor.regime third_party --reason y",
        "advance 2", "move tur_open_border"}) {  // the last one is pending and not saved
    ASSERT_TRUE(w.execute(line).ok) << line;
  }
  const fs::path saved = dir / "saved.toml";
  const CommandResult r = w.execute("save " + saved.string());
  ASSERT_TRUE(r.ok) << r.output;
  const auto run = cli("run '" + saved.string() + "' -q -o '" + (dir / "out").string() + "'");
  ASSERT_EQ(run.status, 0) << run.err;
  std::string relations = "run,step,date,from,to,affinity\n";
  const Scenario& sc = s.base();
  for (int t = 0; t <= s.step(); ++t) {
    for (int i = 0; i < sc.actor_count(); ++i) {
      for (int j = 0; j < sc.actor_count(); ++j) {
        if (i == j) continue;
        relations += "0," + std::to_string(t) + "," + step_date(*sc.start, sc.step_unit, t) + "," +
                     sc.actors[static_cast<std::size_t>(i)].id + "," +
                     sc.actors[static_cast<std::size_t>(j)].id + ",";
        detail::append_double(relations, s.state_at(t).R(i, j));
        relations += "\n";
      }
    }
  }
  EXPECT_EQ(slurp(dir / "out" / "relations.csv"), relations);
  const std::string actors = slurp(dir / "out" / "actors.csv");
  std::string last = "0,11," + step_date(*sc.start, sc.step_unit, 11) + ",ARM,";
  detail::append_double(last, s.state().x(0, 0));
  last += ",";
  detail::append_double(last, s.state().x(0, 1));
  EXPECT_NE(actors.find(last), std::string::npos);
}

TEST(Play, ScriptedSessionUsesEveryCommand) {
  const fs::path dir = fresh_dir("play-script");
  const fs::path script = dir / "script.txt";
  std::ofstream(script) << "# a rehearsal\nhelp\nmove\nmove gift\nadvance 1\nwhy A B\n"
                           "ensemble 5 2\nset model.memory 0.25 --reason \"the room says so\"\n"
                           "inject affinity = [{from=\"B\", to=\"A\", delta=0.1}]\nbranch other\n"
                           "advance\nhistory\ncheckout main\nundo\nstatus\nmoves\nbogus\n"
                           "save " +
                               (dir / "s.toml").string() + "\nquit\nadvance\n";
  const fs::path log = dir / "log.jsonl";
  const auto r = cli(std::string("play ") + kTwo + " --script '" + script.string() + "' --log '" +
                     log.string() + "' --lookahead 5");
  ASSERT_EQ(r.status, 0) << r.err;
  for (const char* expected :
       {"> why A B\naffinity(A,B) went from +0.000 to +0.200 (+0.200) over steps 0→1:\n"
        "  +0.4000  Move: A gives B a gift\n  -0.2000  memory:",
        "on new branch other", "override: model.memory=0.25 because the room says so",
        "> bogus\nerror: unknown command 'bogus'", "saved to", "ensemble: runs 1…5 of seed 7"}) {
    EXPECT_NE(r.out.find(expected), std::string::npos) << expected << "\n" << r.out;
  }
  EXPECT_EQ(r.out.find("> advance\n", r.out.find("> quit")), std::string::npos);  // quit stops
  const std::string text = slurp(log);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 20);  // start, 18 commands, end
  EXPECT_NE(text.find("\"reason\":\"the room says so\""), std::string::npos);
  EXPECT_NE(text.find("\"command\":\"bogus\",\"ok\":false"), std::string::npos);

  // The same commands through a pipe.
  const auto piped = cli(std::string("play ") + kTwo + " --log '" + (dir / "pipe.jsonl").string() +
                         "' --lookahead 0 < /dev/null");
  EXPECT_EQ(piped.status, 0);
  const std::string command = std::string("cd '") + ENTENTE_SOURCE_DIR + "' && '" + ENTENTE_CLI +
                              "' play " + kTwo + " --lookahead 0 --log '" +
                              (dir / "pipe2.jsonl").string() + "' < '" + script.string() + "' > '" +
                              (dir / "pipe.out").string() + "'";
  ASSERT_EQ(std::system(command.c_str()), 0);
  EXPECT_NE(slurp(dir / "pipe.out").find("on new branch other"), std::string::npos);
}

TEST(Play, ResumeFromALogWhoseLastLineIsCut) {
  const fs::path dir = fresh_dir("play-resume");
  const fs::path script = dir / "script.txt";
  std::ofstream(script) << "move arm_eu_application\nadvance\nmove arm_csto_exit\nadvance\n"
                           "set model.balance 0.02 --reason \"r\"\nbranch b\nadvance\n"
                           "checkout main\nadvance 2\n";
  const fs::path log = dir / "log.jsonl";
  ASSERT_EQ(cli(std::string("play ") + kBaseline + " --script '" + script.string() + "' --log '" +
                log.string() + "' --lookahead 0")
                .status,
            0);
  // Cut the log in the middle of the line of `advance 2` (and drop the end entry).
  std::string text = slurp(log);
  const std::size_t cut = text.find("\"command\":\"advance 2\"");
  ASSERT_NE(cut, std::string::npos);
  text.resize(cut + 10);
  std::ofstream(log, std::ios::binary | std::ios::trunc) << text;

  const ResumedSession resumed = resume_session(log);
  EXPECT_TRUE(resumed.cut_last_line);
  EXPECT_EQ(resumed.commands, 8);
  Session expected = make(kBaseline, 3);
  expected.play({"arm_eu_application"});
  expected.advance(3);
  expected.play({"arm_csto_exit"});
  expected.advance(3);
  expected.set("model.balance", "0.02", "r");
  expected.fork("b");
  expected.advance(3);
  expected.checkout("main");
  EXPECT_EQ(resumed.session->branch(), "main");
  EXPECT_EQ(resumed.session->step(), 6);
  expect_same_state(resumed.session->state(), expected.state());

  // Continue the session: the cut line is dropped, the log stays one object per line.
  const fs::path more = dir / "more.txt";
  std::ofstream(more) << "advance 2\nquit\n";
  const auto r = cli("play --resume '" + log.string() + "' --script '" + more.string() + "'");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("the last line of"), std::string::npos);
  const ResumedSession again = resume_session(log);
  EXPECT_FALSE(again.cut_last_line);
  EXPECT_EQ(again.session->step(), 8);
  expected.advance(2);
  expect_same_state(again.session->state(), expected.state());

  // A broken line that is not the last one is an error with its line number.
  std::string broken = slurp(log);
  broken.insert(broken.find('\n') + 1, "{oops\n");
  std::ofstream(log, std::ios::binary | std::ios::trunc) << broken;
  const auto bad = cli("play --resume '" + log.string() + "'");
  EXPECT_EQ(bad.status, 2);
  EXPECT_EQ(bad.err, log.string() + ":2:1: error: not a log entry (a JSON object on one line)\n");
}

TEST(Play, RefusesToOverwriteALog) {
  const fs::path dir = fresh_dir("play-log-exists");
  const fs::path log = dir / "log.jsonl";
  std::ofstream(log) << "{}\n";
  const auto r = cli(std::string("play ") + kTwo + " --log '" + log.string() + "'");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, log.string() + ": error: the log exists; continue it with --resume " +
                       log.string() + " or choose another --log\n");
}

}  // namespace
}  // namespace entente

namespace entente {
namespace {

// Display columns of UTF-8 text: code points, not bytes.
std::size_t display_columns(const std::string& line) {
  std::size_t n = 0;
  for (const char c : line) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t k = 0;
  while (k < text.size()) {
    const std::size_t nl = text.find('\n', k);
    out.push_back(text.substr(k, nl - k));
    if (nl == std::string::npos) break;
    k = nl + 1;
  }
  return out;
}

// Injects and overrides carry a label and a reason: in the action, the
// output, history, why, the log, the saved file and a resumed session.
TEST(Play, InjectsAndOverridesCarryLabelsAndReasons) {
  Session s = make(kTwo);
  Workshop w(s, {0, kTwo, false});
  CommandResult r = w.execute(
      "inject affinity = [{from=\"A\", to=\"B\", delta=0.1}] --label \"gift back\" --reason \"the "
      "room says so\"");
  ASSERT_TRUE(r.ok) << r.output;
  EXPECT_EQ(s.actions().back().text, "affinity = [{from=\"A\", to=\"B\", delta=0.1}]");
  EXPECT_EQ(s.actions().back().label, "gift back");
  EXPECT_EQ(s.actions().back().reason, "the room says so");
  const std::string d = describe(s.actions().back().effects, s.base());
  EXPECT_EQ(r.output,
            "inject \"gift back\": " + d + " because the room says so  (takes effect at step 1)\n");
  EXPECT_EQ(r.log_fields,
            (std::vector<std::pair<std::string, std::string>>{
                {"effects", d}, {"label", "gift back"}, {"reason", "the room says so"}}));
  r = w.execute("set model.memory 0.25 --label=\"weaker memory\" --reason \"habits fade\"");
  ASSERT_TRUE(r.ok) << r.output;
  EXPECT_EQ(r.output,
            "override \"weaker memory\": model.memory=0.25 because habits fade  (takes "
            "effect at step 1)\n");
  // Without options an inject is as before: no label, no reason.
  r = w.execute("inject affinity = [{from=\"B\", to=\"A\", delta=0.1}]");
  ASSERT_TRUE(r.ok) << r.output;
  EXPECT_EQ(r.output, "inject: " + describe(s.actions().back().effects, s.base()) +
                          "  (takes effect at step 1)\n");
  EXPECT_EQ(s.actions().back().label, "");
  EXPECT_EQ(s.actions().back().reason, "");
  EXPECT_EQ(w.execute("history").output,
            "branch main:\n"
            "  1. turn 1, step 0: inject \"gift back\" affinity = [{from=\"A\", to=\"B\", "
            "delta=0.1}] (reason: the room says so)\n"
            "  2. turn 1, step 0: set \"weaker memory\" model.memory 0.25 (reason: habits fade)\n"
            "  3. turn 1, step 0: inject affinity = [{from=\"B\", to=\"A\", delta=0.1}]\n");
  ASSERT_TRUE(w.execute("advance 1").ok);
  // R(A,B) = 0.1 applied before step 1, then memory 0.25 pulls it back by 0.025.
  EXPECT_EQ(w.execute("why A B").output,
            "affinity(A,B) went from +0.000 to +0.075 (+0.075) over steps 0→1:\n"
            "  +0.1000  Inject: gift back (because the room says so)\n"
            "  -0.0250  memory: the pull back toward the structural affinity\n"
            "  (2 drivers; they add up to +0.0750)\n");

  // Refused options change nothing.
  const auto actions = s.actions().size();
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"inject affinity = [{from=\"A\", to=\"B\", delta=0.1}] --label",
       "error: --label needs a text: --label \"...\"\n"},
      {"inject affinity = [{from=\"A\", to=\"B\", delta=0.1}] --label \"\"",
       "error: --label needs a text: --label \"...\"\n"},
      {"inject affinity = [{from=\"A\", to=\"B\", delta=0.1}] --reason why not",
       "error: usage: inject EFFECT [--label TEXT] [--reason TEXT]\n"},
      {"inject --reason \"no effect\"",
       "error: usage: inject EFFECT, e.g. inject affinity = [{from=\"RUS\", to=\"ARM\", "
       "delta=-0.1}]\n"},
      {"inject affinity = [{from=\"A\", to=\"B\", delta=0.1}] --label "
       "\"a label that goes on and on past forty characters\"",
       "error: a label is a short name of at most 40 characters (got 49); put the rest in "
       "--reason\n"},
      {"set model.memory 0.3 --label x",
       "error: set needs a reason: set model.memory 0.3 "
       "--reason \"why the model is overruled\"\n"},
      {"set model.memory --reason x --label y",
       "error: usage: set PATH VALUE --reason \"...\" [--label \"...\"]\n"},
  };
  for (const auto& [line, message] : bad) {
    SCOPED_TRACE(line);
    r = w.execute(line);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.output, message);
    EXPECT_EQ(s.actions().size(), actions);
  }

  // Through the CLI: the log keeps them, the saved file says them, and a
  // resumed session restores them from the command lines.
  const fs::path dir = fresh_dir("play-labels");
  const fs::path script = dir / "script.txt";
  std::ofstream(script) << "inject affinity = [{from=\"A\", to=\"B\", delta=0.1}] --label \"gift "
                           "back\" --reason \"the room says so\"\n"
                           "set model.memory 0.25 --reason \"habits fade\" --label \"weaker "
                           "memory\"\nadvance 1\nsave "
                        << (dir / "s.toml").string() << "\n";
  const fs::path log = dir / "log.jsonl";
  const auto run = cli(std::string("play ") + kTwo + " --script '" + script.string() + "' --log '" +
                       log.string() + "' --lookahead 0");
  ASSERT_EQ(run.status, 0) << run.err;
  const std::string text = slurp(log);
  EXPECT_NE(text.find("\"label\":\"gift back\",\"reason\":\"the room says so\""), std::string::npos)
      << text;
  EXPECT_NE(text.find("\"reason\":\"habits fade\",\"label\":\"weaker memory\""), std::string::npos)
      << text;
  const std::string saved = slurp(dir / "s.toml");
  EXPECT_NE(saved.find("# turn 1, step 0: inject \"gift back\", because the room says so"),
            std::string::npos)
      << saved;
  EXPECT_NE(saved.find("# turn 1, step 0: override \"weaker memory\", because habits fade"),
            std::string::npos)
      << saved;
  const ResumedSession resumed = resume_session(log);
  const auto& acts = resumed.session->actions();
  ASSERT_EQ(acts.size(), 3u);
  EXPECT_EQ(acts[0].label, "gift back");
  EXPECT_EQ(acts[0].reason, "the room says so");
  EXPECT_EQ(acts[1].label, "weaker memory");
  EXPECT_EQ(acts[1].reason, "habits fade");
  fs::remove_all(dir);
}

// One rule for the last step: advance, ensemble and the dashboard's
// look-ahead take one turn or what is left, never more.
TEST(Play, NothingGoesPastTheLastStep) {
  Session s = make(kTwo, 4);  // 6 steps: a turn of 4, then 2 left
  Workshop w(s, {5, kTwo, false});
  for (const char* line : {"advance 7", "ensemble 5 7"}) {
    SCOPED_TRACE(line);
    const CommandResult r = w.execute(line);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.output, "error: only 6 steps remain (the scenario ends at step 6)\n");
  }
  EXPECT_NE(w.dashboard().find("step 4 5–95%"), std::string::npos);
  CommandResult r = w.execute("advance");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(s.step(), 4);
  EXPECT_NE(r.output.find("step 6 5–95%"), std::string::npos) << r.output;  // 2 left, not 4
  r = w.execute("ensemble 5");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.output.substr(0, r.output.find('\n')),
            "ensemble: runs 1…5 of seed 7, from step 4 to 6");
  EXPECT_EQ(r.log_fields.back(), (std::pair<std::string, std::string>{"steps", "2"}));
  EXPECT_EQ(w.execute("ensemble 5 3").output,
            "error: only 2 steps remain (the scenario ends at step 6)\n");
  r = w.execute("advance");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(s.step(), 6);
  EXPECT_EQ(r.log_fields, (std::vector<std::pair<std::string, std::string>>{{"steps", "2"}}));
  EXPECT_NE(r.output.find("(last step: no look-ahead)"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find('['), std::string::npos) << r.output;  // no band
  EXPECT_EQ(w.execute("advance").output,
            "error: the scenario ends at step 6; save the session or undo\n");
  EXPECT_EQ(w.execute("advance 1").output,
            "error: the scenario ends at step 6; save the session or undo\n");
  EXPECT_EQ(w.execute("ensemble").output,
            "error: the scenario ends at step 6; nothing to look ahead at\n");
  EXPECT_EQ(s.step(), 6);
}

std::vector<fs::path> shipped_scenarios() {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator("scenarios")) {
    // Scenarios only: not the sweep files, nor the calibration files of history/.
    if (e.path().extension() == ".toml" && e.path().parent_path().filename() != "sweeps" &&
        !e.path().stem().string().starts_with("calibrate_"))
      out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

void expect_fits(const std::string& text, int max_lines, const std::string& where) {
  const auto lines = lines_of(text);
  EXPECT_LE(static_cast<int>(lines.size()), max_lines) << where << "\n" << text;
  for (const auto& line : lines) EXPECT_LE(display_columns(line), 80u) << where << ": " << line;
}

// Every dashboard of every shipped scenario, at every turn, fits an 80×24
// terminal with the prompt: at most 23 lines of at most 80 columns.
TEST(Play, EveryDashboardFitsTheScreen) {
  expect_fits(Workshop::help(), 23, "help");
  const auto files = shipped_scenarios();
  ASSERT_GE(files.size(), 8u);
  for (const fs::path& file : files) {
    for (int turn_steps : {1, 3, 12}) {
      Session s(load_scenario(file).scenario, turn_steps);
      Workshop w(s, {5, file, false});
      // A long branch name and a turn with moves and an inject.
      ASSERT_TRUE(w.execute("branch a_long_branch_name_for_the_room_on_day_two").ok);
      // The South Caucasus menu where the scenario has it (history/ has no moves).
      if (!s.base().moves.empty()) {
        ASSERT_TRUE(w.execute("move arm_eu_application rus_trade_restrictions").ok) << file;
      }
      while (true) {
        const std::string where = file.string() + " turn steps " + std::to_string(turn_steps) +
                                  " step " + std::to_string(s.step());
        expect_fits(w.dashboard(), 23, where);
        const CommandResult r = w.execute("advance");
        if (!r.ok) break;
        expect_fits(r.output, 23, where);
      }
      const CommandResult r = w.execute("checkout main");  // a message line and the dashboard
      ASSERT_TRUE(r.ok);
      expect_fits(r.output, 23, file.string() + " checkout");
    }
  }
}

// A turn in which many events fire: the compact dashboard says how many it
// leaves out, `status --full` lists them all.
TEST(Play, LongListsAreSummarisedAndFullPrintsEverything) {
  Session s = make(kBaseline, 36);
  Workshop w(s, {0, kBaseline, false});
  for (int k = 0; k < 10; ++k) {  // ten more events at step 1
    ASSERT_TRUE(w.execute("inject affinity = [{from=\"RUS\", to=\"ARM\", delta=-0.01}]").ok);
  }
  ASSERT_TRUE(w.execute("advance").ok);
  std::vector<std::string> fired;
  for (int u = 1; u <= 36; ++u) {
    for (const auto& id : s.fired_at(u)) fired.push_back(id + " (step " + std::to_string(u) + ")");
  }
  ASSERT_GT(fired.size(), 8u);
  const std::string compact = w.dashboard();
  expect_fits(compact, 23, "compact");
  std::size_t shown = 0;
  for (const auto& item : fired) shown += compact.find(item) != std::string::npos;
  const std::size_t k = compact.find(" more events (status --full)");
  ASSERT_NE(k, std::string::npos) << compact;
  const std::size_t plus = compact.rfind('+', k);
  EXPECT_EQ(std::stoul(compact.substr(plus + 1, k - plus - 1)), fired.size() - shown) << compact;
  EXPECT_GT(shown, 0u);

  const CommandResult full = w.execute("status --full");
  ASSERT_TRUE(full.ok);
  for (int u = 1; u <= 36; ++u) {
    for (const auto& id : s.fired_at(u)) {
      EXPECT_NE(full.output.find("  step " + std::to_string(u) + ": " + id + "\n"),
                std::string::npos)
          << id;
    }
  }
  EXPECT_EQ(full.output.find("more events"), std::string::npos);
  EXPECT_EQ(w.execute("dashboard --full").output, full.output);
  EXPECT_EQ(w.execute("status").output, compact);
  EXPECT_EQ(w.execute("status --ful").output, "error: usage: status [--full]\n");

  // Observables are cut the same way when the screen is short.
  const std::string tiny = w.dashboard(false, 8);
  const auto lines = lines_of(tiny);
  EXPECT_LE(lines.size(), 8u) << tiny;
  // The header, the column titles, then the rows shown, then "+K more".
  std::size_t named = 0;
  while (2 + named < lines.size() && lines[2 + named].find("more observables") == std::string::npos)
    ++named;
  const std::size_t m = tiny.find(" more observables (status --full)");
  ASSERT_NE(m, std::string::npos) << tiny;
  const std::size_t p = tiny.rfind('+', m);
  EXPECT_EQ(named + std::stoul(tiny.substr(p + 1, m - p - 1)), 15u) << tiny;  // 15 numeric
}

}  // namespace
}  // namespace entente
