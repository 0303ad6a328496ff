#include "entente/summary.hpp"

#include <algorithm>
#include <cmath>

namespace entente {

double quantile_sorted(const std::vector<double>& v, double p) {
  if (v.empty()) return 0.0;
  const double h = (static_cast<double>(v.size()) - 1.0) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  if (lo + 1 >= v.size()) return v.back();
  return v[lo] + (h - static_cast<double>(lo)) * (v[lo + 1] - v[lo]);
}

Stats compute_stats(std::vector<double>& values) {
  Stats s;
  const std::size_t n = values.size();
  if (n == 0) return s;
  double sum = 0.0;
  for (double v : values) sum += v;
  s.mean = sum / static_cast<double>(n);
  if (n > 1) {
    double ss = 0.0;
    for (double v : values) ss += (v - s.mean) * (v - s.mean);
    s.sd = std::sqrt(ss / static_cast<double>(n - 1));
  }
  std::sort(values.begin(), values.end());
  for (std::size_t k = 0; k < kSummaryQuantiles.size(); ++k) {
    s.quantile[k] = quantile_sorted(values, kSummaryQuantiles[k]);
  }
  return s;
}

SummaryAccumulator::SummaryAccumulator(std::vector<Observable> observables, int steps, int runs)
    : observables_(std::move(observables)),
      steps_(steps),
      runs_(runs),
      values_(static_cast<std::size_t>(steps + 1) * observables_.size() *
              static_cast<std::size_t>(runs)) {}

void SummaryAccumulator::record(int run, int step, const double* values) {
  const std::size_t n_obs = observables_.size();
  for (std::size_t o = 0; o < n_obs; ++o) {
    values_[(static_cast<std::size_t>(step) * n_obs + o) * static_cast<std::size_t>(runs_) +
            static_cast<std::size_t>(run)] = values[o];
  }
}

Stats SummaryAccumulator::stats(int step, int observable, int runs) const {
  const std::size_t base = (static_cast<std::size_t>(step) * observables_.size() +
                            static_cast<std::size_t>(observable)) *
                           static_cast<std::size_t>(runs_);
  std::vector<double> v(values_.begin() + static_cast<std::ptrdiff_t>(base),
                        values_.begin() + static_cast<std::ptrdiff_t>(base) + runs);
  return compute_stats(v);
}

std::vector<double> SummaryAccumulator::shares(int step, int observable, int categories,
                                               int runs) const {
  std::vector<double> out(static_cast<std::size_t>(categories), 0.0);
  const std::size_t base = (static_cast<std::size_t>(step) * observables_.size() +
                            static_cast<std::size_t>(observable)) *
                           static_cast<std::size_t>(runs_);
  for (int r = 0; r < runs; ++r) {
    const auto c = static_cast<std::size_t>(values_[base + static_cast<std::size_t>(r)]);
    if (c < out.size()) out[c] += 1.0;
  }
  for (auto& s : out) s /= runs > 0 ? runs : 1;
  return out;
}

}  // namespace entente
