// Sobol' indices from a Saltelli design (include/entente/sweep/analyze.hpp).
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>

#include "entente/sweep/analyze.hpp"
#include "entente/util/diagnostics.hpp"
#include "sweep/sweep_rank.hpp"

namespace entente {

namespace {

struct Indices {
  double first = 0.0, total = 0.0;
};

// S_i and T_i over the blocks `pick` (indices into 0 … N−1).
Indices estimate(const Eigen::VectorXd& y, int k, int i, const std::vector<int>& pick) {
  const int stride = k + 2;
  double sum = 0.0, sum2 = 0.0, s = 0.0, t = 0.0;
  for (int j : pick) {
    const double a = y(j * stride), b = y(j * stride + k + 1), ab = y(j * stride + 1 + i);
    sum += a + b;
    sum2 += a * a + b * b;
    s += b * (ab - a);
    t += (a - ab) * (a - ab);
  }
  const double n = static_cast<double>(pick.size());
  const double mean = sum / (2 * n);
  const double var = sum2 / (2 * n) - mean * mean;
  return {s / n / var, t / (2 * n) / var};
}

}  // namespace

Analysis sobol_analysis(const SweepResults& r, int bootstrap, std::uint64_t seed) {
  const int k = static_cast<int>(r.parameters.size());
  const auto points = static_cast<int>(r.x.rows());
  const int stride = k + 2;
  const SourceLocation where{"design.csv", 0, 0};
  if (points % stride != 0 || points / stride < 2) {
    throw InputError(where, "sobol analysis needs a Saltelli design: N blocks of k + 2 = " +
                                std::to_string(stride) + " points with N >= 2 (got " +
                                std::to_string(points) +
                                " points); use design kind = \"sobol\" with saltelli = true");
  }
  const int n = points / stride;
  // Each AB^i row equals A but for parameter i, which it takes from B.
  for (int j = 0; j < n; ++j) {
    for (int i = 0; i < k; ++i) {
      const int row = j * stride + 1 + i;
      for (int c = 0; c < k; ++c) {
        const double want = r.x(c == i ? j * stride + k + 1 : j * stride, c);
        if (r.x(row, c) != want) {
          throw InputError(
              where,
              "sobol analysis needs a Saltelli design (A, AB^1 … AB^k, B per block): point " +
                  std::to_string(row) + " should equal A but for '" +
                  r.parameters[static_cast<std::size_t>(i)] + "', and differs in '" +
                  r.parameters[static_cast<std::size_t>(c)] + "'");
        }
      }
    }
  }
  Analysis a{"sobol", {"first", "first_low", "first_high", "total", "total_low", "total_high"}, {}};
  std::vector<int> all(static_cast<std::size_t>(n));
  for (int j = 0; j < n; ++j) all[static_cast<std::size_t>(j)] = j;
  boost::random::mt19937_64 engine(seed);
  boost::random::uniform_int_distribution<int> draw(0, n - 1);
  for (Eigen::Index o = 0; o < r.y.cols(); ++o) {
    const Eigen::VectorXd y = r.y.col(o);
    std::vector<std::vector<double>> boot_s(static_cast<std::size_t>(k)),
        boot_t(static_cast<std::size_t>(k));
    std::vector<int> pick(static_cast<std::size_t>(n));
    for (int b = 0; b < bootstrap; ++b) {
      for (int& p : pick) p = draw(engine);
      for (int i = 0; i < k; ++i) {
        const Indices e = estimate(y, k, i, pick);
        boot_s[static_cast<std::size_t>(i)].push_back(e.first);
        boot_t[static_cast<std::size_t>(i)].push_back(e.total);
      }
    }
    std::vector<SensitivityRow> rows;
    for (int i = 0; i < k; ++i) {
      const Indices e = estimate(y, k, i, all);
      const auto [sl, sh] = percentile_interval(boot_s[static_cast<std::size_t>(i)]);
      const auto [tl, th] = percentile_interval(boot_t[static_cast<std::size_t>(i)]);
      rows.push_back({r.outputs[static_cast<std::size_t>(o)],
                      r.parameters[static_cast<std::size_t>(i)],
                      {e.first, sl, sh, e.total, tl, th},
                      e.total});
    }
    detail::append_ranked(std::move(rows), a.rows);
  }
  return a;
}

}  // namespace entente
