// Standardised regression coefficients (include/entente/sweep/analyze.hpp).
#include <Eigen/QR>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <limits>

#include "entente/sweep/analyze.hpp"
#include "entente/util/diagnostics.hpp"
#include "sweep/sweep_rank.hpp"

namespace entente {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// SRCs of y on the columns of x (rows `pick`), and R²; a column without
// variance gets NaN.
Eigen::VectorXd src(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                    const std::vector<int>& pick, double* r2) {
  const auto n = static_cast<Eigen::Index>(pick.size());
  const Eigen::Index k = x.cols();
  Eigen::MatrixXd xs(n, k);
  Eigen::VectorXd ys(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    xs.row(i) = x.row(pick[static_cast<std::size_t>(i)]);
    ys(i) = y(pick[static_cast<std::size_t>(i)]);
  }
  const auto standardise = [n](auto&& v) {
    const double mean = v.mean();
    const double sd = std::sqrt((v.array() - mean).square().sum() / static_cast<double>(n - 1));
    if (sd > 0) v = (v.array() - mean) / sd;
    return sd > 0;
  };
  Eigen::VectorXd out = Eigen::VectorXd::Constant(k, kNaN);
  if (!standardise(ys)) {
    if (r2 != nullptr) *r2 = kNaN;
    return out;
  }
  std::vector<Eigen::Index> used;
  for (Eigen::Index c = 0; c < k; ++c) {
    if (standardise(xs.col(c))) used.push_back(c);
  }
  Eigen::MatrixXd a(n, static_cast<Eigen::Index>(used.size()));
  for (std::size_t u = 0; u < used.size(); ++u)
    a.col(static_cast<Eigen::Index>(u)) = xs.col(used[u]);
  const Eigen::VectorXd beta = a.colPivHouseholderQr().solve(ys);
  for (std::size_t u = 0; u < used.size(); ++u) out(used[u]) = beta(static_cast<Eigen::Index>(u));
  if (r2 != nullptr) {
    const Eigen::VectorXd residual = ys - a * beta;
    *r2 = 1.0 - residual.squaredNorm() / ys.squaredNorm();
  }
  return out;
}

}  // namespace

Analysis regression_analysis(const SweepResults& r, int bootstrap, std::uint64_t seed) {
  const auto points = static_cast<int>(r.x.rows());
  const auto k = r.x.cols();
  if (points < k + 2) {
    throw InputError(SourceLocation{"design.csv", 0, 0},
                     "regression needs more points than parameters + 1 (got " +
                         std::to_string(points) + " points for " + std::to_string(k) +
                         " parameters)");
  }
  Analysis a{"regression", {"src", "src_low", "src_high", "r2"}, {}};
  std::vector<int> all(static_cast<std::size_t>(points));
  for (int i = 0; i < points; ++i) all[static_cast<std::size_t>(i)] = i;
  boost::random::mt19937_64 engine(seed);
  boost::random::uniform_int_distribution<int> draw(0, points - 1);
  for (Eigen::Index o = 0; o < r.y.cols(); ++o) {
    const Eigen::VectorXd y = r.y.col(o);
    double r2 = 0;
    const Eigen::VectorXd est = src(r.x, y, all, &r2);
    std::vector<std::vector<double>> boot(static_cast<std::size_t>(k));
    std::vector<int> pick(static_cast<std::size_t>(points));
    for (int b = 0; b < bootstrap; ++b) {
      for (int& p : pick) p = draw(engine);
      const Eigen::VectorXd e = src(r.x, y, pick, nullptr);
      for (Eigen::Index c = 0; c < k; ++c) {
        if (!std::isnan(e(c))) boot[static_cast<std::size_t>(c)].push_back(e(c));
      }
    }
    std::vector<SensitivityRow> rows;
    for (Eigen::Index c = 0; c < k; ++c) {
      const auto [lo, hi] = percentile_interval(boot[static_cast<std::size_t>(c)]);
      rows.push_back({r.outputs[static_cast<std::size_t>(o)],
                      r.parameters[static_cast<std::size_t>(c)],
                      {est(c), lo, hi, r2},
                      std::abs(est(c))});
    }
    detail::append_ranked(std::move(rows), a.rows);
  }
  return a;
}

}  // namespace entente
