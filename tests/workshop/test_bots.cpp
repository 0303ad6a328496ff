// Engine-played actors (workshop/bots.hpp): the candidates (budget,
// availability, moves played this turn), their scores against sessions that
// actually play them, ties, common random numbers, determinism, and the
// `--bots` list.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "entente/model/objective.hpp"
#include "entente/scenario/scenario_io.hpp"
#include "entente/workshop/bots.hpp"

namespace entente {
namespace {

// Memory only (μ = 0.5, R0 = 0) and, unless `noise` is given, no noise: a
// shock d to affinity(B,A) applied before step s is d · 0.5^(t − s + 1) at
// step t, so a bot of A looking H steps ahead sees d / 2^H.
// A scores affinity(B,A); T scores affinity(B,T); B has no objective.
std::string scenario_text(const std::string& model = "") {
  return R"toml([scenario]
name = "bots"
steps = 10
seed = 11
runs = 1

[model]
memory = 0.5
)toml" + model +
         R"toml(
[[axes]]
id = "x"

[[actors]]
id = "A"
power = 1
position = { x = 0.0 }
budget = 2
objective = { "affinity(B,A)" = 1.0 }

[[actors]]
id = "B"
power = 1
position = { x = 0.0 }

[[actors]]
id = "T"
power = 1
position = { x = 0.0 }
budget = 1.5
objective = { "affinity(B,T)" = 1.0 }

[[moves]]
id = "a_good"
actor = "A"
cost = 1
affinity = [ { from = "B", to = "A", delta = 0.4 } ]

[[moves]]
id = "a_bad"
actor = "A"
cost = 1
affinity = [ { from = "B", to = "A", delta = -0.3 } ]

[[moves]]
id = "a_dear"
actor = "A"
cost = 2
affinity = [ { from = "B", to = "A", delta = 0.3 } ]

[[moves]]
id = "a_later"
actor = "A"
available_when = "affinity(B,A) > 0.3"
affinity = [ { from = "B", to = "A", delta = 0.8 } ]

[[moves]]
id = "b_warm"
actor = "B"
affinity = [ { from = "B", to = "A", delta = 0.2 } ]

[[moves]]
id = "b_cool"
actor = "B"
affinity = [ { from = "B", to = "T", delta = -0.2 } ]

[[moves]]
id = "t_dear"
actor = "T"
cost = 1.5
affinity = [ { from = "B", to = "T", delta = 0.2 } ]

[[moves]]
id = "t_cheap"
actor = "T"
cost = 1
affinity = [ { from = "B", to = "T", delta = 0.2 } ]

[[moves]]
id = "t_same"
actor = "T"
cost = 1
affinity = [ { from = "B", to = "T", delta = 0.2 } ]
)toml";
}

Scenario scenario(const std::string& model = "") {
  return load_scenario_text(scenario_text(model), "bots.toml").scenario;
}

int move_index(const Scenario& s, const char* id) {
  return s.find_move(id);
}

std::vector<int> moves(const Scenario& s, std::initializer_list<const char*> ids) {
  std::vector<int> out;
  for (const char* id : ids) out.push_back(move_index(s, id));
  return out;
}

std::vector<std::vector<int>> candidate_moves(const BotDecision& d) {
  std::vector<std::vector<int>> out;
  for (const BotCandidate& c : d.table) out.push_back(c.moves);
  return out;
}

// An actor's score in a session of `sc` that plays `ids` at step 0 and
// advances `h` steps.
double played_score(const Scenario& sc, const std::vector<std::string>& ids, int h, int actor) {
  Session s(sc, 2);
  if (!ids.empty()) s.play(ids);
  s.advance(h);
  return actor_score(s.model(), s.state(), actor);
}

std::string error_of(const auto& call) {
  try {
    call();
  } catch (const SessionError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Bots, PicksTheBestMoveAndScoresWhatPlayingItGives) {
  const Session s(scenario(), 2);
  const Scenario& sc = s.base();
  const BotDecision d = choose_moves(s, 0, {});
  EXPECT_EQ(d.actor, 0);
  EXPECT_EQ(d.horizon, 6);
  EXPECT_EQ(d.runs, 20);
  // Budget 2: a_good + a_dear (3) and a_bad + a_dear (3) do not fit; a_later
  // is not available (affinity(B,A) = 0).
  const std::vector<std::vector<int>> expected = {{},
                                                  moves(sc, {"a_good"}),
                                                  moves(sc, {"a_bad"}),
                                                  moves(sc, {"a_dear"}),
                                                  moves(sc, {"a_good", "a_bad"})};
  EXPECT_EQ(candidate_moves(d), expected);
  EXPECT_EQ(d.moves, moves(sc, {"a_good"}));
  EXPECT_EQ(d.line(sc), "move a_good");
  const std::vector<std::vector<std::string>> played = {
      {}, {"a_good"}, {"a_bad"}, {"a_dear"}, {"a_good", "a_bad"}};
  const std::vector<double> closed_form = {0.0, 0.4 / 64, -0.3 / 64, 0.3 / 64, 0.1 / 64};
  for (std::size_t k = 0; k < d.table.size(); ++k) {
    SCOPED_TRACE(k);
    EXPECT_NEAR(d.table[k].mean_score, played_score(sc, played[k], 6, 0), 1e-12);
    EXPECT_NEAR(d.table[k].mean_score, closed_form[k], 1e-12);
  }
  EXPECT_EQ(d.table[3].cost, 2.0);
  EXPECT_EQ(d.table[4].cost, 2.0);
}

TEST(Bots, WhatIsLeftOfTheBudgetAndMovesPlayedThisTurn) {
  Session s(scenario(), 2);
  const Scenario& sc = s.base();
  s.play({"a_good"});  // 1 of A's 2 spent, a_good played this turn
  const BotDecision d = choose_moves(s, 0, {});
  const std::vector<std::vector<int>> expected = {{}, moves(sc, {"a_bad"})};
  EXPECT_EQ(candidate_moves(d), expected);
  EXPECT_TRUE(d.moves.empty());  // a_good already counts: a_bad only lowers the score
  // The played move is in the look-ahead, through the session's events.
  EXPECT_NEAR(d.table[0].mean_score, 0.4 / 64, 1e-12);
  EXPECT_EQ(d.line(sc), "");
}

TEST(Bots, AMoveBecomesACandidateWhenItIsAvailable) {
  Session s(scenario(), 2);
  const Scenario& sc = s.base();
  s.set("affinity.B.A", "0.5", "test");
  s.advance(1);  // affinity(B,A) = 0.25: a_later (> 0.3) is not available
  EXPECT_EQ(choose_moves(s, 0, {}).table.size(), 5u);
  s.undo();
  s.undo();
  s.set("affinity.B.A", "1", "test");
  s.advance(1);  // 0.5: it is
  const BotDecision d = choose_moves(s, 0, {});
  // a_later costs nothing: every set that fits the budget of 2, with and
  // without it (a_dear + a_later, a_good + a_bad + a_later fit; a_dear with
  // another costly one does not).
  ASSERT_EQ(d.table.size(), 10u);
  EXPECT_EQ(d.table[4].moves, moves(sc, {"a_later"}));
  EXPECT_EQ(d.table[9].moves, moves(sc, {"a_good", "a_bad", "a_later"}));
  // +0.8 takes affinity(B,A) to its bound 1 alone; every set with it ties,
  // and the cheapest, a_later alone (cost 0), is chosen.
  EXPECT_NEAR(d.table[4].mean_score, 1.0 / 64, 1e-12);
  EXPECT_EQ(d.moves, moves(sc, {"a_later"}));
}

TEST(Bots, ATieGoesToTheCheaperThenToMenuOrder) {
  const Session s(scenario(), 2);
  const Scenario& sc = s.base();
  const BotDecision d = choose_moves(s, 2, {});
  // Budget 1.5: no pair fits. t_dear, t_cheap and t_same do the same.
  const std::vector<std::vector<int>> expected = {
      {}, moves(sc, {"t_dear"}), moves(sc, {"t_cheap"}), moves(sc, {"t_same"})};
  ASSERT_EQ(candidate_moves(d), expected);
  EXPECT_EQ(d.table[1].mean_score, d.table[2].mean_score);
  EXPECT_EQ(d.table[2].mean_score, d.table[3].mean_score);
  EXPECT_GT(d.table[1].mean_score, d.table[0].mean_score);
  EXPECT_EQ(d.moves, moves(sc, {"t_cheap"}));
  EXPECT_EQ(bot_table_text(d, sc),
            "  none     cost 0    expected score +0.000000\n"
            "  t_dear   cost 1.5  expected score +0.003125\n"
            "* t_cheap  cost 1    expected score +0.003125\n"
            "  t_same   cost 1    expected score +0.003125\n");
}

TEST(Bots, AnActorWithoutAnObjectivePlaysNothing) {
  const Session s(scenario(), 2);
  const BotDecision d = choose_moves(s, 1, {});
  ASSERT_EQ(d.table.size(), 4u);  // none, b_warm, b_cool, both (no budget)
  for (const BotCandidate& c : d.table) EXPECT_EQ(c.mean_score, 0.0);
  EXPECT_TRUE(d.moves.empty());
  EXPECT_EQ(bot_table_text(d, s.base()).substr(0, 2), "* ");
}

TEST(Bots, HeldMovesCountAsPlayed) {
  const Session s(scenario("noise_affinity = 0.05\n"), 2);
  const Scenario& sc = s.base();
  Session played(scenario("noise_affinity = 0.05\n"), 2);
  played.play({"b_warm", "b_cool"});
  const BotDecision held = choose_moves(s, 0, moves(sc, {"b_warm", "b_cool"}));
  const BotDecision in_session = choose_moves(played, 0, {});
  ASSERT_EQ(held.table.size(), in_session.table.size());
  for (std::size_t k = 0; k < held.table.size(); ++k) {
    EXPECT_EQ(held.table[k].moves, in_session.table[k].moves);
    EXPECT_EQ(held.table[k].mean_score, in_session.table[k].mean_score) << k;
  }
  // b_warm lifts A's score by its shock, halved at each step: the noise,
  // additive and the same in both, cancels (nothing is near a bound).
  EXPECT_NEAR(held.table[0].mean_score - choose_moves(s, 0, {}).table[0].mean_score, 0.2 / 64,
              1e-12);
  EXPECT_EQ(error_of([&] { choose_moves(s, 0, moves(sc, {"a_good"})); }),
            "held move 'a_good' is A's own; the engine decides A's moves");
  EXPECT_EQ(error_of([&] { choose_moves(s, 0, {99}); }), "no move 99 (the scenario has 9 moves)");
}

// With noise on, every candidate is scored on runs 1 … M of the session's
// seed: "none" is the session's own look-ahead, and a move's score is the
// look-ahead of the session that plays it.
TEST(Bots, CommonRandomNumbersWithNoiseOn) {
  const Session s(scenario("noise_affinity = 0.05\n"), 2);
  const Scenario& sc = s.base();
  BotOptions options;
  options.runs = 17;
  options.horizon = 4;
  const BotDecision d = choose_moves(s, 0, {}, options);
  EXPECT_EQ(d.runs, 17);
  EXPECT_EQ(d.horizon, 4);
  const std::vector<Observable> obs = {sc.actors[0].objective[0].observable};
  const auto mean = [](const LookAhead& la) {
    double sum = 0.0;
    for (double v : la.values[0]) sum += v;
    return sum / static_cast<double>(la.values[0].size());
  };
  EXPECT_NEAR(d.table[0].mean_score, mean(s.look_ahead(17, 4, obs)), 1e-12);
  Session good(scenario("noise_affinity = 0.05\n"), 2);
  good.play({"a_good"});
  ASSERT_EQ(d.table[1].moves, moves(sc, {"a_good"}));
  EXPECT_NEAR(d.table[1].mean_score, mean(good.look_ahead(17, 4, obs)), 1e-12);
  // The noise is the same in every candidate: it cancels in the difference,
  // which is a_good's shock halved at each of the 4 steps.
  EXPECT_NE(d.table[0].mean_score, 0.0);
  EXPECT_NEAR(d.table[1].mean_score - d.table[0].mean_score, 0.4 / 16, 1e-12);
}

TEST(Bots, DeterministicForAGivenSeed) {
  Scenario noisy = scenario("noise_affinity = 0.05\nnoise_position = 0.05\n");
  const Session s(noisy, 2);
  const BotDecision a = choose_moves(s, 0, {});
  const BotDecision b = choose_moves(s, 0, {});
  ASSERT_EQ(a.table.size(), b.table.size());
  for (std::size_t k = 0; k < a.table.size(); ++k) {
    EXPECT_EQ(a.table[k].moves, b.table[k].moves);
    EXPECT_EQ(a.table[k].cost, b.table[k].cost);
    EXPECT_EQ(std::memcmp(&a.table[k].mean_score, &b.table[k].mean_score, sizeof(double)), 0);
  }
  EXPECT_EQ(a.moves, b.moves);
  noisy.seed = 12;
  const BotDecision other = choose_moves(Session(noisy, 2), 0, {});
  EXPECT_NE(other.table[0].mean_score, a.table[0].mean_score);
}

TEST(Bots, TheHorizonStopsAtTheLastStep) {
  Session s(scenario(), 2);
  s.advance(8);
  const BotDecision d = choose_moves(s, 0, {});
  EXPECT_EQ(d.horizon, 2);
  EXPECT_NEAR(d.table[1].mean_score, 0.4 / 4, 1e-12);
  s.advance(2);
  const BotDecision end = choose_moves(s, 0, {});
  EXPECT_EQ(end.horizon, 0);
  EXPECT_TRUE(end.table.empty());
  EXPECT_TRUE(end.moves.empty());
  EXPECT_EQ(bot_table_text(end, s.base()), "");
}

TEST(Bots, Errors) {
  const Session s(scenario(), 2);
  BotOptions few;
  few.max_moves = 2;
  EXPECT_EQ(error_of([&] { choose_moves(s, 0, {}, few); }),
            "A has 3 moves it could play now; the engine plays an actor with at most 2 (every "
            "combination is tried)");
  EXPECT_EQ(error_of([&] { choose_moves(s, 3, {}); }), "no actor 3 (the scenario has 3 actors)");
  EXPECT_EQ(error_of([&] { choose_moves(s, -1, {}); }), "no actor -1 (the scenario has 3 actors)");
  BotOptions bad;
  bad.horizon = 0;
  EXPECT_EQ(error_of([&] { choose_moves(s, 0, {}, bad); }),
            "a bot's horizon must be at least 1 step (got 0)");
  bad = {};
  bad.runs = 0;
  EXPECT_EQ(error_of([&] { choose_moves(s, 0, {}, bad); }),
            "a bot's runs must be in [1, 100000] (got 0)");
}

TEST(Bots, ParseBots) {
  const Scenario sc = load_scenario("scenarios/baseline.toml").scenario;
  const int ARM = sc.find_actor("ARM"), RUS = sc.find_actor("RUS"), AZE = sc.find_actor("AZE");
  EXPECT_EQ(parse_bots(sc, "RUS,ARM", {}), (std::vector<int>{ARM, RUS}));
  EXPECT_EQ(parse_bots(sc, " RUS , AZE ", {ARM}), (std::vector<int>{RUS, AZE}));
  std::vector<int> rest;
  for (int i = 0; i < sc.actor_count(); ++i) {
    if (i != ARM && i != AZE) rest.push_back(i);
  }
  EXPECT_EQ(parse_bots(sc, "rest", {AZE, ARM}), rest);
  EXPECT_EQ(parse_bots(sc, "rest", {}).size(), static_cast<std::size_t>(sc.actor_count()));

  const auto err = [&](std::string_view spec, std::vector<int> teams) {
    return error_of([&] { parse_bots(sc, spec, teams); });
  };
  EXPECT_EQ(err("RUS,ARMM", {}), "unknown actor 'ARMM' (did you mean 'ARM'?)");
  EXPECT_EQ(err("XYZQW", {}), "unknown actor 'XYZQW' (valid: ARM, RUS, AZE, TUR, EU, USA, IRN)");
  EXPECT_EQ(err("RUS,AZE,RUS", {}), "actor 'RUS' is named twice");
  EXPECT_EQ(err("RUS,ARM", {ARM}),
            "actor 'ARM' is a team (played by people); it cannot also be engine-played");
  EXPECT_EQ(err("", {}), "name the engine-played actors: a list of actor ids (e.g. ARM) or rest");
  EXPECT_EQ(err("  ", {}), "name the engine-played actors: a list of actor ids (e.g. ARM) or rest");
  EXPECT_EQ(err("RUS,,AZE", {}),
            "an empty actor id in 'RUS,,AZE' (ids are separated by single commas)");
  std::vector<int> all;
  for (int i = 0; i < sc.actor_count(); ++i) all.push_back(i);
  EXPECT_EQ(err("rest", all), "rest names no actor: every actor is a team");
}

}  // namespace
}  // namespace entente
