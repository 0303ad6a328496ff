// Every input that ever made a fuzzer fail, replayed through the same checks
// (tests/fuzz/regressions/<fuzzer>/), plus the seed corpus.
#include <gtest/gtest.h>

#include "cli_support.hpp"
#include "fuzz/fuzz_bodies.hpp"

namespace entente {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> files_under(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(FuzzRegressions, ScenarioInputs) {
  int count = 0;
  for (const char* dir : {"tests/fuzz/regressions/scenario", "scenarios", "tests/data"}) {
    for (const auto& f : files_under(dir)) {
      if (f.extension() != ".toml" && std::string(dir).find("regressions") == std::string::npos) continue;
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
  // A few hand-made ones.
  for (const char* e : {"\x00affinity(ARM,RUS) < -0.3 and (step > 1 or regime(corridor) == open)",
                        "\x00((((((((((step > 1", "\x01model.balance=0.5", "\x01actors.ARM.position.orientation=2",
                        "\x01=", "\x01events.e.step=[1,2]"}) {
    fuzz::expression_bytes(std::string_view(e, std::strlen(e + 1) + 1));
  }
}

}  // namespace
}  // namespace entente
