// The noise of MODEL.md §2.3 v1.1 (include/entente/model/rng.hpp): Philox4x32-10
// against Random123's published answers, the project's ln, cos and sin
// against libm, the distribution of 10^6 draws, pinned draws, the batch code
// on every instruction set against the scalar code, and common random
// numbers across changes of structure (an added actor, axis or event leaves
// every existing draw, and where nothing else differs every shared value,
// bit-identical).
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <vector>

#include "cli_support.hpp"
#include "entente/model/simulation.hpp"
#include "entente/model/step.hpp"
#include "entente/scenario/scenario_io.hpp"
#include "entente/util/diagnostics.hpp"
#include "model/step_parts.hpp"
#include "step_isa_support.hpp"
#include "support.hpp"

namespace entente {
namespace {

using detail::StepIsa;

// Random123's known-answer vectors (kat_vectors, philox4x32 with 10 rounds).
TEST(Noise, PhiloxGivesRandom123sKnownAnswers) {
  using W = std::array<std::uint32_t, 4>;
  EXPECT_EQ(philox4x32_10({0, 0, 0, 0}, {0, 0}),
            (W{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}));
  EXPECT_EQ(
      philox4x32_10({0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff}),
      (W{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}));
  EXPECT_EQ(
      philox4x32_10({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0}),
      (W{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}));
}

double ulps(double got, double want) {
  return std::abs(got - want) / std::max(std::abs(want) * 0x1p-52, 0x1p-1074);
}

// The project's own ln, cos and sin are within 1 ulp of glibc's (which are
// correctly rounded or nearly), over the whole range the draws use.
TEST(Noise, OwnLogCosAndSinAreWithinAnUlpOfLibm) {
  double worst_log = 0, worst_trig = 0;
  for (int k = 0; k <= 200000; ++k) {
    // ln on (0, 1]: every binade the uniforms reach, and near 1.
    const double x = k == 0 ? 0x1p-53 : std::ldexp(1.0 + k / 200000.0, -(k % 54)) * 0.5 + 0x1p-54;
    const double u = std::min(x, 1.0);
    worst_log = std::max(worst_log, ulps(noise_log(u), std::log(u)));
    const double turn = (k + 0.5) / 200001.0;  // [0, 1)
    const auto [c, s] = noise_cos_sin_turn(turn);
    const double angle = 2.0 * M_PI * turn;
    // Compared in absolute terms (the argument 2πu itself carries 1 ulp).
    worst_trig = std::max({worst_trig, std::abs(c - std::cos(angle)) / 0x1p-52,
                           std::abs(s - std::sin(angle)) / 0x1p-52});
  }
  EXPECT_LE(worst_log, 1.0);
  EXPECT_LE(worst_trig, 8.0);  // absolute error ≤ 8 · 2⁻⁵² ≈ 1.8e-15
  EXPECT_EQ(noise_log(1.0), 0.0);
  EXPECT_EQ(noise_cos_sin_turn(0.0), (std::array<double, 2>{1.0, 0.0}));
  EXPECT_EQ(noise_cos_sin_turn(0.25)[0], 0.0);
  EXPECT_EQ(noise_cos_sin_turn(0.25)[1], 1.0);
  EXPECT_EQ(noise_cos_sin_turn(0.5)[0], -1.0);
}

// Φ, the standard normal CDF.
double normal_cdf(double z) {
  return 0.5 * std::erfc(-z / std::sqrt(2.0));
}

// 10^6 draws (500,000 counters, both Box–Muller outputs) of one run: mean,
// variance, the Kolmogorov–Smirnov distance to N(0, 1) and the tails.
TEST(Noise, AMillionDrawsAreStandardNormal) {
  const Rng rng(run_seed(20261206, 0));
  std::vector<double> z;
  z.reserve(1000000);
  for (std::uint32_t t = 1; t <= 500; ++t) {
    for (std::uint32_t a = 0; a < 1000; ++a) {
      const auto pair =
          rng.pair(t, noise_id("actor" + std::to_string(a)), noise_id("x"), kAffinityNoise);
      z.push_back(pair[0]);
      z.push_back(pair[1]);
    }
  }
  const double n = static_cast<double>(z.size());
  double sum = 0, sum2 = 0;
  for (double v : z) sum += v;
  const double mean = sum / n;
  for (double v : z) sum2 += (v - mean) * (v - mean);
  const double variance = sum2 / (n - 1);
  // Five standard errors: 5/√n and 5·√(2/n).
  EXPECT_NEAR(mean, 0.0, 5.0 / std::sqrt(n));
  EXPECT_NEAR(variance, 1.0, 5.0 * std::sqrt(2.0 / n));
  std::sort(z.begin(), z.end());
  double d = 0;
  for (std::size_t k = 0; k < z.size(); ++k) {
    const double f = normal_cdf(z[k]);
    d = std::max({d, f - static_cast<double>(k) / n, static_cast<double>(k + 1) / n - f});
  }
  // The KS critical value at the 1 % level: 1.628 / √n = 0.00163.
  EXPECT_LT(d, 1.628 / std::sqrt(n)) << "KS statistic";
  EXPECT_GT(d, 0.0);
  for (const double c : {2.0, 3.0}) {
    const auto beyond = static_cast<double>(
        std::count_if(z.begin(), z.end(), [c](double v) { return std::abs(v) > c; }));
    const double p = 2.0 * normal_cdf(-c);  // 0.0455 and 0.0027
    EXPECT_NEAR(beyond / n, p, 5.0 * std::sqrt(p * (1 - p) / n)) << "beyond " << c << " sigma";
  }
  // Box–Muller's largest possible |z| is √(2·53·ln 2) = 8.57.
  EXPECT_LT(std::max(-z.front(), z.back()), 8.58);
}

// A handful of draws, exact: a change means every seeded noisy output
// changed (MODEL.md §2.3 allows that once, in v1.1).
TEST(Noise, PinnedDraws) {
  EXPECT_EQ(noise_id("ARM"), 1682155320u);
  EXPECT_EQ(noise_id("RUS"), 1855357561u);
  EXPECT_EQ(noise_id("orientation"), 2768806250u);
  const Rng rng(run_seed(1, 0));
  EXPECT_EQ(rng.affinity(1, noise_id("ARM"), noise_id("RUS")), 0x1.692dabcfd11e1p+0);
  EXPECT_EQ(rng.affinity(1, noise_id("RUS"), noise_id("ARM")), -0x1.ed776b401633cp+0);
  EXPECT_EQ(rng.position(1, noise_id("ARM"), noise_id("orientation")), 0x1.8a076c683e48dp-1);
  EXPECT_EQ(rng.position(36, noise_id("RUS"), noise_id("orientation")), -0x1.9b06f3f062cc9p+0);
  EXPECT_EQ(Rng(run_seed(2, 7)).position(1, noise_id("ARM"), noise_id("orientation")),
            0x1.f87f81ccb3cbep-3);
}

// The two directions of a pair are the two outputs of one counter, ordered
// by h; a position takes z0.
TEST(Noise, DrawsAreTheDocumentedOutputsOfTheDocumentedCounters) {
  const Rng rng(run_seed(5, 3));
  EXPECT_EQ(rng.key()[0], static_cast<std::uint32_t>(run_seed(5, 3)));
  EXPECT_EQ(rng.key()[1], static_cast<std::uint32_t>(run_seed(5, 3) >> 32));
  const std::uint32_t lo = 10, hi = 99;
  const auto z = normal_pair(philox4x32_10({4, lo, hi, kAffinityNoise}, rng.key()));
  EXPECT_EQ(rng.affinity(4, lo, hi), z[0]);
  EXPECT_EQ(rng.affinity(4, hi, lo), z[1]);
  EXPECT_EQ(rng.position(4, lo, hi),
            normal_pair(philox4x32_10({4, lo, hi, kPositionNoise}, rng.key()))[0]);
  EXPECT_NE(rng.position(4, lo, hi), rng.affinity(4, lo, hi));
}

std::vector<StepIsa> available_isas() {
  std::vector<StepIsa> out{StepIsa::baseline};
  for (const StepIsa isa : {StepIsa::avx2, StepIsa::avx512}) {
    if (detail::isa_available(isa)) out.push_back(isa);
  }
  return out;
}

// The batch (engine/model/noise_wide.cpp) gives Rng::pair's bits on every
// instruction set this machine has, for every count (partial vectors and
// groups), and writes nothing past a whole block.
TEST(Noise, BatchDrawsEqualTheScalarDrawsOnEveryIsa) {
  const Rng rng(run_seed(77, 2));
  constexpr int kSize = 320;  // a whole number of blocks
  static_assert(kSize % detail::kNoiseBlock == 0);
  std::vector<std::uint32_t> a, b, kind;
  for (std::uint32_t k = 0; k < kSize; ++k) {
    a.push_back(noise_id("a" + std::to_string(k)));
    b.push_back(k * 2654435761u);
    kind.push_back(k % 3 == 0 ? kPositionNoise : kAffinityNoise);
  }
  for (const StepIsa isa : available_isas()) {
    const testing::ScopedStepIsa forced(isa);
    for (int count : {0, 1, 2, 3, 5, 7, 8, 9, 16, 21, 31, 35, 42, 64, 300}) {
      std::vector<double> z0(kSize, -9.0), z1(kSize, -9.0);
      detail::draw_normals(rng, 12, kind.data(), a.data(), b.data(), count, z0.data(), z1.data());
      for (int k = 0; k < count; ++k) {
        const auto u = static_cast<std::size_t>(k);
        const auto want = rng.pair(12, a[u], b[u], kind[u]);
        ASSERT_EQ(std::bit_cast<std::uint64_t>(z0[u]), std::bit_cast<std::uint64_t>(want[0]))
            << detail::step_isa_name(isa) << " count " << count << " k " << k;
        ASSERT_EQ(std::bit_cast<std::uint64_t>(z1[u]), std::bit_cast<std::uint64_t>(want[1]))
            << detail::step_isa_name(isa) << " count " << count << " k " << k;
      }
      const int block = (count + detail::kNoiseBlock - 1) / detail::kNoiseBlock;
      for (int k = block * detail::kNoiseBlock; k < kSize; ++k) {
        ASSERT_EQ(z0[static_cast<std::size_t>(k)], -9.0) << "written past the block";
      }
    }
  }
}

// Six actors A…F, two axes, every mechanism whose value for a pair depends
// on that pair only (no balance), ρ = 0 (w_k = 1 whatever the powers), noise
// on positions and affinities.
Scenario base_scenario() {
  Scenario s = testing::make_scenario(6, 2, 30);
  s.rates.influence = 0.3;
  s.rates.similarity = 0.2;
  s.rates.interdependence = 0.1;
  s.rates.memory = 0.1;
  s.rates.power_exponent = 0.0;
  s.rates.noise_position = 0.03;
  s.rates.noise_affinity = 0.05;
  for (int i = 0; i < 6; ++i) {
    testing::set_position(s, i, 0, 0.1 * i - 0.2);
    testing::set_position(s, i, 1, 0.3 - 0.07 * i);
    s.actors[static_cast<std::size_t>(i)].power = 1.0 + i;
    for (int j = 0; j < 6; ++j) {
      if (i != j) testing::set_affinity(s, i, j, 0.1 * ((i * 7 + j * 3) % 11) - 0.5);
    }
  }
  s.output.observables = default_observables(s);
  return s;
}

// The same with actor G added (at the end of the file; alphabetically
// between the others would do too: the draws do not depend on order): no one
// pays it attention (W[i][G] = 0), so it moves no one else.
Scenario with_actor(const Scenario& base) {
  Scenario s = base;
  Actor g = s.actors.back();
  g.id = g.name = "G";
  g.power = 5.0;
  s.actors.insert(s.actors.begin() + 2, g);  // not at the end: order is no address
  // A new row and column 2 (G), filled with `fill` (`own` on the diagonal).
  const auto grow = [](std::vector<std::vector<double>>& m, double fill, double own) {
    const std::size_t n = m.size() + 1;
    std::vector<std::vector<double>> out(n, std::vector<double>(n, fill));
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j < n; ++j) {
        if (i == 2 || j == 2) {
          if (i == j) out[i][j] = own;
          continue;
        }
        out[i][j] = m[i - (i > 2)][j - (j > 2)];
      }
    }
    m = out;
  };
  grow(s.affinity, 0.4, 1.0);
  grow(s.weights, 1.0, 1.0);
  for (std::size_t i = 0; i < s.weights.size(); ++i) s.weights[i][2] = 0.0;  // W[i][G] = 0
  grow(s.interdependence, 0.2, 0.0);
  s.output.observables = default_observables(s);
  return s;
}

// The index of actor `id` in a scenario.
int index_of(const Scenario& s, const std::string& id) {
  for (std::size_t i = 0; i < s.actors.size(); ++i) {
    if (s.actors[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

// Draws of one step of model `m` (fast step's batch).
Workspace draws_at(const Model& m, int step, const Rng& rng) {
  Workspace ws = make_workspace(m);
  State st = initial_state(m);
  st.step = step - 1;
  detail::draw_step_noise(st, ws, rng, true, true);
  return ws;
}

// Adding an actor, an axis or an event leaves every existing draw as it was.
TEST(Noise, AddingAnActorAnAxisOrAnEventLeavesEveryExistingDrawAsItWas) {
  const Scenario base = base_scenario();
  Scenario axis = base;
  axis.axes.insert(axis.axes.begin(), Axis{"economy", "", ""});
  for (Actor& a : axis.actors) {
    a.position.insert(a.position.begin(), 0.5);
    a.ideal.insert(a.ideal.begin(), 0.5);
  }
  axis.output.observables = default_observables(axis);
  const Scenario actor = with_actor(base);
  const Model mb = compile(base), ma = compile(axis), mc = compile(actor);
  for (const StepIsa isa : available_isas()) {
    const testing::ScopedStepIsa forced(isa);
    for (std::uint64_t run : {0, 1, 5}) {
      const Rng rng(run_seed(99, run));
      for (int t : {1, 2, 30}) {
        const Workspace b = draws_at(mb, t, rng), a = draws_at(ma, t, rng),
                        c = draws_at(mc, t, rng);
        for (int i = 0; i < 6; ++i) {
          const int ci = index_of(actor, base.actors[static_cast<std::size_t>(i)].id);
          for (int x = 0; x < 2; ++x) {
            EXPECT_EQ(b.noise_x(i, x), a.noise_x(i, x + 1));
            EXPECT_EQ(b.noise_x(i, x), c.noise_x(ci, x));
          }
          for (int j = 0; j < 6; ++j) {
            const int cj = index_of(actor, base.actors[static_cast<std::size_t>(j)].id);
            EXPECT_EQ(b.noise_R(i, j), a.noise_R(i, j));
            EXPECT_EQ(b.noise_R(i, j), c.noise_R(ci, cj));
          }
        }
      }
    }
  }
}

// Where the added actor influences no one, every shared position and
// relation of every run is bit-identical with and without it, on the fast
// step (six actors portable, seven wide where the CPU has it) and on the
// reference step; and an added event that changes nothing keeps them too.
TEST(Noise, ANewActorWithoutInfluenceLeavesEverySharedValueBitIdentical) {
  const Scenario base = base_scenario();
  Scenario with_event = base;
  Event e;
  e.id = "nothing";
  e.step = 3;
  with_event.events.push_back(e);
  const Scenario actor = with_actor(base);
  const Model mb = compile(base), mc = compile(actor), me = compile(with_event);
  for (std::uint64_t run = 0; run < 4; ++run) {
    Simulation b(mb, run), c(mc, run), ev(me, run);
    State rb = initial_state(mb), rc = initial_state(mc);
    const Rng rng(run_seed(base.seed, run));
    for (int t = 1; t <= 30; ++t) {
      b.advance();
      c.advance();
      ev.advance();
      reference_step(mb, rb, rng);
      reference_step(mc, rc, rng);
      ASSERT_EQ(b.state().R, ev.state().R);
      for (int i = 0; i < 6; ++i) {
        const int ci = index_of(actor, base.actors[static_cast<std::size_t>(i)].id);
        for (int x = 0; x < 2; ++x) {
          ASSERT_EQ(b.state().x(i, x), c.state().x(ci, x)) << "run " << run << " step " << t;
          ASSERT_EQ(rb.x(i, x), rc.x(ci, x)) << "reference, run " << run << " step " << t;
        }
        for (int j = 0; j < 6; ++j) {
          const int cj = index_of(actor, base.actors[static_cast<std::size_t>(j)].id);
          ASSERT_EQ(b.state().R(i, j), c.state().R(ci, cj)) << "run " << run << " step " << t;
          ASSERT_EQ(rb.R(i, j), rc.R(ci, cj)) << "reference, run " << run << " step " << t;
        }
      }
    }
    // The noise moved things (σ > 0): the shared values are not trivially equal.
    EXPECT_NE(b.state().R, compile(base).affinity0);
  }
}

// The same through `entente compare`: a scenario against the same with an
// extra actor nobody pays attention to gives zero differences with
// zero-width intervals on every shared position and relation at every step
// (tests/data/crn); once A pays attention to the new actor, they differ.
TEST(Noise, CompareOfStructurallyDifferentScenariosKeepsCommonRandomNumbers) {
  const auto dir = testing::fresh_dir("crn");
  const auto same = testing::cli("compare tests/data/crn/base.toml tests/data/crn/extra.toml -o '" +
                                 (dir / "extra").string() + "'");
  ASSERT_EQ(same.status, 0) << same.err;
  const auto rows = testing::read_csv(dir / "extra" / "compare.csv");
  ASSERT_EQ(rows[0], (std::vector<std::string>{"step", "observable", "scenario", "base_mean",
                                               "mean", "difference", "sd", "ci05", "ci95", "p05",
                                               "p95", "p_positive"}));
  ASSERT_EQ(rows.size(), 1u + 9u * 9u);  // steps 0…8 × (3 positions + 6 relations)
  for (std::size_t r = 1; r < rows.size(); ++r) {
    for (std::size_t c : {5u, 6u, 7u, 8u, 9u, 10u}) EXPECT_EQ(rows[r][c], "0") << rows[r][1];
    EXPECT_EQ(rows[r][3], rows[r][4]) << rows[r][1];
  }
  const auto heard =
      testing::cli("compare tests/data/crn/base.toml tests/data/crn/heard.toml -o '" +
                   (dir / "heard").string() + "'");
  ASSERT_EQ(heard.status, 0) << heard.err;
  int differ = 0;
  for (const auto& row : testing::read_csv(dir / "heard" / "compare.csv")) {
    if (row[0] == "8" && row[5] != "0") ++differ;
  }
  EXPECT_GE(differ, 3);  // A's position, A→C and C→A at least
  std::filesystem::remove_all(dir);
}

// Two actor ids with the same h: the loader names both; a model built in
// code is refused by make_workspace.
TEST(Noise, IdsWhoseNoiseIdsCollideAreRefused) {
  ASSERT_EQ(noise_id("a24310"), noise_id("a115605"));  // found by search
  const std::string text =
      "[scenario]\nname = \"c\"\nsteps = 1\n\n[[axes]]\nid = \"x\"\n\n"
      "[[actors]]\nid = \"a24310\"\npower = 1\nposition = { x = 0 }\n\n"
      "[[actors]]\nid = \"a115605\"\npower = 1\nposition = { x = 0 }\n";
  try {
    load_scenario_text(text, "c.toml");
    FAIL() << "loaded";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "c.toml:14:6: error: actor id 'a115605' has the same noise id as 'a24310' "
              "(defined at c.toml:9:6): rename one of them");
  }
  Scenario s = testing::make_scenario(3, 1);
  s.actors[1].id = "a24310";
  s.actors[2].id = "a115605";
  try {
    make_workspace(compile(s));
    FAIL() << "built";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "actor ids 'a24310' and 'a115605' have the same noise id");
  }
}

}  // namespace
}  // namespace entente
