// Mapping a unit coordinate to a parameter value (include/entente/sweep/design.hpp):
// list entries, linear and logarithmic ranges, and the quantiles of truncated
// distributions from Boost.Math.
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/triangular.hpp>
#include <cmath>

#include "entente/sweep/design.hpp"
#include "util/csv.hpp"

namespace entente {

namespace {

// Quantile of `dist` truncated to [lo, hi] at u: F⁻¹(F(lo) + u (F(hi) − F(lo))).
template <class Dist>
double truncated_quantile(const Dist& dist, double lo, double hi, double u) {
  const double flo = std::isfinite(lo) ? boost::math::cdf(dist, lo) : 0.0;
  const double fhi = std::isfinite(hi) ? boost::math::cdf(dist, hi) : 1.0;
  const double p = flo + u * (fhi - flo);
  if (p <= 0.0) return std::isfinite(lo) ? lo : -HUGE_VAL;
  if (p >= 1.0) return std::isfinite(hi) ? hi : HUGE_VAL;
  const double x = boost::math::quantile(dist, p);
  return std::min(hi, std::max(lo, x));
}

}  // namespace

double parameter_value(const ParameterSpec& p, double u) {
  u = std::min(1.0, std::max(0.0, u));
  double v = 0.0;
  switch (p.kind) {
    case ParameterSpec::Kind::values: {
      const auto n = p.labels.size();
      const auto k = std::min(n - 1, static_cast<std::size_t>(u * static_cast<double>(n)));
      return p.categorical ? static_cast<double>(k) : p.numbers[k];
    }
    case ParameterSpec::Kind::range:
      if (u == 0.0) return p.lo;
      if (u == 1.0) return p.hi;
      v = p.log ? p.lo * std::pow(p.hi / p.lo, u) : p.lo + u * (p.hi - p.lo);
      return std::min(p.hi, std::max(p.lo, v));
    case ParameterSpec::Kind::normal:
      v = truncated_quantile(boost::math::normal_distribution<double>(p.mean, p.sd), p.lo, p.hi, u);
      break;
    case ParameterSpec::Kind::triangular:
      v = truncated_quantile(boost::math::triangular_distribution<double>(p.lo, p.mode, p.hi), p.lo,
                             p.hi, u);
      break;
  }
  if (!std::isfinite(v)) {
    throw InputError(p.where, "parameter '" + p.path +
                                  "': the normal distribution is unbounded but this design "
                                  "reaches its ends; give bounds = [lo, hi]");
  }
  return v;
}

std::string parameter_label(const ParameterSpec& p, double value) {
  if (p.categorical) return p.labels[static_cast<std::size_t>(value)];
  return detail::format_double(value);
}

std::string parameter_text(const ParameterSpec& p, double value) {
  if (p.categorical) return p.texts[static_cast<std::size_t>(value)];
  return detail::format_double(value);
}

const char* to_string(DesignSpec::Kind kind) {
  switch (kind) {
    case DesignSpec::Kind::grid:
      return "grid";
    case DesignSpec::Kind::random:
      return "random";
    case DesignSpec::Kind::lhs:
      return "lhs";
    case DesignSpec::Kind::sobol:
      return "sobol";
    case DesignSpec::Kind::morris:
      return "morris";
    case DesignSpec::Kind::table:
      return "table";
  }
  return "?";
}

}  // namespace entente
