// The wide step (engine/model/step_wide.cpp: N = 7 with Highway on AVX2, AVX-512,
// NEON) against the portable step, byte for byte, on every instruction set
// this machine has: every mechanism on and off, K = 0 … 4 and K = 9 (beyond
// the padded rows), noise on and off, the overshoot and normalisation
// branches, exact zeros, and a whole run of scenarios/baseline.toml (events,
// blocs, noise). An instruction set the CPU lacks is skipped; the pinned
// outputs (test_seeded_outputs.cpp) run on every path too.
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "entente/model/simulation.hpp"
#include "entente/model/step.hpp"
#include "entente/scenario/scenario_io.hpp"
#include "model/step_parts.hpp"
#include "step_isa_support.hpp"
#include "support.hpp"

namespace entente {
namespace {

using detail::StepIsa;

bool same_bits(const RowMatrix& a, const RowMatrix& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         (a.size() == 0 ||  // K = 0: no data to compare (and null pointers)
          std::memcmp(a.data(), b.data(), sizeof(double) * static_cast<std::size_t>(a.size())) ==
              0);
}

using testing::ScopedStepIsa;

class WideStep : public ::testing::TestWithParam<StepIsa> {
 protected:
  void SetUp() override {
    if (!detail::isa_available(GetParam()))
      GTEST_SKIP() << "this CPU (or build) has no " << detail::step_isa_name(GetParam()) << " step";
  }
};

// Seven actors with random values. Variants: 0 every mechanism on; 1 every
// rate high (affinity ω normalised, positions overshoot); 2 only similarity
// and memory, some affinities and positions exactly ±0; 3 three issues and
// no institutions; 4 balance and stakes off, two institutions; 5 no noise.
Scenario random_scenario(int k, std::uint64_t seed, int variant) {
  Scenario s = testing::make_scenario(7, k, 30);
  std::mt19937_64 gen(seed);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  s.rates = {0.3, 0.2, 0.1, 0.1, 0.2, 0.2, 0.1, 0.5, 0.05, 0.05};
  if (variant == 1) s.rates = {1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.5, 0.1, 0.1};
  if (variant == 2) s.rates = {0.0, 0.0, 0.3, 0.0, 0.0, 0.0, 0.2, 1.0, 0.0, 0.02};
  if (variant == 4) s.rates.balance = s.rates.stakes = 0.0;
  if (variant == 5) s.rates.noise_position = s.rates.noise_affinity = 0.0;
  for (int i = 0; i < 7; ++i) {
    auto& a = s.actors[static_cast<std::size_t>(i)];
    a.power = 0.1 + std::abs(u(gen));
    a.stubbornness = (variant == 1 ? 0.9 : 0.3) * std::abs(u(gen));
    for (int d = 0; d < k; ++d) {
      const bool zero = variant == 2 && (i + d) % 3 == 0;
      a.position[static_cast<std::size_t>(d)] = zero ? (i % 2 ? -0.0 : 0.0) : u(gen);
      a.ideal[static_cast<std::size_t>(d)] = u(gen);
    }
    for (int j = 0; j < 7; ++j) {
      if (i == j) continue;
      const double v = u(gen);
      testing::set_affinity(s, i, j, variant == 2 && (i + j) % 3 == 0 ? 0.0 * v : v);
      s.interdependence[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] =
          std::abs(u(gen));
      s.weights[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] = 1 + u(gen);
    }
  }
  s.actors[0].noise = 0.2;  // drawn even where the scenario's σx is 0
  if (variant == 5) s.actors[0].noise = 0.0;
  if (variant != 2 && variant != 3) {
    for (int g = 0; g < (variant == 4 ? 2 : 1); ++g) {
      Institution inst{"G" + std::to_string(g), "G", 1.5, {}};
      for (int i = 0; i < 7; ++i) inst.members.push_back(std::abs(u(gen)));
      s.institutions.push_back(inst);
    }
  }
  if (variant != 2) {
    for (int q = 0; q < (variant == 3 ? 3 : 1); ++q) {
      Issue issue{"q" + std::to_string(q), "q", {"a", "b", "c"}, 2, {}, {}};
      for (int i = 0; i < 7; ++i) {
        issue.salience.push_back(i == 3 ? 0.0 : std::abs(u(gen)));  // a zero stake
        issue.utility.push_back({u(gen), u(gen), u(gen)});
      }
      s.issues.push_back(issue);
    }
  }
  s.output.observables = default_observables(s);
  return s;
}

// Steps the same model on both paths and compares x and R after each step.
void expect_same_trajectory(StepIsa isa, const Model& m, int steps, const std::string& what) {
  State wide = initial_state(m), portable = initial_state(m);
  Workspace ws_wide = make_workspace(m), ws_portable = make_workspace(m);
  Rng rng_wide(7), rng_portable(7);
  for (int t = 0; t < steps; ++t) {
    {
      const ScopedStepIsa forced(isa);
      step(m, wide, ws_wide, rng_wide);
    }
    {
      const ScopedStepIsa forced(StepIsa::baseline);
      step(m, portable, ws_portable, rng_portable);
    }
    ASSERT_TRUE(same_bits(wide.x, portable.x)) << what << ", step " << t;
    ASSERT_TRUE(same_bits(wide.R, portable.R)) << what << ", step " << t;
  }
}

TEST_P(WideStep, GivesThePortableBitsForEveryMechanismAndAxisCount) {
  for (int variant = 0; variant <= 5; ++variant) {
    for (int k : {0, 1, 2, 3, 4, 9}) {
      const Model m = compile(random_scenario(k, 40 + static_cast<std::uint64_t>(k), variant));
      expect_same_trajectory(GetParam(), m, 40,
                             "variant " + std::to_string(variant) + ", K = " + std::to_string(k));
    }
  }
}

TEST_P(WideStep, TakesTheBranchesItClaimsTo) {
  // Variant 1 overshoots (Σ_j v[i][j] + λ_i > 1 for some i) and normalises
  // the ω of the last row (Σ ω > 1): the portable step's scratch says so.
  const Model busy = compile(random_scenario(2, 5, 1));
  State st = initial_state(busy);
  Workspace ws = make_workspace(busy);
  Rng rng(1);
  {
    const ScopedStepIsa forced(StepIsa::baseline);
    step(busy, st, ws, rng);
  }
  EXPECT_GT(ws.row_terms.row(detail::kInfluenceTotal).maxCoeff(), 1.0);
  EXPECT_GT(ws.row_terms.row(detail::kTotal).maxCoeff(), 1.0);
  expect_same_trajectory(GetParam(), busy, 10, "variant 1");
}

TEST_P(WideStep, RunsTheBaselineScenarioToTheSameBits) {
  LoadedScenario loaded = load_scenario("scenarios/baseline.toml");
  const Model m = compile(loaded.scenario);
  ASSERT_EQ(m.n, 7);
  for (std::uint64_t run : {0u, 1u, 2u}) {
    std::optional<ScopedStepIsa> forced(std::in_place, GetParam());
    Simulation wide(m, run);
    forced.emplace(StepIsa::baseline);
    Simulation portable(m, run);
    for (int t = 0; t < loaded.scenario.steps; ++t) {
      forced.emplace(GetParam());
      wide.advance();
      forced.emplace(StepIsa::baseline);
      portable.advance();
      ASSERT_TRUE(same_bits(wide.state().x, portable.state().x)) << "run " << run << " step " << t;
      ASSERT_TRUE(same_bits(wide.state().R, portable.state().R)) << "run " << run << " step " << t;
      ASSERT_EQ(wide.state().bloc, portable.state().bloc);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Isa, WideStep,
                         ::testing::Values(StepIsa::avx2, StepIsa::avx512, StepIsa::neon),
                         [](const auto& info) { return detail::step_isa_name(info.param); });

TEST(StepIsa, BaselineIsAlwaysAvailableAndTheWidePathOnlyWhereSupported) {
  const StepIsa saved = detail::step_isa();
  EXPECT_NO_THROW(detail::set_step_isa(StepIsa::baseline));
  EXPECT_EQ(detail::step_isa(), StepIsa::baseline);
  for (const StepIsa isa : {StepIsa::avx2, StepIsa::avx512, StepIsa::neon}) {
    if (detail::isa_available(isa)) {
      EXPECT_NO_THROW(detail::set_step_isa(isa));
      EXPECT_EQ(detail::step_isa(), isa);
    } else {
      EXPECT_THROW(detail::set_step_isa(isa), std::invalid_argument);
    }
  }
  detail::set_step_isa(saved);
  EXPECT_STREQ(detail::step_isa_name(StepIsa::baseline), "baseline");
  EXPECT_STREQ(detail::step_isa_name(StepIsa::avx2), "avx2");
  EXPECT_STREQ(detail::step_isa_name(StepIsa::avx512), "avx512");
  EXPECT_STREQ(detail::step_isa_name(StepIsa::neon), "neon");
#if defined(__x86_64__)
  // This machine (and the CI's) has AVX-512: every x86 path is tested here.
  EXPECT_TRUE(detail::isa_available(StepIsa::avx2) || !__builtin_cpu_supports("avx2"));
  EXPECT_FALSE(detail::isa_available(StepIsa::neon));
#endif
}

// ENTENTE_ISA's values (detail::parse_step_isa): the library refuses an
// unknown one with a message listing the valid ones.
TEST(StepIsa, ParsesEntenteIsaAndRefusesUnknownValues) {
  EXPECT_EQ(detail::parse_step_isa("baseline"), StepIsa::baseline);
  EXPECT_EQ(detail::parse_step_isa("auto"), detail::supported_step_isa());
  EXPECT_EQ(detail::parse_step_isa(""), detail::supported_step_isa());
  for (const StepIsa isa : {StepIsa::avx2, StepIsa::avx512, StepIsa::neon}) {
    if (detail::isa_available(isa)) {
      EXPECT_EQ(detail::parse_step_isa(detail::step_isa_name(isa)), isa);
    } else {
      EXPECT_THROW(detail::parse_step_isa(detail::step_isa_name(isa)), std::invalid_argument);
    }
  }
  try {
    detail::parse_step_isa("avx9");
    FAIL() << "accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "ENTENTE_ISA must be 'auto' (the widest the CPU has), 'baseline' (the portable "
                 "step), 'avx2', 'avx512' or 'neon', not 'avx9'");
  }
  EXPECT_THROW(detail::parse_step_isa("AVX2"), std::invalid_argument);
}

}  // namespace
}  // namespace entente
