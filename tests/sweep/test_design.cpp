// Designs: published Sobol' points, Latin hypercube strata, Morris and
// Saltelli structure, grid order, and the parameter quantiles.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "entente/sweep/design.hpp"

namespace {

using namespace entente;

TEST(Design, SobolMatchesThePublishedFirstPoints) {
  // Joe & Kuo (2008) direction numbers; the sequence after its all-zero point.
  const double expected[6][3] = {{0.5, 0.5, 0.5},       {0.75, 0.25, 0.25},
                                 {0.25, 0.75, 0.75},    {0.375, 0.375, 0.625},
                                 {0.875, 0.875, 0.125}, {0.625, 0.125, 0.875}};
  const auto p = sobol_points(6, 3);
  for (int i = 0; i < 6; ++i) {
    for (int d = 0; d < 3; ++d)
      EXPECT_EQ(p[static_cast<std::size_t>(i)][static_cast<std::size_t>(d)], expected[i][d]);
  }
}

TEST(Design, LatinHypercubeStrataEachHoldOnePoint) {
  const int n = 50, dims = 4;
  const auto p = latin_hypercube(n, dims, 42);
  ASSERT_EQ(p.size(), 50u);
  for (int d = 0; d < dims; ++d) {
    std::set<int> strata;
    for (const auto& row : p) {
      const double u = row[static_cast<std::size_t>(d)];
      ASSERT_GE(u, 0.0);
      ASSERT_LT(u, 1.0);
      strata.insert(static_cast<int>(std::floor(u * n)));
    }
    EXPECT_EQ(strata.size(), 50u) << "dimension " << d;
  }
  EXPECT_EQ(latin_hypercube(n, dims, 42), p);  // a seed gives one design
  EXPECT_NE(latin_hypercube(n, dims, 43), p);
}

TEST(Design, MorrisStepsChangeOneCoordinateByDelta) {
  const int r = 7, k = 5, levels = 4;
  const auto p = morris_trajectories(r, k, levels, 9);
  ASSERT_EQ(p.size(), static_cast<std::size_t>(r * (k + 1)));
  const double delta = levels / (2.0 * (levels - 1));
  for (int t = 0; t < r; ++t) {
    std::set<int> moved;
    for (int s = 0; s < k; ++s) {
      const auto& a = p[static_cast<std::size_t>(t * (k + 1) + s)];
      const auto& b = p[static_cast<std::size_t>(t * (k + 1) + s + 1)];
      int changed = 0;
      for (int d = 0; d < k; ++d) {
        const double u = b[static_cast<std::size_t>(d)];
        EXPECT_NEAR(u * (levels - 1), std::round(u * (levels - 1)), 1e-12);  // on the grid
        if (a[static_cast<std::size_t>(d)] != u) {
          ++changed;
          moved.insert(d);
          EXPECT_NEAR(std::abs(u - a[static_cast<std::size_t>(d)]), delta, 1e-12);
        }
      }
      EXPECT_EQ(changed, 1);
    }
    EXPECT_EQ(moved.size(), static_cast<std::size_t>(k));  // each parameter once
  }
}

TEST(Design, SaltelliBlocksCrossAAndB) {
  const int n = 8, k = 3;
  const auto p = saltelli_points(n, k);
  const auto base = sobol_points(n, 2 * k);
  ASSERT_EQ(p.size(), static_cast<std::size_t>(n * (k + 2)));
  for (int j = 0; j < n; ++j) {
    const auto& a = p[static_cast<std::size_t>(j * (k + 2))];
    const auto& b = p[static_cast<std::size_t>(j * (k + 2) + k + 1)];
    for (int d = 0; d < k; ++d) {
      EXPECT_EQ(a[static_cast<std::size_t>(d)],
                base[static_cast<std::size_t>(j)][static_cast<std::size_t>(d)]);
      EXPECT_EQ(b[static_cast<std::size_t>(d)],
                base[static_cast<std::size_t>(j)][static_cast<std::size_t>(k + d)]);
    }
    for (int i = 0; i < k; ++i) {
      const auto& ab = p[static_cast<std::size_t>(j * (k + 2) + 1 + i)];
      for (int d = 0; d < k; ++d)
        EXPECT_EQ(ab[static_cast<std::size_t>(d)],
                  d == i ? b[static_cast<std::size_t>(d)] : a[static_cast<std::size_t>(d)]);
    }
  }
}

ParameterSpec range(double lo, double hi, int levels = 0) {
  ParameterSpec p;
  p.path = "model.balance";
  p.lo = lo;
  p.hi = hi;
  p.levels = levels;
  return p;
}

TEST(Design, GridIsTheFullFactorialFirstParameterSlowest) {
  ParameterSpec regime;
  regime.path = "issues.corridor.regime";
  regime.kind = ParameterSpec::Kind::values;
  regime.categorical = true;
  regime.labels = {"closed", "open"};
  regime.texts = {"\"closed\"", "\"open\""};
  DesignSpec spec;
  spec.kind = DesignSpec::Kind::grid;
  const Design d = make_design(spec, {regime, range(0.0, 0.2, 3)}, 1);
  const std::vector<std::vector<double>> expected = {{0, 0.0}, {0, 0.1}, {0, 0.2},
                                                     {1, 0.0}, {1, 0.1}, {1, 0.2}};
  EXPECT_EQ(d.values, expected);
  EXPECT_EQ(parameter_label(regime, 1), "open");
  EXPECT_EQ(parameter_text(regime, 1), "\"open\"");
}

TEST(Design, ParametersMapUnitValuesThroughTheirQuantiles) {
  ParameterSpec log = range(0.001, 0.1);
  log.log = true;
  EXPECT_EQ(parameter_value(log, 0.0), 0.001);
  EXPECT_NEAR(parameter_value(log, 0.5), 0.01, 1e-15);
  EXPECT_EQ(parameter_value(log, 1.0), 0.1);

  ParameterSpec tri = range(0.0, 1.0);
  tri.kind = ParameterSpec::Kind::triangular;
  tri.mode = 0.5;
  // F(x) = 2x² on [0, 0.5]: F⁻¹(0.125) = 0.25.
  EXPECT_NEAR(parameter_value(tri, 0.125), 0.25, 1e-12);

  ParameterSpec normal;
  normal.path = "model.memory";
  normal.kind = ParameterSpec::Kind::normal;
  normal.mean = 0.1;
  normal.sd = 0.05;
  normal.lo = 0.0;
  normal.hi = 0.2;  // symmetric truncation: the median stays the mean
  EXPECT_NEAR(parameter_value(normal, 0.5), 0.1, 1e-12);
  EXPECT_EQ(parameter_value(normal, 0.0), 0.0);
  EXPECT_EQ(parameter_value(normal, 1.0), 0.2);
  // Truncated to [0, ∞): the quantile of F(0) + u (1 − F(0)); Φ(−2) = 0.02275.
  normal.hi = HUGE_VAL;
  EXPECT_GT(parameter_value(normal, 1e-6), 0.0);
  EXPECT_THROW(parameter_value(normal, 1.0), InputError);
}

TEST(Design, SizesThatAreTooSmallAreErrors) {
  DesignSpec spec;
  spec.kind = DesignSpec::Kind::sobol;
  spec.saltelli = true;
  spec.points = 1;
  EXPECT_THROW(make_design(spec, {range(0, 1)}, 1), InputError);
  spec.points = 4;
  EXPECT_EQ(make_design(spec, {range(0, 1), range(0, 1)}, 1).points(), 16);
}

}  // namespace
