// Building designs (include/entente/sweep/design.hpp): grid, random, Latin
// hypercube, Sobol' (Boost.Random) with Saltelli's cross-sampling, Morris
// trajectories, and tables read from CSV.
#include "entente/sweep/design.hpp"

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/sobol.hpp>
#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <climits>
#include <cmath>

#include "entente/model/rng.hpp"
#include "util/csv_reader.hpp"

namespace entente {

namespace {

using Points = std::vector<std::vector<double>>;
using Engine = boost::random::mt19937_64;

// Fisher–Yates with Boost's uniform_int_distribution, which (unlike
// std::shuffle) gives the same permutation on every platform.
void shuffle(std::vector<int>& v, Engine& engine) {
  for (std::size_t i = v.size(); i > 1; --i) {
    boost::random::uniform_int_distribution<std::size_t> pick(0, i - 1);
    std::swap(v[i - 1], v[pick(engine)]);
  }
}

[[noreturn]] void too_small(const DesignSpec& spec, const std::string& what) {
  throw InputError(spec.where, std::string("design '") + to_string(spec.kind) + "' " + what);
}

// Unit coordinates of a grid axis for `p`.
std::vector<double> grid_axis(const ParameterSpec& p, const DesignSpec& spec) {
  std::vector<double> u;
  if (p.kind == ParameterSpec::Kind::values) {
    const auto n = static_cast<double>(p.labels.size());
    for (std::size_t i = 0; i < p.labels.size(); ++i)
      u.push_back((static_cast<double>(i) + 0.5) / n);
    return u;
  }
  const int levels = p.levels > 0 ? p.levels : spec.levels;
  if (levels < 2) {
    throw InputError(p.where, "parameter '" + p.path +
                                  "' needs `levels` (at least 2) in a grid design, or `values`");
  }
  for (int i = 0; i < levels; ++i) {
    u.push_back(p.kind == ParameterSpec::Kind::range ? static_cast<double>(i) / (levels - 1)
                                                     : (i + 0.5) / levels);
  }
  return u;
}

Points grid_points(const std::vector<ParameterSpec>& params, const DesignSpec& spec) {
  std::vector<std::vector<double>> axes;
  double total = 1.0;
  for (const auto& p : params) {
    axes.push_back(grid_axis(p, spec));
    total *= static_cast<double>(axes.back().size());
  }
  if (total > 1e8) too_small(spec, "has " + std::to_string(total) + " points; at most 1e8");
  Points out;
  std::vector<std::size_t> index(params.size(), 0);
  for (long long n = 0; n < static_cast<long long>(total); ++n) {
    std::vector<double> row;
    for (std::size_t k = 0; k < params.size(); ++k) row.push_back(axes[k][index[k]]);
    out.push_back(std::move(row));
    for (std::size_t k = params.size(); k-- > 0;) {
      if (++index[k] < axes[k].size()) break;
      index[k] = 0;
    }
  }
  return out;
}

Design read_table(const DesignSpec& spec) {
  const std::string no_header = "a table design needs a header of parameter paths";
  detail::CsvReader in(spec.table, no_header);
  const std::vector<std::string>& header = in.header();
  const SourceLocation file{in.name(), 1, 1};
  if (header.empty() || (header.size() == 1 && header[0].empty()))
    throw InputError(file, no_header);
  Design d;
  for (const auto& h : header) {
    ParameterSpec p;
    p.path = h;
    p.kind = ParameterSpec::Kind::values;
    p.where = file;
    d.parameters.push_back(p);
  }
  std::vector<std::vector<std::string>> cells;
  while (in.next_record()) {
    const auto& row = in.fields();
    if (row.size() == 1 && row[0].empty()) continue;
    if (row.size() != header.size()) {
      throw InputError(SourceLocation{in.name(), in.line(), 1},
                       "row has " + std::to_string(row.size()) + " fields; the header has " +
                           std::to_string(header.size()));
    }
    cells.push_back(row);
  }
  if (cells.empty()) throw InputError(file, "a table design needs at least one row");
  d.values.assign(cells.size(), std::vector<double>(header.size(), 0.0));
  for (std::size_t k = 0; k < header.size(); ++k) {
    ParameterSpec& p = d.parameters[k];
    bool numeric = true;
    double x = 0.0;
    for (const auto& r : cells) numeric = numeric && detail::parse_double(r[k], x);
    p.categorical = !numeric;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const std::string& cell = cells[i][k];
      if (numeric) {
        detail::parse_double(cell, d.values[i][k]);
        continue;
      }
      std::size_t idx = 0;
      while (idx < p.labels.size() && p.labels[idx] != cell) ++idx;
      if (idx == p.labels.size()) {
        p.labels.push_back(cell);
        p.texts.push_back(cell == "true" || cell == "false" ? cell : "\"" + cell + "\"");
      }
      d.values[i][k] = static_cast<double>(idx);
    }
  }
  return d;
}

}  // namespace

Points sobol_points(int n, int dims) {
  Points out;
  if (n <= 0 || dims <= 0) return out;
  // Boost's generator starts after the all-zero point: 0.5, 0.75, 0.25, …
  boost::random::sobol qrng(static_cast<std::size_t>(dims));
  for (int i = 0; i < n; ++i) {
    std::vector<double> row;
    for (int d = 0; d < dims; ++d) row.push_back(std::ldexp(static_cast<double>(qrng()), -64));
    out.push_back(std::move(row));
  }
  return out;
}

Points latin_hypercube(int n, int dims, std::uint64_t seed) {
  Engine engine(seed);
  boost::random::uniform_01<double> uniform;
  Points out(static_cast<std::size_t>(n), std::vector<double>(static_cast<std::size_t>(dims)));
  std::vector<int> strata(static_cast<std::size_t>(n));
  for (int d = 0; d < dims; ++d) {
    for (int i = 0; i < n; ++i) strata[static_cast<std::size_t>(i)] = i;
    shuffle(strata, engine);
    for (int i = 0; i < n; ++i) {
      const double u = (strata[static_cast<std::size_t>(i)] + uniform(engine)) / n;
      out[static_cast<std::size_t>(i)][static_cast<std::size_t>(d)] =
          std::min(u, std::nextafter(1.0, 0.0));
    }
  }
  return out;
}

Points morris_trajectories(int trajectories, int dims, int levels, std::uint64_t seed) {
  Engine engine(seed);
  const int jump = levels / 2;  // Δ = levels / (2 (levels − 1)) in level steps
  const double scale = 1.0 / (levels - 1);
  boost::random::uniform_int_distribution<int> base(0, levels - 1 - jump);
  boost::random::uniform_int_distribution<int> coin(0, 1);
  Points out;
  std::vector<int> order(static_cast<std::size_t>(dims));
  for (int t = 0; t < trajectories; ++t) {
    std::vector<int> level(static_cast<std::size_t>(dims));
    std::vector<int> step(static_cast<std::size_t>(dims));
    for (int d = 0; d < dims; ++d) {
      const int b = base(engine);
      const bool up = coin(engine) == 1;
      level[static_cast<std::size_t>(d)] = up ? b : b + jump;
      step[static_cast<std::size_t>(d)] = up ? jump : -jump;
      order[static_cast<std::size_t>(d)] = d;
    }
    shuffle(order, engine);
    const auto emit = [&] {
      std::vector<double> row;
      for (int l : level) row.push_back(l * scale);
      out.push_back(std::move(row));
    };
    emit();
    for (int d : order) {
      level[static_cast<std::size_t>(d)] += step[static_cast<std::size_t>(d)];
      emit();
    }
  }
  return out;
}

Points saltelli_points(int n, int dims) {
  const Points base = sobol_points(n, 2 * dims);
  Points out;
  for (const auto& row : base) {
    const std::vector<double> a(row.begin(), row.begin() + dims);
    const std::vector<double> b(row.begin() + dims, row.end());
    out.push_back(a);
    for (int i = 0; i < dims; ++i) {
      std::vector<double> ab = a;
      ab[static_cast<std::size_t>(i)] = b[static_cast<std::size_t>(i)];
      out.push_back(std::move(ab));
    }
    out.push_back(b);
  }
  return out;
}

Design make_design(const DesignSpec& spec, const std::vector<ParameterSpec>& parameters,
                   std::uint64_t seed) {
  using K = DesignSpec::Kind;
  if (spec.kind == K::table) {
    Design d = read_table(spec);
    d.kind = K::table;
    return d;
  }
  const int k = static_cast<int>(parameters.size());
  const std::uint64_t design_seed = splitmix64(seed ^ 0x64657369676EULL);
  Points unit;
  switch (spec.kind) {
    case K::grid:
      unit = grid_points(parameters, spec);
      break;
    case K::random: {
      if (spec.points < 1) too_small(spec, "needs points >= 1");
      Engine engine(design_seed);
      boost::random::uniform_01<double> uniform;
      unit.assign(static_cast<std::size_t>(spec.points),
                  std::vector<double>(static_cast<std::size_t>(k)));
      for (auto& row : unit) {
        for (auto& u : row) u = uniform(engine);
      }
      break;
    }
    case K::lhs:
      if (spec.points < 2)
        too_small(spec, "needs points >= 2 (got " + std::to_string(spec.points) + ")");
      unit = latin_hypercube(spec.points, k, design_seed);
      break;
    case K::sobol:
      if (spec.saltelli) {
        if (spec.points < 2) {
          too_small(spec, "with saltelli = true needs points >= 2 base samples (got " +
                              std::to_string(spec.points) + "); it runs points × (k + 2) = " +
                              std::to_string(2 * (k + 2)) + " or more");
        }
        unit = saltelli_points(spec.points, k);
      } else {
        if (spec.points < 1) too_small(spec, "needs points >= 1");
        unit = sobol_points(spec.points, k);
      }
      break;
    case K::morris: {
      if (spec.levels < 2 || spec.levels % 2 != 0)
        too_small(spec,
                  "needs an even number of levels >= 2 (got " + std::to_string(spec.levels) + ")");
      int r = spec.trajectories;
      if (r == 0 && spec.points > 0) {
        if (spec.points % (k + 1) != 0 || spec.points < 2 * (k + 1)) {
          too_small(spec, "with " + std::to_string(k) +
                              " parameters needs points in multiples of " + std::to_string(k + 1) +
                              " and at least " + std::to_string(2 * (k + 1)) +
                              " (2 trajectories); got " + std::to_string(spec.points));
        }
        r = spec.points / (k + 1);
      }
      if (r < 2) {
        too_small(spec, "needs at least 2 trajectories of " + std::to_string(k + 1) +
                            " points (got " + std::to_string(r) + ")");
      }
      unit = morris_trajectories(r, k, spec.levels, design_seed);
      break;
    }
    case K::table:
      break;
  }
  Design d;
  d.kind = spec.kind;
  d.saltelli = spec.kind == K::sobol && spec.saltelli;
  d.parameters = parameters;
  d.values.reserve(unit.size());
  for (const auto& row : unit) {
    std::vector<double> v(row.size());
    for (std::size_t j = 0; j < row.size(); ++j) v[j] = parameter_value(parameters[j], row[j]);
    d.values.push_back(std::move(v));
  }
  return d;
}

}  // namespace entente
