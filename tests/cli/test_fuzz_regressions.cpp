// Every input that ever made a fuzzer fail, replayed through the same checks
// (tests/fuzz/regressions/<fuzzer>/), plus the seed corpus.
#include <gtest/gtest.h>

#include "cli_support.hpp"
#include "fuzz/fuzz_bodies.hpp"
#include "fuzz/fuzz_room_body.hpp"

namespace entente {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> files_under(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().filename() != "README.md") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(FuzzRegressions, ScenarioInputs) {
  int count = 0;
  for (const char* dir : {"tests/fuzz/regressions/scenario", "scenarios", "tests/data"}) {
    for (const auto& f : files_under(dir)) {
      if (f.extension() != ".toml" && std::string(dir).find("regressions") == std::string::npos)
        continue;
      SCOPED_TRACE(f.string());
      fuzz::scenario_bytes(testing::slurp(f));
      ++count;
    }
  }
  EXPECT_GT(count, 20);
}

TEST(FuzzRegressions, ExpressionInputs) {
  for (const auto& f : files_under("tests/fuzz/regressions/expression")) {
    SCOPED_TRACE(f.string());
    fuzz::expression_bytes(testing::slurp(f));
  }
  // A few hand-made ones: a first byte of 0 makes a condition, 1 an override.
  const std::vector<std::pair<char, std::string>> cases{
      {0, "affinity(ARM,RUS) < -0.3 and (step > 1 or regime(corridor) == open)"},
      {0, "((((((((((step > 1"},
      {1, "model.balance=0.5"},
      {1, "actors.ARM.position.orientation=2"},
      {1, "="},
      {1, "events.e.step=[1,2]"}};
  for (const auto& [kind, text] : cases) fuzz::expression_bytes(std::string(1, kind) + text);
}

TEST(FuzzRegressions, RoomInputs) {
  int count = 0;
  for (const auto& f : files_under("tests/fuzz/regressions/room")) {
    SCOPED_TRACE(f.string());
    fuzz::room_bytes(testing::slurp(f), "scenarios/baseline.toml");
    ++count;
  }
  EXPECT_GE(count, 2);
}

}  // namespace
}  // namespace entente
