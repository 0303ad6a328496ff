// Morris elementary effects (include/entente/sweep/analyze.hpp).
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <limits>

#include "entente/sweep/analyze.hpp"
#include "entente/util/diagnostics.hpp"
#include "sweep/sweep_rank.hpp"

namespace entente {

Analysis morris_analysis(const SweepResults& r, int bootstrap, std::uint64_t seed) {
  const int k = static_cast<int>(r.parameters.size());
  const auto points = static_cast<int>(r.x.rows());
  const int stride = k + 1;
  const SourceLocation where{"design.csv", 0, 0};
  if (points % stride != 0 || points / stride < 2) {
    throw InputError(where, "morris analysis needs trajectories of k + 1 = " +
                                std::to_string(stride) + " points, at least 2 (got " +
                                std::to_string(points) + " points); use design kind = \"morris\"");
  }
  const int trajectories = points / stride;
  // moved[t][s]: the parameter that step s of trajectory t changes.
  std::vector<std::vector<int>> moved(static_cast<std::size_t>(trajectories));
  for (int t = 0; t < trajectories; ++t) {
    for (int s = 0; s < k; ++s) {
      const int row = t * stride + s;
      int changed = -1, count = 0;
      for (int c = 0; c < k; ++c) {
        if (r.x(row + 1, c) != r.x(row, c)) {
          changed = c;
          ++count;
        }
      }
      if (count != 1) {
        throw InputError(
            where,
            "morris analysis needs each step of a trajectory to change one parameter: points " +
                std::to_string(row) + " and " + std::to_string(row + 1) + " differ in " +
                std::to_string(count));
      }
      moved[static_cast<std::size_t>(t)].push_back(changed);
    }
  }
  std::vector<double> span(static_cast<std::size_t>(k));
  for (int c = 0; c < k; ++c)
    span[static_cast<std::size_t>(c)] = r.x.col(c).maxCoeff() - r.x.col(c).minCoeff();

  Analysis a{"morris",
             {"mu", "mu_star", "sigma", "mu_star_scaled", "mu_star_scaled_low",
              "mu_star_scaled_high", "sigma_scaled", "effects"},
             {}};
  boost::random::mt19937_64 engine(seed);
  boost::random::uniform_int_distribution<int> draw(0, trajectories - 1);
  for (Eigen::Index o = 0; o < r.y.cols(); ++o) {
    // ee[c][t]: the effects of parameter c (one per trajectory that moved it).
    std::vector<std::vector<double>> ee(static_cast<std::size_t>(k));
    std::vector<std::vector<int>> from(static_cast<std::size_t>(k));  // trajectory of each effect
    for (int t = 0; t < trajectories; ++t) {
      for (int s = 0; s < k; ++s) {
        const int row = t * stride + s;
        const int c = moved[static_cast<std::size_t>(t)][static_cast<std::size_t>(s)];
        ee[static_cast<std::size_t>(c)].push_back((r.y(row + 1, o) - r.y(row, o)) /
                                                  (r.x(row + 1, c) - r.x(row, c)));
        from[static_cast<std::size_t>(c)].push_back(t);
      }
    }
    std::vector<SensitivityRow> rows;
    for (int c = 0; c < k; ++c) {
      const auto& e = ee[static_cast<std::size_t>(c)];
      const double n = static_cast<double>(e.size());
      double mu = 0, mu_star = 0;
      for (double v : e) {
        mu += v;
        mu_star += std::abs(v);
      }
      mu /= n;
      mu_star /= n;
      double ss = 0;
      for (double v : e) ss += (v - mu) * (v - mu);
      const double sigma = e.size() > 1 ? std::sqrt(ss / (n - 1)) : 0.0;
      // Resample trajectories; a parameter's effects come along with theirs.
      std::vector<double> traj_sum(static_cast<std::size_t>(trajectories), 0.0);
      std::vector<int> traj_count(static_cast<std::size_t>(trajectories), 0);
      for (std::size_t m = 0; m < e.size(); ++m) {
        const auto t = static_cast<std::size_t>(from[static_cast<std::size_t>(c)][m]);
        traj_sum[t] += std::abs(e[m]);
        ++traj_count[t];
      }
      std::vector<double> boot;
      for (int b = 0; b < bootstrap; ++b) {
        double sum = 0;
        int count = 0;
        for (int d = 0; d < trajectories; ++d) {
          const auto t = static_cast<std::size_t>(draw(engine));
          sum += traj_sum[t];
          count += traj_count[t];
        }
        if (count > 0) boot.push_back(sum / count);
      }
      const auto [lo, hi] = percentile_interval(boot);
      const double scale = span[static_cast<std::size_t>(c)];
      rows.push_back(
          {r.outputs[static_cast<std::size_t>(o)],
           r.parameters[static_cast<std::size_t>(c)],
           {mu, mu_star, sigma, mu_star * scale, lo * scale, hi * scale, sigma * scale, n},
           mu_star * scale});
    }
    detail::append_ranked(std::move(rows), a.rows);
  }
  return a;
}

}  // namespace entente
