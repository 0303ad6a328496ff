// Each mechanism of MODEL.md §2 alone against a step computed by hand, the
// Friedkin–Johnsen fixed point, structural balance, the invariants, and the
// fast step against the reference step. Every test body runs on both steps,
// the fast one on each of its instruction-set paths (detail::StepIsa).
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cstring>
#include <optional>
#include <random>
#include <vector>

#include "entente/model/step.hpp"
#include "model/balance_products.hpp"
#include "model/step_parts.hpp"
#include "step_isa_support.hpp"
#include "support.hpp"

namespace entente {
namespace {

using testing::make_scenario;
using testing::set_affinity;
using testing::set_position;

using detail::StepIsa;

// `fast`: the fast step on the widest path this CPU has (AVX-512 at N = 7);
// `portable`: the fast step forced onto the portable code.
enum class Stepper { fast, portable, reference };

// The instruction-set paths of the fast step this CPU can run.
std::vector<StepIsa> step_isas() {
  std::vector<StepIsa> isas{StepIsa::baseline};
  for (const StepIsa isa : {StepIsa::avx2, StepIsa::avx512, StepIsa::neon}) {
    if (detail::isa_available(isa)) isas.push_back(isa);
  }
  return isas;
}

using testing::ScopedStepIsa;

class StepTest : public ::testing::TestWithParam<Stepper> {
 protected:
  void SetUp() override {
    isa_.emplace(GetParam() == Stepper::portable ? StepIsa::baseline
                                                 : detail::supported_step_isa());
  }
  void TearDown() override { isa_.reset(); }

  // Advances `state` by `steps` steps with the stepper under test.
  void advance(const Model& model, State& state, int steps = 1, std::uint64_t seed = 1) {
    Rng rng(seed);
    Workspace ws = make_workspace(model);
    for (int t = 0; t < steps; ++t) {
      if (GetParam() != Stepper::reference)
        step(model, state, ws, rng);
      else
        reference_step(model, state, rng);
    }
  }

 private:
  std::optional<ScopedStepIsa> isa_;
};

TEST_P(StepTest, InfluenceAloneFollowsFriendsAndMirrorsRivals) {
  Scenario s = make_scenario(2, 1);
  s.rates.influence = 0.5;
  set_position(s, 0, 0, 0.5);
  set_position(s, 1, 0, -0.2);
  set_affinity(s, 0, 1, 0.6);
  set_affinity(s, 1, 0, -0.4);
  const Model m = compile(s);
  State st = initial_state(m);
  advance(m, st);
  // A: v = 0.5·1·0.6 = 0.3 toward +x_B: 0.5 + 0.3·(−0.2 − 0.5) = 0.29.
  EXPECT_NEAR(st.x(0, 0), 0.29, 1e-15);
  // B: v = 0.5·1·0.4 = 0.2 toward −x_A: −0.2 + 0.2·(−0.5 + 0.2) = −0.26.
  EXPECT_NEAR(st.x(1, 0), -0.26, 1e-15);
  // No affinity mechanism is on: R does not move.
  EXPECT_EQ(st.R(0, 1), 0.6);
  EXPECT_EQ(st.R(1, 0), -0.4);
  EXPECT_EQ(st.step, 1);
}

TEST_P(StepTest, InfluenceIsWeightedByPowerAndAlignmentWeights) {
  Scenario s = make_scenario(3, 1);
  s.rates.influence = 1.0;
  s.actors[1].power = 3.0;  // pbar = (1, 3, 1)/5, w = pbar (ρ = 1)
  set_position(s, 1, 0, 1.0);
  set_position(s, 2, 0, -1.0);
  set_affinity(s, 0, 1, 0.5);
  set_affinity(s, 0, 2, 0.5);
  s.weights[0][2] = 2.0;  // A pays twice the attention to C
  const Model m = compile(s);
  State st = initial_state(m);
  advance(m, st);
  // Ahat[A][B] = 3/(3+2) = 0.6, Ahat[A][C] = 0.4; v = 0.3, 0.2.
  // x'_A = 0 + 0.3·(1 − 0) + 0.2·(−1 − 0) = 0.1.
  EXPECT_NEAR(st.x(0, 0), 0.1, 1e-15);
}

TEST_P(StepTest, AnchoringAlonePullsTowardTheIdeal) {
  Scenario s = make_scenario(2, 1);
  s.actors[0].stubbornness = 0.25;
  s.actors[0].position = {0.8};
  s.actors[0].ideal = {0.0};
  const Model m = compile(s);
  State st = initial_state(m);
  advance(m, st);
  EXPECT_NEAR(st.x(0, 0), 0.6, 1e-15);
  EXPECT_EQ(st.x(1, 0), 0.0);
}

TEST_P(StepTest, PositionWeightsAboveOneAreNormalised) {
  Scenario s = make_scenario(2, 1);
  s.rates.influence = 1.0;
  s.actors[0].stubbornness = 0.5;
  s.actors[0].position = {1.0};
  s.actors[0].ideal = {-1.0};
  set_affinity(s, 0, 1, 1.0);
  const Model m = compile(s);
  State st = initial_state(m);
  advance(m, st);
  // v = 1, λ = 0.5, sum 1.5 → 2/3 and 1/3: 1 + 2/3·(0 − 1) + 1/3·(−1 − 1) = −1/3.
  EXPECT_NEAR(st.x(0, 0), -1.0 / 3.0, 1e-15);
}

TEST_P(StepTest, BalanceAloneFollowsTheTriads) {
  Scenario s = make_scenario(3, 1);
  s.rates.balance = 0.5;
  set_affinity(s, 0, 2, 0.8);   // A likes C
  set_affinity(s, 2, 1, -0.5);  // C dislikes B
  const Model m = compile(s);
  State st = initial_state(m);
  advance(m, st);
  // Pair (A,B), third party C: B̄ = 0.8·(−0.5) = −0.4, B̄abs = 0.4:
  // ω = 0.5·0.4 = 0.2, τ = −1: R'(A,B) = 0 + 0.2·(−1 − 0) = −0.2.
  EXPECT_NEAR(st.R(0, 1), -0.2, 1e-15);
  // Pair (B,A): R(B,C)·R(C,A) = 0·0 (no symmetric fill in code): nothing moves.
  EXPECT_EQ(st.R(1, 0), 0.0);
  EXPECT_EQ(st.R(0, 2), 0.8);  // (A,C): third party B has R(A,B) = 0: no pull
}

TEST_P(StepTest, SimilarityAlonePullsTowardOneMinusDistance) {
  Scenario s = make_scenario(2, 2);
  s.rates.similarity = 0.25;
  set_position(s, 0, 0, 0.5);
  set_position(s, 0, 1, -0.5);
  set_position(s, 1, 0, 0.1);
  set_position(s, 1, 1, 0.3);
  set_affinity(s, 0, 1, -0.2);
  const Model m = compile(s);
  State st = initial_state(m);
  advance(m, st);
  // distance (0.4 + 0.8)/2 = 0.6, τ = 0.4: −0.2 + 0.25·(0.4 + 0.2) = −0.05.
  EXPECT_NEAR(st.R(0, 1), -0.05, 1e-15);
  // (B,A): R = 0: 0 + 0.25·0.4 = 0.1.
  EXPECT_NEAR(st.R(1, 0), 0.1, 1e-15);
}

TEST_P(StepTest, InstitutionsAlonePullTowardFriendshipInProportionToSharedMembership) {
  Scenario s = make_scenario(2, 0);
  s.rates.institutions = 0.1;
  s.institutions.push_back({"I", "I", 2.0, {1.0, 0.5}});
  set_affinity(s, 0, 1, 0.2);
  const Model m = compile(s);
  State st = initial_state(m);
  advance(m, st);
  // ω = 0.1·2·1·0.5 = 0.1: 0.2 + 0.1·(1 − 0.2) = 0.28.
  EXPECT_NEAR(st.R(0, 1), 0.28, 1e-15);
  EXPECT_NEAR(st.R(1, 0), 0.1, 1e-15);
}

TEST_P(StepTest, InterdependenceAloneIsDirected) {
  Scenario s = make_scenario(2, 0);
  s.rates.interdependence = 0.5;
  s.interdependence[0][1] = 0.4;
  const Model m = compile(s);
  State st = initial_state(m);
  advance(m, st);
  EXPECT_NEAR(st.R(0, 1), 0.2, 1e-15);
  EXPECT_EQ(st.R(1, 0), 0.0);
}

TEST_P(StepTest, StakesAloneFollowTheRegimeInForce) {
  Scenario s = make_scenario(2, 0);
  s.rates.stakes = 0.5;
  Issue q;
  q.id = "route";
  q.name = "route";
  q.options = {"closed", "open"};
  q.regime = 1;
  q.salience = {1.0, 0.8};
  q.utility = {{0.0, 1.0}, {0.3, -0.5}};
  s.issues.push_back(q);
  const Model m = compile(s);
  State st = initial_state(m);
  advance(m, st);
  // ω = 0.5·1·0.8·|1·(−0.5)| = 0.2, τ = −1.
  EXPECT_NEAR(st.R(0, 1), -0.2, 1e-15);
  EXPECT_NEAR(st.R(1, 0), -0.2, 1e-15);
  // Under `closed` A is indifferent: no stake, no pull.
  State closed = initial_state(m);
  closed.regime[0] = 0;
  advance(m, closed);
  EXPECT_EQ(closed.R(0, 1), 0.0);
}

TEST_P(StepTest, MemoryAlonePullsBackToTheStructuralAffinity) {
  Scenario s = make_scenario(2, 0);
  s.rates.memory = 0.1;
  set_affinity(s, 0, 1, 0.5);
  const Model m = compile(s);
  State st = initial_state(m);
  st.R(0, 1) = -0.5;  // a shock
  advance(m, st);
  EXPECT_NEAR(st.R(0, 1), -0.4, 1e-15);
  EXPECT_NEAR(st.R(1, 0), 0.0, 1e-15);  // R0(B,A) = 0 here (no symmetric fill in code)
}

TEST_P(StepTest, AffinityWeightsAboveOneAreNormalised) {
  Scenario s = make_scenario(2, 1);
  s.rates.memory = 0.8;
  s.rates.similarity = 0.6;
  set_affinity(s, 0, 1, 0.5);
  const Model m = compile(s);
  State st = initial_state(m);
  st.R(0, 1) = -1.0;
  advance(m, st);
  // ω = 0.8/1.4 toward 0.5, 0.6/1.4 toward 1 (equal positions):
  const double expected = -1.0 + 0.8 / 1.4 * 1.5 + 0.6 / 1.4 * 2.0;
  EXPECT_NEAR(st.R(0, 1), expected, 1e-15);
  EXPECT_LE(st.R(0, 1), 1.0);
}

TEST_P(StepTest, FriedkinJohnsenConvergesToTheLinearFixedPoint) {
  const int n = 5;
  Scenario s = make_scenario(n, 1);
  s.rates.influence = 0.6;
  std::mt19937_64 gen(7);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (int i = 0; i < n; ++i) {
    s.actors[static_cast<std::size_t>(i)].power = 0.5 + u(gen);
    s.actors[static_cast<std::size_t>(i)].stubbornness = 0.1 + 0.3 * u(gen);
    s.actors[static_cast<std::size_t>(i)].position = {2 * u(gen) - 1};
    s.actors[static_cast<std::size_t>(i)].ideal = {2 * u(gen) - 1};
    for (int j = 0; j < n; ++j) {
      if (i != j) set_affinity(s, i, j, u(gen));
    }
  }
  const Model m = compile(s);
  State st = initial_state(m);
  // Solve Σ_j v_ij (x_j − x_i) + λ_i (xhat_i − x_i) = 0 directly.
  Eigen::MatrixXd A = Eigen::MatrixXd::Zero(n, n);
  Eigen::VectorXd b(n);
  for (int i = 0; i < n; ++i) {
    double denom = 0;
    for (int k = 0; k < n; ++k) {
      if (k != i) denom += st.w(k);
    }
    double total = m.stubbornness(i);
    Eigen::VectorXd v = Eigen::VectorXd::Zero(n);
    for (int j = 0; j < n; ++j) {
      if (j != i) v(j) = 0.6 * st.w(j) / denom * st.R(i, j);
      total += v(j);
    }
    double lambda = m.stubbornness(i);
    if (total > 1) {
      v /= total;
      lambda /= total;
    }
    for (int j = 0; j < n; ++j) {
      A(i, j) += v(j);
      A(i, i) -= v(j);
    }
    A(i, i) -= lambda;
    b(i) = -lambda * m.ideal(i, 0);
  }
  const Eigen::VectorXd fixed_point = A.partialPivLu().solve(b);
  advance(m, st, 3000);
  for (int i = 0; i < n; ++i) EXPECT_NEAR(st.x(i, 0), fixed_point(i), 1e-10) << "actor " << i;
}

TEST_P(StepTest, BalanceAloneReachesAStateWhereEveryTriadIsBalanced) {
  const int n = 6;
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    Scenario s = make_scenario(n, 0);
    s.rates.balance = 0.3;
    std::mt19937_64 gen(seed);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    for (int i = 0; i < n; ++i) {
      for (int j = i + 1; j < n; ++j) {
        const double v = u(gen);
        set_affinity(s, i, j, v);
        set_affinity(s, j, i, v);
      }
    }
    const Model m = compile(s);
    State st = initial_state(m);
    advance(m, st, 400);
    for (int i = 0; i < n; ++i) {
      for (int j = i + 1; j < n; ++j) {
        for (int k = j + 1; k < n; ++k) {
          const double triad = st.R(i, j) * st.R(j, k) * st.R(k, i);
          EXPECT_GT(triad, 0.0) << "seed " << seed << " triad " << i << j << k;
        }
      }
    }
  }
}

// A scenario with every mechanism and noise on, random values.
Scenario busy_scenario(int n, int k, std::uint64_t seed) {
  Scenario s = make_scenario(n, k, 30);
  std::mt19937_64 gen(seed);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  s.rates = {0.3, 0.2, 0.1, 0.1, 0.2, 0.2, 0.1, 0.5, 0.05, 0.05};
  s.seed = seed;
  for (int i = 0; i < n; ++i) {
    auto& a = s.actors[static_cast<std::size_t>(i)];
    a.power = 0.1 + std::abs(u(gen));
    a.stubbornness = 0.3 * std::abs(u(gen));
    for (int d = 0; d < k; ++d) {
      a.position[static_cast<std::size_t>(d)] = u(gen);
      a.ideal[static_cast<std::size_t>(d)] = u(gen);
    }
    for (int j = 0; j < n; ++j) {
      if (i == j) continue;
      set_affinity(s, i, j, u(gen));
      s.interdependence[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] =
          std::abs(u(gen));
      s.weights[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] = 1 + u(gen);
    }
  }
  s.actors[0].noise = 0.2;
  Institution g{"G", "G", 1.5, {}};
  for (int i = 0; i < n; ++i) g.members.push_back(std::abs(u(gen)));
  s.institutions.push_back(g);
  Issue q{"q", "q", {"a", "b", "c"}, 2, {}, {}};
  for (int i = 0; i < n; ++i) {
    q.salience.push_back(std::abs(u(gen)));
    q.utility.push_back({u(gen), u(gen), u(gen)});
  }
  s.issues.push_back(q);
  return s;
}

TEST_P(StepTest, EveryValueStaysInRange) {
  const Model m = compile(busy_scenario(7, 2, 11));
  State st = initial_state(m);
  Rng rng(5);
  Workspace ws = make_workspace(m);
  for (int t = 0; t < 200; ++t) {
    if (GetParam() != Stepper::reference)
      step(m, st, ws, rng);
    else
      reference_step(m, st, rng);
    ASSERT_TRUE((st.x.array().abs() <= 1.0).all()) << "step " << t;
    ASSERT_TRUE((st.R.array().abs() <= 1.0).all()) << "step " << t;
    for (int i = 0; i < m.n; ++i) ASSERT_EQ(st.R(i, i), 1.0);
    ASSERT_TRUE(st.x.allFinite() && st.R.allFinite());
  }
}

INSTANTIATE_TEST_SUITE_P(BothSteppers, StepTest,
                         ::testing::Values(Stepper::fast, Stepper::portable, Stepper::reference),
                         [](const auto& info) {
                           return info.param == Stepper::fast       ? "fast"
                                  : info.param == Stepper::portable ? "portable"
                                                                    : "reference";
                         });

TEST(FastStep, AgreesWithTheReferenceStepTo1e12WithNoiseOn) {
  for (StepIsa isa : step_isas()) {
    SCOPED_TRACE(detail::step_isa_name(isa));
    const ScopedStepIsa forced(isa);
    for (int n : {2, 3, 7, 12}) {
      const Model m = compile(busy_scenario(n, 2, 100 + static_cast<std::uint64_t>(n)));
      State fast = initial_state(m), ref = initial_state(m);
      Rng rf(9), rr(9);
      Workspace ws = make_workspace(m);
      StepDrivers df = make_step_drivers(m), dr = make_step_drivers(m);
      for (int t = 0; t < 50; ++t) {
        step(m, fast, ws, rf, &df);
        reference_step(m, ref, rr, &dr);
        ASSERT_LT((fast.x - ref.x).cwiseAbs().maxCoeff(), 1e-12) << "n " << n << " step " << t;
        ASSERT_LT((fast.R - ref.R).cwiseAbs().maxCoeff(), 1e-12) << "n " << n << " step " << t;
        ASSERT_LT((df.affinity - dr.affinity).cwiseAbs().maxCoeff(), 1e-12);
        ASSERT_LT((df.position - dr.position).cwiseAbs().maxCoeff(), 1e-12);
        // Every other step without drivers: the path the wide step takes.
        step(m, fast, ws, rf);
        reference_step(m, ref, rr);
        ASSERT_LT((fast.x - ref.x).cwiseAbs().maxCoeff(), 1e-12) << "n " << n << " step " << t;
        ASSERT_LT((fast.R - ref.R).cwiseAbs().maxCoeff(), 1e-12) << "n " << n << " step " << t;
      }
    }
  }
}

TEST(FastStep, AllocatesNothing) {
#ifdef NDEBUG
  // Eigen checks EIGEN_RUNTIME_NO_MALLOC with eigen_assert, which NDEBUG
  // turns off; the dev (Debug + sanitizers) build that CI runs checks it.
  GTEST_SKIP() << "Eigen's no-malloc check needs assertions: run the dev build";
#endif
  // 256: Eigen's GEMM would allocate its packing panels on the heap there
  // (above EIGEN_STACK_ALLOCATION_LIMIT); the workspace holds them.
  for (StepIsa isa : step_isas()) {
    const ScopedStepIsa forced(isa);
    for (int n : {7, 16, 64, 256}) {
      const Model m = compile(busy_scenario(n, 2, 3));
      State st = initial_state(m);
      Rng rng(1);
      Workspace ws = make_workspace(m);
      StepDrivers d = make_step_drivers(m);
      Eigen::internal::set_is_malloc_allowed(false);
      for (int t = 0; t < (n > 64 ? 1 : 5); ++t) {
        step(m, st, ws, rng);
        step(m, st, ws, rng, &d);
      }
      Eigen::internal::set_is_malloc_allowed(true);
    }
  }
  SUCCEED();
}

// The balance products take Eigen's bits at every N, whichever way they are
// computed (detail::product_path): Eigen's own `noalias() = a * b` is the
// oracle, compared byte for byte on random matrices with exact zeros.
TEST(FastStep, BalanceProductsHaveEigensBitsAtEveryN) {
  std::mt19937_64 gen(17);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  bool seen[3] = {false, false, false};
  for (int n : {3, 4, 5, 6, 7, 8, 9, 12, 16, 17, 31, 64, 100, 130}) {
    seen[static_cast<int>(detail::product_path(n))] = true;
    Scenario s = make_scenario(n, 1);
    Workspace ws = make_workspace(compile(s));
    for (int rep = 0; rep < 3; ++rep) {
      RowMatrix a(n, n), b(n, n), mine(n, n), eigen(n, n);
      for (int i = 0; i < n; ++i) {
        for (int j = 0; j < n; ++j) {
          a(i, j) = (i + j + rep) % 5 == 0 ? 0.0 : u(gen);
          b(i, j) = (i * j + rep) % 7 == 0 ? -0.0 : u(gen) * 1e-3;
        }
      }
      detail::product(a, b, mine, ws);
      eigen.noalias() = a * b;
      ASSERT_EQ(std::memcmp(mine.data(), eigen.data(), sizeof(double) * n * n), 0) << "N = " << n;
    }
  }
  EXPECT_TRUE(seen[0] && seen[2]);  // lazy and GEMM; in-order too on SSE2 builds
}

TEST(FastStep, DriversAddUpToTheChange) {
  const Model m = compile(busy_scenario(7, 2, 21));
  State st = initial_state(m);
  Rng rng(2);
  Workspace ws = make_workspace(m);
  StepDrivers d = make_step_drivers(m);
  for (int t = 0; t < 40; ++t) {
    const RowMatrix R = st.R, x = st.x;
    step(m, st, ws, rng, &d);
    for (int i = 0; i < m.n; ++i) {
      for (int j = 0; j < m.n; ++j) {
        if (i == j) continue;
        ASSERT_NEAR(d.affinity.row(i * m.n + j).sum(), st.R(i, j) - R(i, j), 1e-12);
      }
      for (int a = 0; a < m.k; ++a) {
        ASSERT_NEAR(d.position.row(i * m.k + a).sum(), st.x(i, a) - x(i, a), 1e-12);
      }
    }
  }
}

}  // namespace
}  // namespace entente
