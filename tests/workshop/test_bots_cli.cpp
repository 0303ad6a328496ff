// `entente play --bots`: the engine plays its actors before each advance,
// logs each choice with its table, and `--resume` replays the choices
// without deciding again; bad `--bots` lists exit 2 with a message.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli_support.hpp"
#include "entente/scenario/scenario_io.hpp"
#include "entente/workshop/bots.hpp"

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

const char* kBaseline = "scenarios/baseline.toml";

std::vector<boost::json::object> entries(const fs::path& log) {
  std::vector<boost::json::object> out;
  std::istringstream in(slurp(log));
  std::string line;
  while (std::getline(in, line)) out.push_back(boost::json::parse(line).as_object());
  return out;
}

std::string str(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : "";
}

// What follows the last "> status" line of a transcript: the dashboard.
std::string last_status(const std::string& out) {
  const std::size_t k = out.rfind("> status\n");
  return k == std::string::npos ? "" : out.substr(k);
}

TEST(BotsCli, TheEnginePlaysTheRestAndResumeReplaysIt) {
  const fs::path dir = fresh_dir("bots-cli");
  const fs::path script = dir / "script.txt";
  std::ofstream(script) << "move arm_eu_application\nadvance\nadvance\nstatus\n";
  const fs::path log = dir / "log.jsonl";
  const auto r = cli("play --team ARM " + std::string(kBaseline) + " --bots rest --script '" +
                     script.string() + "' --log '" + log.string() + "' --lookahead 0");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("the engine plays RUS AZE TUR EU USA IRN before each advance (6 steps "
                       "ahead, 20 runs)\n"),
            std::string::npos);

  // The same decisions, made here: each bot in file order before each advance.
  const Scenario base = load_scenario(kBaseline).scenario;
  Session expected(base, 3);
  expected.play({"arm_eu_application"});
  std::vector<std::string> lines;
  const std::vector<int> bots = parse_bots(base, "rest", {base.find_actor("ARM")});
  for (int turn = 0; turn < 2; ++turn) {
    for (int actor : bots) {
      const BotDecision d = choose_moves(expected, actor, {});
      const std::string id = base.actors[static_cast<std::size_t>(actor)].id;
      lines.push_back(id + ": " + d.line(base));
      if (!d.moves.empty()) {
        std::vector<std::string> ids;
        for (int m : d.moves) ids.push_back(base.moves[static_cast<std::size_t>(m)].id);
        expected.play(ids);
      }
    }
    expected.advance(3);
  }

  const auto log_entries = entries(log);
  ASSERT_FALSE(log_entries.empty());
  const boost::json::object& start = log_entries.front();
  EXPECT_EQ(boost::json::serialize(start.at("bots")), R"(["RUS","AZE","TUR","EU","USA","IRN"])");
  EXPECT_EQ(boost::json::serialize(start.at("teams")), R"(["ARM"])");
  EXPECT_EQ(start.at("bot_horizon").as_int64(), 6);
  EXPECT_EQ(start.at("bot_runs").as_int64(), 20);
  std::vector<std::string> logged;
  int played = 0;
  for (const auto& e : log_entries) {
    if (str(e, "kind") == "command" && str(e, "by") == "engine") {
      ++played;
      EXPECT_TRUE(e.at("ok").as_bool());
      EXPECT_TRUE(e.at("changes").as_bool());
      EXPECT_NE(str(e, "table").find("\n* "), std::string::npos);  // the chosen line is marked
      logged.push_back(str(e, "bot") + ": " + str(e, "command"));
    } else if (str(e, "kind") == "bot") {
      const std::string note = str(e, "note");
      EXPECT_NE(note.find(" plays nothing (expected score "), std::string::npos) << note;
      logged.push_back(note.substr(7, note.find(' ', 7) - 7) + ": ");
    }
  }
  EXPECT_GT(played, 0);
  EXPECT_EQ(logged, lines);

  // --resume replays the logged moves (it decides nothing) and continues
  // with the same bots.
  const ResumedSession resumed = resume_session(log);
  EXPECT_EQ(resumed.bots.bots, (std::vector<std::string>{"RUS", "AZE", "TUR", "EU", "USA", "IRN"}));
  EXPECT_EQ(resumed.bots.teams, std::vector<std::string>{"ARM"});
  ASSERT_EQ(resumed.session->step(), 6);
  EXPECT_TRUE(resumed.session->state().R == expected.state().R);
  EXPECT_TRUE(resumed.session->state().x == expected.state().x);
  const fs::path more = dir / "more.txt";
  std::ofstream(more) << "status\nadvance\n";
  const auto again = cli("play --resume '" + log.string() + "' --script '" + more.string() + "'");
  ASSERT_EQ(again.status, 0) << again.err;
  const std::string status = last_status(r.out);
  ASSERT_FALSE(status.empty());
  EXPECT_EQ(again.out.substr(again.out.find("> status\n"), status.size()), status);
  EXPECT_NE(again.out.find("> advance\nengine RUS plays "), std::string::npos);
}

// An actor without an objective scores 0 whatever it does: it plays
// nothing, and the log notes its table.
TEST(BotsCli, ABotThatPlaysNothingIsNoted) {
  const fs::path dir = fresh_dir("bots-cli-none");
  const fs::path script = dir / "script.txt";
  std::ofstream(script) << "advance\nadvance 2\n";
  const fs::path log = dir / "log.jsonl";
  const auto r =
      cli("play tests/data/play/two.toml --bots B --bot-runs 3 --bot-horizon 4 "
          "--script '" +
          script.string() + "' --log '" + log.string() + "' --lookahead 0");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("> advance\nengine B plays nothing (expected score 0.000 over 3 runs, 4 "
                       "steps)\n"),
            std::string::npos)
      << r.out;
  // Three steps left at the second advance: the horizon is clipped.
  EXPECT_NE(r.out.find("> advance 2\nengine B plays nothing (expected score 0.000 over 3 runs, 3 "
                       "steps)\n"),
            std::string::npos);
  std::vector<std::string> notes;
  for (const auto& e : entries(log)) {
    if (str(e, "kind") == "bot") notes.push_back(str(e, "note"));
    EXPECT_NE(str(e, "by"), "engine");
  }
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[0],
            "engine B plays nothing (expected score 0.000 over 3 runs, 4 steps)\n"
            "* none  cost 0  expected score +0.000000\n"
            "  warm  cost 0  expected score +0.000000\n");
}

TEST(BotsCli, BadBotListsExitTwo) {
  const fs::path dir = fresh_dir("bots-cli-errors");
  const fs::path log = dir / "log.jsonl";
  const std::string head = std::string("play ") + kBaseline + " --log '" + log.string() + "' ";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"--bots RUS,RUSS", "--bots: error: unknown actor 'RUSS' (did you mean 'RUS'?)\n"},
      {"--bots RUS,AZE,RUS", "--bots: error: actor 'RUS' is named twice\n"},
      {"--bots rest",
       "--bots: error: rest means every actor not played at the terminal: name the human teams "
       "with --team ID\n"},
      {"--bots ARM,RUS --team ARM",
       "--bots: error: actor 'ARM' is a team (played by people); it cannot also be "
       "engine-played\n"},
      {"--bots rest --team ARMM", "--team: error: unknown actor 'ARMM' (did you mean 'ARM'?)\n"},
      {"--bots rest --team ARM,ARM", "--team: error: actor 'ARM' is named twice\n"},
      {"--bots ' '",
       "--bots: error: name the engine-played actors: a list of actor ids (e.g. ARM,RUS) or "
       "rest\n"},
      {"--bot-runs 5", "--bots: error: --bot-horizon and --bot-runs need --bots\n"},
  };
  for (const auto& [args, message] : cases) {
    SCOPED_TRACE(args);
    const auto r = cli(head + args + " < /dev/null");
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err, message);
    EXPECT_FALSE(fs::exists(log));
  }
  std::ofstream(log) << "";
  const auto resumed = cli("play --resume '" + log.string() + "' --bots RUS < /dev/null");
  EXPECT_EQ(resumed.status, 2);
  EXPECT_EQ(resumed.err,
            "--resume: error: --bots, --team, --bot-horizon and --bot-runs start a session; "
            "--resume continues with the bots recorded in its log\n");
}

}  // namespace
}  // namespace entente
