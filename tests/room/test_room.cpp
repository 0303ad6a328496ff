// The workshop room without sockets (include/entente/room/room.hpp): roles
// and tokens, sealed orders, the turn, adjudication, the engine's actors,
// fog of war, messages, and a room restored from its log.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

#include "entente/room/room.hpp"
#include "entente/scenario/scenario_io.hpp"
#include "entente/util/file.hpp"

namespace entente {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

fs::path temp_log(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("entente-room-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path p = dir / (name + ".jsonl");
  fs::remove(p);
  return p;
}

const char* kBaseline = ENTENTE_SOURCE_DIR "/scenarios/baseline.toml";

struct RoomFixture {
  std::map<std::string, std::string> tokens;
  std::unique_ptr<Room> room;
  fs::path log;

  explicit RoomFixture(const std::string& name, std::vector<std::string> teams = {"ARM", "AZE"},
                       std::optional<PlaySpec> fog = std::nullopt) {
    Scenario s = load_scenario(kBaseline).scenario;
    RoomOptions o;
    o.scenario_file = kBaseline;
    for (const auto& t : teams) o.teams.push_back(s.find_actor(t));
    o.lookahead_runs = 10;
    o.bots.runs = 4;
    o.bots.horizon = 3;
    o.fog = fog;
    tokens["facilitator"] = new_room_token();
    tokens["projector"] = new_room_token();
    for (const auto& t : teams) tokens["team:" + t] = new_room_token();
    log = temp_log(name);
    room = std::make_unique<Room>(std::move(s), o, log, tokens);
  }

  RoomRole team(const std::string& id) const {
    return {RoomRole::Kind::team, room->scenario().find_actor(id)};
  }
  static RoomRole facilitator() { return {RoomRole::Kind::facilitator, -1}; }
  static RoomRole projector() { return {RoomRole::Kind::projector, -1}; }

  RoomReply send(const RoomRole& role, const std::string& request) {
    return room->handle(role, json::parse(request));
  }
  std::string view_text(const RoomRole& role) const { return json::serialize(room->view(role)); }
};

std::string message_of(const RoomReply& r) {
  return r.body.contains("message") ? std::string(r.body.at("message").as_string()) : "";
}

// A value of the state JSON: relations[from→to] or positions[actor, axis].
std::optional<double> relation(const json::object& view, const char* key, const std::string& from,
                               const std::string& to) {
  for (const auto& r : view.at(key).as_object().at("relations").as_array()) {
    const auto& o = r.as_object();
    if (o.at("from").as_string() == from && o.at("to").as_string() == to)
      return o.at("value").to_number<double>();
  }
  return std::nullopt;
}

TEST(Room, TokensAre128BitsAndNameTheirRole) {
  RoomFixture f("tokens");
  for (const auto& [key, token] : f.tokens) {
    EXPECT_EQ(token.size(), 32u);
    EXPECT_EQ(token.find_first_not_of("0123456789abcdef"), std::string::npos);
  }
  EXPECT_NE(f.tokens["facilitator"], f.tokens["projector"]);
  const auto fac = f.room->role_of(f.tokens["facilitator"]);
  ASSERT_TRUE(fac);
  EXPECT_EQ(fac->kind, RoomRole::Kind::facilitator);
  const auto arm = f.room->role_of(f.tokens["team:ARM"]);
  ASSERT_TRUE(arm);
  EXPECT_EQ(arm->kind, RoomRole::Kind::team);
  EXPECT_EQ(arm->actor, f.room->scenario().find_actor("ARM"));
  EXPECT_FALSE(f.room->role_of(""));
  EXPECT_FALSE(f.room->role_of(f.tokens["team:ARM"].substr(0, 31)));
  EXPECT_FALSE(f.room->role_of(f.tokens["team:ARM"] + "0"));
  std::string wrong = f.tokens["facilitator"];
  wrong[0] = wrong[0] == 'a' ? 'b' : 'a';
  EXPECT_FALSE(f.room->role_of(wrong));
  // The log holds the tokens, so only its owner may read it.
  EXPECT_EQ(fs::status(f.log).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
}

TEST(Room, OrdersAreSealedAndATeamActsOnlyForItself) {
  RoomFixture f("sealed");
  const RoomRole arm = f.team("ARM"), aze = f.team("AZE");
  RoomReply r = f.send(arm, R"({"type":"draft","moves":["arm_eu_application"]})");
  ASSERT_TRUE(r.ok) << message_of(r);
  EXPECT_TRUE(r.changed);
  json::object v = f.room->view(arm);
  EXPECT_EQ(v.at("orders").at("status").as_string(), "draft");
  EXPECT_EQ(v.at("orders").at("draft").as_array().size(), 1u);
  // Nobody else sees ARM's draft or its brief.
  const std::string aze_text = f.view_text(aze);
  EXPECT_EQ(aze_text.find("arm_eu_application"), std::string::npos);
  EXPECT_EQ(aze_text.find("You govern Armenia"), std::string::npos);
  EXPECT_EQ(f.view_text(RoomFixture::projector()).find("arm_eu_application"), std::string::npos);
  EXPECT_EQ(f.view_text(RoomFixture::projector()).find("You govern"), std::string::npos);
  // Another actor's move, or speaking for another actor: 403.
  r = f.send(arm, R"({"type":"submit","moves":["rus_gas_discount"]})");
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(message_of(r).find("belongs to RUS"), std::string::npos);
  r = f.send(arm, R"({"type":"submit","actor":"AZE","moves":[]})");
  EXPECT_EQ(r.status, 403);
  // Over budget (2 + 1 > 2), unknown, twice: 400, nothing changed.
  r = f.send(arm, R"({"type":"submit","moves":["arm_csto_exit","arm_eu_application"]})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(message_of(r).find("budget"), std::string::npos);
  r = f.send(arm, R"({"type":"submit","moves":["arm_eu_aplication"]})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(message_of(r).find("arm_eu_application"), std::string::npos);  // the suggestion
  r = f.send(arm, R"({"type":"submit","moves":["arm_eu_application","arm_eu_application"]})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(f.room->view(arm).at("orders").at("status").as_string(), "draft");
  // Bad shapes.
  EXPECT_EQ(f.send(arm, R"([1,2])").status, 400);
  EXPECT_EQ(f.send(arm, R"({"moves":[]})").status, 400);
  EXPECT_EQ(f.send(arm, R"({"type":"submit","moves":"arm_eu_application"})").status, 400);
  EXPECT_EQ(f.send(arm, R"({"type":"close"})").status, 403);  // the facilitator's request
  EXPECT_EQ(f.send(arm, R"({"type":"adjudicate","actor":"ARM","decision":"accept"})").status, 403);
  EXPECT_EQ(f.send(arm, R"({"type":"fly"})").status, 400);
  EXPECT_EQ(f.send(RoomFixture::projector(), R"({"type":"close"})").status, 403);
  // Submit, then change it until the turn closes.
  ASSERT_TRUE(f.send(arm, R"({"type":"submit","moves":["arm_csto_exit"]})").ok);
  ASSERT_TRUE(f.send(arm, R"({"type":"submit","moves":["arm_eu_application"]})").ok);
  v = f.room->view(arm);
  EXPECT_EQ(v.at("orders").at("status").as_string(), "submitted");
  EXPECT_EQ(v.at("orders").at("submitted").as_array().at(0).as_string(), "arm_eu_application");
}

TEST(Room, ATurnClosesIsAdjudicatedWithReasonsAndAdvances) {
  RoomFixture f("turn");
  const RoomRole arm = f.team("ARM"), aze = f.team("AZE"), fac = RoomFixture::facilitator();
  ASSERT_TRUE(f.send(arm, R"({"type":"submit","moves":["arm_eu_application"]})").ok);
  ASSERT_TRUE(f.send(aze, R"({"type":"submit","moves":["aze_transit_through_armenia"]})").ok);
  EXPECT_EQ(f.send(fac, R"({"type":"adjudicate","actor":"ARM","decision":"accept"})").status, 409);
  EXPECT_EQ(f.send(fac, R"({"type":"advance"})").status, 409);
  RoomReply r = f.send(fac, R"({"type":"close"})");
  ASSERT_TRUE(r.ok) << message_of(r);
  EXPECT_EQ(f.room->phase(), Room::Phase::closed);
  EXPECT_EQ(f.send(arm, R"({"type":"submit","moves":[]})").status, 409);
  // The engine decided for every actor without a team, with its table.
  const json::object fv = f.room->view(fac);
  int engine = 0;
  for (const auto& o : fv.at("orders").as_array()) {
    if (o.at("engine").as_bool()) {
      ++engine;
      EXPECT_FALSE(o.at("table").as_string().empty());
      EXPECT_EQ(o.at("status").as_string(), "accepted");
    }
  }
  EXPECT_EQ(engine, 5);  // RUS, TUR, EU, USA, IRN
  // Every team order must be adjudicated; veto and modify need a reason.
  r = f.send(fac, R"({"type":"advance"})");
  EXPECT_EQ(r.status, 409);
  EXPECT_NE(message_of(r).find("ARM, AZE"), std::string::npos);
  EXPECT_EQ(f.send(fac, R"({"type":"adjudicate","actor":"ARM","decision":"veto"})").status, 400);
  EXPECT_EQ(
      f.send(fac, R"({"type":"adjudicate","actor":"ARM","decision":"ban","reason":"x"})").status,
      400);
  ASSERT_TRUE(
      f.send(
           fac,
           R"({"type":"adjudicate","actor":"ARM","decision":"veto","reason":"Parliament is in recess"})")
          .ok);
  ASSERT_TRUE(f.send(fac, R"({"type":"adjudicate","actor":"AZE","decision":"accept"})").ok);
  // The vetoed team is told why; no one else is.
  EXPECT_EQ(f.room->view(arm).at("orders").at("reason").as_string(), "Parliament is in recess");
  EXPECT_EQ(f.room->view(arm).at("orders").at("status").as_string(), "vetoed");
  EXPECT_EQ(f.view_text(aze).find("recess"), std::string::npos);
  EXPECT_EQ(f.view_text(RoomFixture::projector()).find("recess"), std::string::npos);
  r = f.send(fac, R"({"type":"advance"})");
  ASSERT_TRUE(r.ok) << message_of(r);
  EXPECT_EQ(f.room->session().step(), 3);
  EXPECT_EQ(f.room->session().turn(), 2);
  EXPECT_EQ(f.room->phase(), Room::Phase::orders);
  // AZE's move was played, ARM's was not.
  bool aze_played = false, arm_played = false;
  for (const Event& e : f.room->session().scenario().events) {
    aze_played = aze_played || e.id.find("aze_transit_through_armenia") != std::string::npos;
    arm_played = arm_played || e.id.find("arm_eu_application") != std::string::npos;
  }
  EXPECT_TRUE(aze_played);
  EXPECT_FALSE(arm_played);
  // A new turn: no orders; the ruling stays in the team's list, and only there.
  EXPECT_EQ(f.room->view(arm).at("orders").at("status").as_string(), "none");
  const json::object arm_view = f.room->view(arm);
  const json::array& rulings = arm_view.at("rulings").as_array();
  ASSERT_EQ(rulings.size(), 1u);
  EXPECT_EQ(rulings[0].at("decision").as_string(), "veto");
  EXPECT_EQ(rulings[0].at("reason").as_string(), "Parliament is in recess");
  EXPECT_EQ(f.room->view(aze).at("rulings").as_array().size(), 1u);  // its own accept
  EXPECT_EQ(f.view_text(aze).find("recess"), std::string::npos);
  EXPECT_EQ(f.room->view(RoomFixture::facilitator()).at("rulings").as_array().size(), 2u);
  // The public feed says where the turn began, and what fired (AZE's move).
  const std::string feed = json::serialize(f.room->view(RoomFixture::projector()).at("feed"));
  EXPECT_NE(feed.find("turn 2 begins at step 3"), std::string::npos) << feed;
  EXPECT_EQ(feed.find("arm_eu_application"), std::string::npos) << feed;
  // The log holds the veto and its reason, and replays as a play log.
  std::string text, why;
  ASSERT_TRUE(try_read_file(f.log, text, why));
  EXPECT_NE(text.find("\"decision\":\"veto\""), std::string::npos);
  EXPECT_NE(text.find("Parliament is in recess"), std::string::npos);
  ResumedSession replay = resume_session(f.log);
  EXPECT_EQ(replay.session->step(), 3);
  // The debrief covers the room.
  const std::string debrief = f.room->debrief();
  EXPECT_NE(debrief.find("Parliament is in recess"), std::string::npos);
  EXPECT_NE(debrief.find("vetoed"), std::string::npos);
}

TEST(Room, FacilitatorCommandsGoThroughThePlayCommands) {
  RoomFixture f("commands");
  const RoomRole fac = RoomFixture::facilitator();
  RoomReply r = f.send(
      fac,
      R"({"type":"command","line":"inject affinity = [{from=\"RUS\", to=\"ARM\", delta=-0.1}] --label \"gas cut\" --reason \"a test\""})");
  ASSERT_TRUE(r.ok) << message_of(r);
  EXPECT_EQ(f.send(fac, R"({"type":"command","line":"advance"})").status, 400);
  EXPECT_EQ(f.send(fac, R"({"type":"command","line":"move arm_eu_application"})").status, 400);
  EXPECT_EQ(f.send(fac, R"({"type":"command","line":"quit"})").status, 400);
  r = f.send(fac, R"({"type":"command","line":"injekt"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(message_of(r).find("inject"), std::string::npos);
  r = f.send(fac, R"({"type":"command","line":"set model.balance 2 --reason x"})");
  EXPECT_EQ(r.status, 400);  // refused by the play layer, nothing applied
  ASSERT_TRUE(f.send(fac, R"({"type":"close"})").ok);
  ASSERT_TRUE(f.send(fac, R"({"type":"advance"})").ok);  // no team submitted: nothing to adjudicate
  const json::object v = f.room->view(fac);
  bool injected = false;
  for (const auto& h : v.at("history").as_array())
    injected = injected || std::string(h.as_string()).find("gas cut") != std::string::npos;
  EXPECT_TRUE(injected);
  // The undo of the advance starts the turn afresh.
  ASSERT_TRUE(f.send(fac, R"({"type":"command","line":"undo"})").ok);
  EXPECT_EQ(f.room->session().step(), 0);
  EXPECT_EQ(f.room->phase(), Room::Phase::orders);
}

TEST(Room, FogShowsOwnRelationsExactlyAndOthersWithAFixedError) {
  PlaySpec fog;
  fog.fog = PlaySpec::Fog::noisy;
  fog.fog_sigma = 0.1;
  RoomFixture f("fog", {"ARM", "AZE"}, fog);
  const json::object arm = f.room->view(f.team("ARM"));
  const json::object truth = f.room->view(RoomFixture::facilitator());
  // Own relations, both ways: exact.
  EXPECT_EQ(relation(arm, "state", "ARM", "RUS"), relation(truth, "truth", "ARM", "RUS"));
  EXPECT_EQ(relation(arm, "state", "RUS", "ARM"), relation(truth, "truth", "RUS", "ARM"));
  // Third parties: with an error, the same at every reload, different per team.
  int differ = 0, pairs = 0;
  double sum_sq = 0.0;
  const json::object aze = f.room->view(f.team("AZE"));
  for (const auto& r : arm.at("state").at("relations").as_array()) {
    const std::string from(r.at("from").as_string()), to(r.at("to").as_string());
    if (from == "ARM" || to == "ARM") {
      EXPECT_TRUE(r.at("exact").as_bool());
      continue;
    }
    EXPECT_FALSE(r.at("exact").as_bool());
    const double seen = r.at("value").to_number<double>();
    const double real = *relation(truth, "truth", from, to);
    ++pairs;
    differ += seen != real;
    sum_sq += (seen - real) * (seen - real);
    if (from != "AZE" && to != "AZE") {
      EXPECT_NE(seen, *relation(aze, "state", from, to));
    }
  }
  EXPECT_EQ(pairs, 30);  // 6 × 5 directed pairs without ARM
  EXPECT_EQ(differ, pairs);
  const double rms = std::sqrt(sum_sq / pairs);
  EXPECT_GT(rms, 0.05);  // σ = 0.1 (clipping can only shrink it)
  EXPECT_LT(rms, 0.2);
  EXPECT_EQ(json::serialize(f.room->view(f.team("ARM")).at("state")),
            json::serialize(arm.at("state")));
  // The team's score: its objective reads a third-party relation? ARM's
  // reads affinity(ARM,EU), affinity(AZE,ARM) and its position: all its own.
  const double exact = *f.room->view(RoomFixture::facilitator())
                            .at("scores")
                            .as_array()
                            .at(0)
                            .at("score")
                            .if_double();
  EXPECT_EQ(arm.at("score").to_number<double>(), exact);
  // The projector has no blocs and no band under fog.
  const json::object p = f.room->view(RoomFixture::projector());
  EXPECT_TRUE(p.at("blocs").is_null());
  for (const auto& s : p.at("fan").as_array()) EXPECT_TRUE(s.at("band").is_null());
}

TEST(Room, HiddenFogSendsNothingOfThirdParties) {
  PlaySpec fog;
  fog.fog = PlaySpec::Fog::hidden;
  RoomFixture f("hidden", {"ARM", "AZE"}, fog);
  const json::object arm = f.room->view(f.team("ARM"));
  for (const auto& r : arm.at("state").at("relations").as_array())
    EXPECT_TRUE(r.at("from").as_string() == "ARM" || r.at("to").as_string() == "ARM");
  EXPECT_EQ(arm.at("state").at("relations").as_array().size(), 12u);
  for (const auto& x : arm.at("state").at("positions").as_array())
    EXPECT_EQ(x.at("actor").as_string(), "ARM");
  // AZE's objective reads affinity(TUR,AZE) and affinity(ARM,AZE)… both its own.
  // RUS is not a team; a team whose objective reads a hidden pair gets no score.
  const json::object proj = f.room->view(RoomFixture::projector());
  EXPECT_TRUE(proj.at("state").at("relations").as_array().empty());
  EXPECT_TRUE(proj.at("state").at("positions").as_array().empty());
  EXPECT_FALSE(proj.at("state").at("regimes").as_array().empty());  // public
  for (const auto& s : proj.at("fan").as_array()) EXPECT_TRUE(s.at("history").as_array().empty());
}

TEST(Room, MessagesReachOnlyTheirAddressees) {
  RoomFixture f("messages", {"ARM", "AZE", "TUR"});
  ASSERT_TRUE(
      f.send(f.team("ARM"), R"({"type":"message","to":"AZE","text":"Meet at the border?"})").ok);
  ASSERT_TRUE(f.send(RoomFixture::facilitator(),
                     R"({"type":"message","to":"all","text":"Ten minutes left"})")
                  .ok);
  EXPECT_NE(f.view_text(f.team("AZE")).find("Meet at the border?"), std::string::npos);
  EXPECT_EQ(f.view_text(f.team("TUR")).find("Meet at the border?"), std::string::npos);
  EXPECT_NE(f.view_text(f.team("TUR")).find("Ten minutes left"), std::string::npos);
  EXPECT_NE(f.view_text(RoomFixture::facilitator()).find("Meet at the border?"), std::string::npos);
  EXPECT_EQ(f.view_text(RoomFixture::projector()).find("Ten minutes left"), std::string::npos);
  EXPECT_EQ(f.send(f.team("ARM"), R"({"type":"message","to":"RUS","text":"x"})").status,
            400);  // not a team
  EXPECT_EQ(f.send(f.team("ARM"), R"({"type":"message","to":"AZE","text":"  "})").status, 400);
  EXPECT_EQ(f.send(f.team("ARM"), R"({"type":"message","to":"ARM","text":"me"})").status, 400);
  const std::string long_text(2001, 'x');
  EXPECT_EQ(
      f.send(f.team("ARM"), "{\"type\":\"message\",\"to\":\"AZE\",\"text\":\"" + long_text + "\"}")
          .status,
      400);
}

TEST(Room, ResumeRestoresOrdersAdjudicationsAndTokens) {
  json::object before_view;
  fs::path log;
  std::map<std::string, std::string> tokens;
  {
    RoomFixture f("resume");
    log = f.log;
    tokens = f.tokens;
    const RoomRole fac = RoomFixture::facilitator();
    ASSERT_TRUE(f.send(f.team("ARM"), R"({"type":"submit","moves":["arm_eu_application"]})").ok);
    ASSERT_TRUE(f.send(f.team("AZE"), R"({"type":"submit","moves":[]})").ok);
    ASSERT_TRUE(f.send(fac, R"({"type":"close"})").ok);
    ASSERT_TRUE(f.send(fac, R"({"type":"adjudicate","actor":"ARM","decision":"accept"})").ok);
    ASSERT_TRUE(f.send(fac, R"({"type":"adjudicate","actor":"AZE","decision":"accept"})").ok);
    ASSERT_TRUE(f.send(fac, R"({"type":"advance"})").ok);
    ASSERT_TRUE(f.send(f.team("AZE"), R"({"type":"draft","moves":["aze_border_pressure"]})").ok);
    ASSERT_TRUE(f.send(f.team("ARM"), R"({"type":"submit","moves":["arm_eu_application"]})").ok);
    ASSERT_TRUE(f.send(fac, R"({"type":"close"})").ok);
    ASSERT_TRUE(
        f.send(
             fac,
             R"({"type":"adjudicate","actor":"ARM","decision":"modify","moves":[],"reason":"too soon"})")
            .ok);
    ASSERT_TRUE(f.send(f.team("ARM"), R"({"type":"message","to":"facilitator","text":"why?"})").ok);
    before_view = f.room->view(fac);
  }
  // A kill while an entry was being written: half a line at the end.
  {
    std::ofstream out(log, std::ios::app);
    out << R"({"kind":"order","actor":"AZE","op":"sub)";
  }
  std::unique_ptr<Room> again = Room::resume(log);
  EXPECT_EQ(again->tokens(), tokens);
  EXPECT_EQ(again->phase(), Room::Phase::closed);
  json::object after_view = again->view(RoomFixture::facilitator());
  for (auto* v : {&before_view, &after_view}) {
    v->erase("deadline");
    v->erase("seconds_left");
  }
  EXPECT_EQ(json::serialize(after_view), json::serialize(before_view));
  // And it goes on.
  ASSERT_TRUE(again->handle(RoomFixture::facilitator(), json::parse(R"({"type":"advance"})")).ok);
  EXPECT_EQ(again->session().step(), 6);
}

TEST(Room, ResumeRefusesAPlayLogAndABrokenRoomEntry) {
  const fs::path log = temp_log("not-a-room");
  {
    std::ofstream out(log);
    out << "{\"kind\":\"start\"}\n";
  }
  EXPECT_THROW(Room::resume(log), InputError);
}

TEST(Room, FogValuesAreFixedBySeedObserverAndStep) {
  Scenario s = load_scenario(kBaseline).scenario;
  PlaySpec fog;
  fog.fog = PlaySpec::Fog::noisy;
  fog.fog_sigma = 0.2;
  const auto v = fogged_value(s, fog, 0, 3, 1, 2, -1, 0.1);
  ASSERT_TRUE(v);
  EXPECT_EQ(v, fogged_value(s, fog, 0, 3, 1, 2, -1, 0.1));
  EXPECT_NE(v, fogged_value(s, fog, 0, 4, 1, 2, -1, 0.1));    // another step
  EXPECT_NE(v, fogged_value(s, fog, 5, 3, 1, 2, -1, 0.1));    // another observer
  EXPECT_NE(v, fogged_value(s, fog, 0, 3, 2, 1, -1, 0.1));    // the other direction
  EXPECT_EQ(fogged_value(s, fog, 1, 3, 1, 2, -1, 0.1), 0.1);  // its own relation
  EXPECT_EQ(fogged_value(s, fog, 0, 3, 1, -1, 0, 0.99).value() <= 1.0, true);  // clipped
  s.seed += 1;
  EXPECT_NE(v, fogged_value(s, fog, 0, 3, 1, 2, -1, 0.1));
  fog.fog = PlaySpec::Fog::hidden;
  EXPECT_FALSE(fogged_value(s, fog, 0, 3, 1, 2, -1, 0.1));
  EXPECT_EQ(fogged_value(s, fog, 1, 3, 1, 2, -1, 0.1), 0.1);
}

}  // namespace
}  // namespace entente
