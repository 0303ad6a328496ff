// Sensitivity analysis on results tables written outside entente, for
// functions whose indices are known in closed form.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <functional>
#include <map>

#include "cli_support.hpp"
#include "entente/sweep/analyze.hpp"
#include "entente/sweep/design.hpp"
#include "util/csv.hpp"

namespace {

using namespace entente;
using entente::testing::cli;
using entente::testing::fresh_dir;
using entente::testing::slurp;

ParameterSpec range(const std::string& path, double lo, double hi) {
  ParameterSpec p;
  p.path = path;
  p.lo = lo;
  p.hi = hi;
  return p;
}

// Writes design.csv and results.csv (two replicates per point with the same
// value, as a deterministic model would give) in the documented format.
void write_table(const std::filesystem::path& dir, const Design& d,
                 const std::function<double(const std::vector<double>&)>& f) {
  std::string design = "point";
  std::string results = "point,replicate";
  for (const auto& p : d.parameters) design += "," + p.path;
  design += "\n";
  results += ",y\n";
  for (int i = 0; i < d.points(); ++i) {
    const auto& x = d.values[static_cast<std::size_t>(i)];
    design += std::to_string(i);
    for (double v : x) design += "," + detail::format_double(v);
    design += "\n";
    for (int r = 0; r < 2; ++r)
      results +=
          std::to_string(i) + "," + std::to_string(r) + "," + detail::format_double(f(x)) + "\n";
  }
  std::ofstream(dir / "design.csv") << design;
  std::ofstream(dir / "results.csv") << results;
}

double ishigami(const std::vector<double>& x) {
  return std::sin(x[0]) + 7.0 * std::pow(std::sin(x[1]), 2) +
         0.1 * std::pow(x[2], 4) * std::sin(x[0]);
}

// Sample size: N = 4096 base samples (20 480 evaluations), 500 resamples. The
// estimators' error at this N is ~0.01, below the interval half-widths
// (~0.02-0.05), and the whole test takes well under a second.
TEST(Analyze, SobolRecoversTheIshigamiIndices) {
  const auto dir = fresh_dir("analyze-ishigami");
  DesignSpec spec;
  spec.kind = DesignSpec::Kind::sobol;
  spec.saltelli = true;
  spec.points = 4096;
  const double pi = std::acos(-1.0);
  const Design d =
      make_design(spec, {range("x1", -pi, pi), range("x2", -pi, pi), range("x3", -pi, pi)}, 0);
  write_table(dir, d, ishigami);
  const Analysis a = sobol_analysis(read_sweep_results(dir), 500, 1);
  ASSERT_EQ(a.rows.size(), 3u);
  const std::map<std::string, std::pair<double, double>> truth = {
      {"x1", {0.3139, 0.5576}}, {"x2", {0.4424, 0.4424}}, {"x3", {0.0, 0.2437}}};
  for (const auto& row : a.rows) {
    const auto [first, total] = truth.at(row.parameter);
    const auto& v = row.values;  // first, low, high, total, low, high
    EXPECT_LE(v[1], first) << row.parameter;
    EXPECT_GE(v[2], first) << row.parameter;
    EXPECT_LE(v[4], total) << row.parameter;
    EXPECT_GE(v[5], total) << row.parameter;
    EXPECT_NEAR(v[0], first, 0.02) << row.parameter;
    EXPECT_NEAR(v[3], total, 0.02) << row.parameter;
  }
  // Ranked by total index: x1, x2, x3.
  EXPECT_EQ(a.rows[0].parameter, "x1");
  EXPECT_EQ(a.rows[1].parameter, "x2");
  EXPECT_EQ(a.rows[2].parameter, "x3");
  std::filesystem::remove_all(dir);
}

double linear(const std::vector<double>& x) {
  return 2.0 * x[0] - 3.0 * x[1] + 0.5 * x[2];
}
double linear_two(const std::vector<double>& x) {
  return 2.0 * x[0] - 3.0 * x[1];
}

TEST(Analyze, MorrisOnALinearFunctionGivesItsCoefficients) {
  const auto dir = fresh_dir("analyze-linear");
  DesignSpec spec;
  spec.kind = DesignSpec::Kind::morris;
  spec.trajectories = 10;
  spec.levels = 4;
  const Design d = make_design(spec, {range("a", 0, 1), range("b", -2, 2), range("c", 10, 20)}, 5);
  write_table(dir, d, linear);
  const Analysis a = morris_analysis(read_sweep_results(dir), 100, 1);
  const std::map<std::string, double> coefficient = {{"a", 2.0}, {"b", -3.0}, {"c", 0.5}};
  const std::map<std::string, double> span = {{"a", 1.0}, {"b", 4.0}, {"c", 10.0}};
  for (const auto& row : a.rows) {
    const double c = coefficient.at(row.parameter);
    EXPECT_NEAR(row.values[0], c, 1e-12);                                     // mu
    EXPECT_NEAR(row.values[1], std::abs(c), 1e-12);                           // mu*
    EXPECT_NEAR(row.values[2], 0.0, 1e-12);                                   // sigma
    EXPECT_NEAR(row.values[3], std::abs(c) * span.at(row.parameter), 1e-11);  // scaled
    EXPECT_NEAR(row.values[6], 0.0, 1e-10);                                   // sigma scaled
    EXPECT_EQ(row.values[7], 10.0);  // one effect per trajectory
  }
  // Ranked by scaled mu*: b (12), c (5), a (2).
  EXPECT_EQ(a.rows[0].parameter, "b");
  EXPECT_EQ(a.rows[1].parameter, "c");
  EXPECT_EQ(a.rows[2].parameter, "a");

  // Regression on any design: SRC_i = c_i sd(x_i) / sd(y), R² = 1.
  const SweepResults r = read_sweep_results(dir);
  const Analysis reg = regression_analysis(r, 50, 1);
  const auto sd = [](const Eigen::VectorXd& v) {
    return std::sqrt((v.array() - v.mean()).square().sum() / static_cast<double>(v.size() - 1));
  };
  const double sy = sd(r.y.col(0));
  for (const auto& row : reg.rows) {
    const int c = row.parameter == "a" ? 0 : row.parameter == "b" ? 1 : 2;
    EXPECT_NEAR(row.values[0], coefficient.at(row.parameter) * sd(r.x.col(c)) / sy, 1e-9);
    EXPECT_NEAR(row.values[3], 1.0, 1e-12);
  }
  std::filesystem::remove_all(dir);
}

TEST(Analyze, CommandLineRanksAnExternalTable) {
  const auto dir = fresh_dir("analyze-cli");
  DesignSpec spec;
  spec.kind = DesignSpec::Kind::morris;
  spec.trajectories = 4;
  spec.levels = 4;
  write_table(dir, make_design(spec, {range("a", 0, 1), range("b", -2, 2)}, 5), linear_two);
  const auto r = cli("analyze '" + dir.string() + "' --method morris --bootstrap 10");
  ASSERT_EQ(r.status, 0) << r.err;
  // Written ranked: b (|−3| × its span) before a; mu is the coefficient.
  const std::string csv = slurp(dir / "sensitivity_morris.csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "output,rank,parameter,mu,mu_star,sigma,mu_star_scaled,mu_star_scaled_low,mu_star_"
            "scaled_high,sigma_scaled,"
            "effects");
  EXPECT_EQ(csv.substr(csv.find('\n') + 1, 9), "y,1,b,-3,");
  EXPECT_NE(csv.find("\ny,2,a,"), std::string::npos) << csv;
  EXPECT_NE(r.out.find("y (morris)"), std::string::npos) << r.out;
  // Not a Saltelli design: a clear error, exit 2.
  const auto bad = cli("analyze '" + dir.string() + "' --method sobol");
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("sobol analysis needs a Saltelli design"), std::string::npos) << bad.err;
  std::filesystem::remove_all(dir);
}

TEST(Analyze, MissingPointsAreErrors) {
  const auto dir = fresh_dir("analyze-missing");
  std::ofstream(dir / "design.csv") << "point,x\n0,1\n1,2\n2,3\n";
  std::ofstream(dir / "results.csv") << "point,y\n0,1\n2,x\n";
  try {
    read_sweep_results(dir);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.message(), "output 'y' must be a number (got 'x')");
    EXPECT_EQ(e.where().line, 3);
    EXPECT_EQ(e.where().column, 3);
  }
  std::ofstream(dir / "results.csv") << "point,y\n0,1\n2,3\n";
  try {
    read_sweep_results(dir);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(
        e.message(),
        "point 1 has no rows (an interrupted sweep? continue it with `entente sweep --resume`)");
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
