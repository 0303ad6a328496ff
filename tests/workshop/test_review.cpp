// `entente review`: the debrief, each move's counterfactual on a case
// computed by hand (tests/data/play/two.toml: memory 0.5, R0 = 0, no noise),
// and a two-branch session with noise whose every counterfactual is checked
// against the session replayed without that command (three.toml).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cli_support.hpp"
#include "entente/model/objective.hpp"
#include "entente/model/simulation.hpp"
#include "entente/scenario/scenario_io.hpp"
#include "entente/workshop/review.hpp"

namespace entente {
namespace {

namespace fs = std::filesystem;

const bool kInSourceRoot = [] {
  fs::current_path(ENTENTE_SOURCE_DIR);
  return true;
}();

// gift (+0.4 on A→B) before step 1, then two steps; warm (+0.2 on B→A)
// before step 3, then two steps. Memory halves a shock every step:
//   affinity(A,B) at step 4 = 0.4 · 0.5^4 = 0.025 with the gift, 0 without;
//   affinity(B,A) at step 4 = 0.2 · 0.5^2 = 0.05 with warm, 0 without.
Session played() {
  Session s(load_scenario("tests/data/play/two.toml").scenario, 2);
  s.play({"gift"});
  s.advance(2);
  s.play({"warm"});
  s.advance(2);
  return s;
}

TEST(Review, CounterfactualsComputedByHand) {
  const Session s = played();
  const auto rows = counterfactuals(s, s.scenario().output.observables);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].move, "gift");
  EXPECT_EQ(rows[0].actor, "A");
  EXPECT_EQ(rows[0].observable, "affinity(A,B)");
  EXPECT_DOUBLE_EQ(rows[0].with, 0.025);
  EXPECT_EQ(rows[0].without, 0.0);
  EXPECT_DOUBLE_EQ(rows[0].effect, 0.025);
  EXPECT_EQ(rows[1].move, "warm");
  EXPECT_EQ(rows[1].observable, "affinity(B,A)");
  EXPECT_DOUBLE_EQ(rows[1].effect, 0.05);
}

TEST(Review, MarkdownHasEverySection) {
  Session s = played();
  const std::string md = review_markdown(s, "log.jsonl", {.runs = 1, .top = 5});
  for (const char* expected :
       {"# Debrief: Two\n", "## Branch `main`\n\nThe trunk: 2 turn(s) in all, steps 0–4.",
        "### Actions", "| 1 | 0 | move `gift`: A gives B a gift | A | affinity(A,B)+=0.4 |  |",
        "### Turning points",
        "| 1 | affinity(A,B) | +0.200 | Move: A gives B a gift +0.4000; memory: the pull back "
        "toward the structural affinity -0.2000 |",
        "### End state against the start", "| affinity(A,B) | +0.000 | +0.025 | +0.025 |",
        "### Counterfactuals, largest effect first",
        "| 1 | move `warm` | 2 | 2 | B | affinity(B,A) +0.050 |",
        "| 2 | move `gift` | 1 | 0 | A | affinity(A,B) +0.025 |",
        "| affinity(A,B) | +0.025 | +0.000 | +0.025 | +0.025 | the same in every run |"}) {
    EXPECT_NE(md.find(expected), std::string::npos) << expected << "\n" << md;
  }
}

TEST(Review, FromALogThroughTheCommandLine) {
  const fs::path dir = testing::fresh_dir("review");
  std::ofstream(dir / "s.txt")
      << "move gift\nset affinity.B.A 0.5 --reason \"B's new government\"\n"
         "advance 2\nquit\n";
  ASSERT_EQ(
      testing::cli("play tests/data/play/two.toml --lookahead 0 --script '" +
                   (dir / "s.txt").string() + "' --log '" + (dir / "log.jsonl").string() + "'")
          .status,
      0);
  const auto r = testing::cli("review '" + (dir / "log.jsonl").string() + "' -o '" +
                              (dir / "debrief.md").string() + "'");
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string md = testing::slurp(dir / "debrief.md");
  for (const char* expected :
       {"| 1 | 0 | override `affinity.B.A 0.5` | facilitator | affinity(B,A)=0.5 | B's new "
        "government |",
        "| 1 | override `affinity.B.A 0.5` | 1 | 0 | facilitator | affinity(B,A) +0.125 |",
        "| 2 | move `gift` | 1 | 0 | A | affinity(A,B) +0.100 |",
        "1. override `affinity.B.A 0.5` (turn 1, step 0, facilitator), reason: B's new "
        "government\n"}) {
    EXPECT_NE(md.find(expected), std::string::npos) << expected << "\n" << md;
  }
  EXPECT_EQ(testing::cli("review '" + (dir / "log.jsonl").string() + "' --runs 0").status, 2);
}

// The renderer shows an inject's or override's label and reason when given
// (the console fills them from `inject --label … --reason …`).
TEST(Review, MarkdownShowsLabelAndReason) {
  Review r;
  r.scenario = "S";
  r.log = "l.jsonl";
  r.runs = 2;
  r.checked_out = "main";
  BranchReview b;
  b.name = "main";
  b.last_step = 3;
  ReviewedAction a;
  a.kind = ReviewedAction::Kind::inject;
  a.step = 1;
  a.turn = 2;
  a.what = "affinity = [{from=\"A\", to=\"B\", delta=-0.3}]";
  a.actor = "facilitator";
  a.label = "border incident";
  a.reason = "the news this morning";
  a.effects = "affinity(A,B)+=-0.3";
  a.applied = true;
  a.observables.push_back(
      {"affinity(A,B)", false, -0.1, 0.0, "-0.100", "+0.000", -0.1, -0.12, -0.08});
  a.size = 0.1;
  b.actions.push_back(a);
  b.ranking = {0};
  r.branches.push_back(b);
  const std::string md = review_markdown(r);
  for (const char* expected :
       {"| 2 | 1 | inject `affinity = [{from=\"A\", to=\"B\", delta=-0.3}]` | facilitator · "
        "border incident | affinity(A,B)+=-0.3 | the news this morning |",
        "| 1 | inject `affinity = [{from=\"A\", to=\"B\", delta=-0.3}]` | 2 | 1 | facilitator · "
        "border incident | affinity(A,B) -0.100 |",
        "1. inject `affinity = [{from=\"A\", to=\"B\", delta=-0.3}]` (turn 2, step 1, "
        "facilitator), label: border incident, reason: the news this morning\n",
        "| affinity(A,B) | -0.100 | +0.000 | -0.100 | -0.100 | [-0.120, -0.080] |"}) {
    EXPECT_NE(md.find(expected), std::string::npos) << expected << "\n" << md;
  }
}

// The commands of a two-branch session on tests/data/play/three.toml (noise
// on): a move, an inject and an override on `main`, then a branch with a move
// of its own. `skip` leaves one command out (for the counterfactual by hand).
const std::vector<std::string> kScript = {
    "move gift",
    "advance 2",
    "inject affinity = [{from=\"B\", to=\"C\", delta=-0.3}]",
    "set model.balance 0.6 --reason \"triads matter more\"",
    "advance 2",
    "branch alt",
    "move warm",
    "advance 3",
    "checkout main",
    "advance 1",
};

Session replay(const std::string& branch, const std::string& skip) {
  Session s(load_scenario("tests/data/play/three.toml").scenario, 2);
  WorkshopOptions options;
  options.lookahead_runs = 0;
  Workshop w(s, options);
  for (const std::string& line : kScript) {
    if (line == skip) continue;
    const CommandResult r = w.execute(line);
    EXPECT_TRUE(r.ok) << line << ": " << r.output;
  }
  s.checkout(branch);
  return s;
}

// Each item at the branch's last step for runs 0 … runs − 1: the scenario's
// headline observables (by name) and every actor's score.
std::vector<std::vector<double>> run_values(const Session& s, int runs,
                                            const std::vector<std::string>& names) {
  const Model model = compile(s.scenario());
  std::vector<std::vector<double>> out;
  for (int r = 0; r < runs; ++r) {
    Simulation sim(model, static_cast<std::uint64_t>(r));
    for (int t = 1; t <= s.step(); ++t) sim.advance();
    std::vector<double> row;
    for (const std::string& n : names) {
      if (n.starts_with("score:"))
        row.push_back(actor_score(model, sim.state(), s.scenario().find_actor(n.substr(6))));
      else
        row.push_back(observe(model, sim.state(), parse_observable(n, s.scenario())));
    }
    out.push_back(std::move(row));
  }
  return out;
}

TEST(Review, TwoBranchesAndEveryCounterfactualWithCommonRandomNumbers) {
  const fs::path dir = testing::fresh_dir("review_branches");
  {
    std::ofstream script(dir / "s.txt");
    for (const std::string& line : kScript) script << line << "\n";
    script << "quit\n";
  }
  const fs::path log = dir / "log.jsonl";
  ASSERT_EQ(testing::cli("play tests/data/play/three.toml --lookahead 0 --script '" +
                         (dir / "s.txt").string() + "' --log '" + log.string() + "'")
                .status,
            0);
  ResumedSession resumed = resume_session(log);
  constexpr int kRuns = 4;
  const Review review = review_session(*resumed.session, "log.jsonl", {.runs = kRuns, .top = 50});
  EXPECT_EQ(resumed.session->branch(), "main");  // checked out again
  ASSERT_EQ(review.branches.size(), 2u);
  const BranchReview& main = review.branches[0];
  const BranchReview& alt = review.branches[1];
  EXPECT_EQ(main.name, "main");
  EXPECT_EQ(main.parent, "");
  EXPECT_EQ(main.last_step, 5);
  EXPECT_EQ(alt.name, "alt");
  EXPECT_EQ(alt.parent, "main");
  EXPECT_EQ(alt.fork_step, 4);
  EXPECT_EQ(alt.shared, 5);
  EXPECT_EQ(alt.last_step, 7);
  ASSERT_EQ(main.actions.size(), 3u);
  ASSERT_EQ(alt.actions.size(), 4u);
  EXPECT_EQ(main.actions[0].kind, ReviewedAction::Kind::move);
  EXPECT_EQ(main.actions[1].kind, ReviewedAction::Kind::inject);
  EXPECT_EQ(main.actions[2].kind, ReviewedAction::Kind::set);
  EXPECT_EQ(main.actions[2].reason, "triads matter more");
  EXPECT_TRUE(alt.actions[2].inherited);
  EXPECT_FALSE(alt.actions[3].inherited);
  EXPECT_EQ(alt.actions[3].what, "warm");

  // Every counterfactual against the session replayed without that command.
  const std::vector<std::pair<const BranchReview*, std::vector<std::string>>> cases = {
      {&main, {"move gift", kScript[2], kScript[3]}},
      {&alt, {"move gift", kScript[2], kScript[3], "move warm"}}};
  for (const auto& [branch, skips] : cases) {
    ASSERT_EQ(branch->ranking.size(), skips.size());
    const Session with = replay(branch->name, "");
    for (std::size_t k = 0; k < skips.size(); ++k) {
      SCOPED_TRACE(branch->name + ": without " + skips[k]);
      const ReviewedAction& a = branch->actions[k];
      ASSERT_TRUE(a.applied);
      ASSERT_FALSE(a.observables.empty());
      ASSERT_EQ(a.scores.size(), 2u);  // A and B have objectives
      std::vector<std::string> names;
      for (const Effect& e : a.observables) names.push_back(e.name);
      for (const Effect& e : a.scores) names.push_back("score:" + e.name);
      const Session without = replay(branch->name, skips[k]);
      ASSERT_EQ(without.step(), with.step());
      const auto w = run_values(with, kRuns, names), o = run_values(without, kRuns, names);
      std::vector<const Effect*> effects;
      for (const Effect& e : a.observables) effects.push_back(&e);
      for (const Effect& e : a.scores) effects.push_back(&e);
      for (std::size_t i = 0; i < names.size(); ++i) {
        double mean = 0.0;
        for (int r = 0; r < kRuns; ++r) mean += (w[r][i] - o[r][i]) / kRuns;
        EXPECT_NEAR(effects[i]->effect, mean, 1e-12) << names[i];
        EXPECT_NEAR(effects[i]->with - effects[i]->without, w[0][i] - o[0][i], 1e-12) << names[i];
      }
    }
  }
  // The override changes the headline observables (balance acts on triads).
  EXPECT_GT(main.actions[2].size, 1e-3);
  // Ranked by size.
  for (std::size_t k = 1; k < main.ranking.size(); ++k) {
    EXPECT_GE(main.actions[static_cast<std::size_t>(main.ranking[k - 1])].size,
              main.actions[static_cast<std::size_t>(main.ranking[k])].size);
  }

  // The debrief through the command line shows both branches and all three
  // counterfactuals of main.
  const auto r = testing::cli("review '" + log.string() + "' --runs 4");
  ASSERT_EQ(r.status, 0) << r.err;
  for (const char* expected :
       {"## Branch `main`", "## Branch `alt`", "Forked from `main` at step 4",
        "move `gift` (turn 1, step 0, A)",
        "inject `affinity = [{from=\"B\", to=\"C\", delta=-0.3}]` (turn 2, step 2, facilitator)",
        "override `model.balance 0.6` (turn 2, step 2, facilitator), reason: triads matter more",
        "move `warm` (turn 3, step 4, C)", "| score(A) |"}) {
    EXPECT_NE(r.out.find(expected), std::string::npos) << expected << "\n" << r.out;
  }
}

}  // namespace
}  // namespace entente
