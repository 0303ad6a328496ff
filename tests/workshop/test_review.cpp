// `entente review`: the debrief, and each move's counterfactual on a case
// computed by hand (tests/data/play/two.toml: memory 0.5, R0 = 0, no noise).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cli_support.hpp"
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
  const std::string md = review_markdown(played(), "log.jsonl");
  for (const char* expected :
       {"# Debrief: Two\n", "## Timeline",
        "| 1 | 0 | move `gift`: A gives B a gift | A | affinity(A,B)+=0.4 | |", "## Turning points",
        "| 1 | affinity(A,B) | +0.200 | Move: A gives B a gift +0.4000; memory: the pull back "
        "toward the structural affinity -0.2000 |",
        "## End state against the start", "| affinity(A,B) | +0.000 | +0.025 | +0.025 |",
        "## Counterfactuals", "| 1 | `gift` | A | affinity(A,B) | +0.025 | +0.000 | +0.025 |",
        "| 2 | `warm` | B | affinity(B,A) | +0.050 | +0.000 | +0.050 |"}) {
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
  EXPECT_NE(
      md.find(
          "| override `affinity.B.A 0.5` | facilitator | affinity(B,A)=0.5 | B's new government |"),
      std::string::npos)
      << md;
  EXPECT_NE(md.find("| 1 | `gift` | A | affinity(A,B) | +0.100 | +0.000 | +0.100 |"),
            std::string::npos)
      << md;
}

}  // namespace
}  // namespace entente
