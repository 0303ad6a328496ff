// Reading a results table for analysis, and what the three methods share
// (include/entente/sweep/analyze.hpp).
#include "entente/sweep/analyze.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <unordered_map>

#include "entente/util/diagnostics.hpp"
#include "util/csv.hpp"
#include "util/csv_reader.hpp"
#include "util/manifest.hpp"

namespace entente {

namespace fs = std::filesystem;

namespace {

int column_of(const std::vector<std::string>& header, const std::string& name) {
  for (std::size_t k = 0; k < header.size(); ++k) {
    if (header[k] == name) return static_cast<int>(k);
  }
  return -1;
}

}  // namespace

SweepResults read_sweep_results(const fs::path& dir) {
  SweepResults r;
  // design.csv
  const std::string no_design_header =
      "design.csv must start with a header `point,[seed,]<parameter paths>`";
  detail::CsvReader design(dir / "design.csv", no_design_header);
  const std::vector<std::string>& dh = design.header();
  if (column_of(dh, "point") != 0)
    throw InputError(SourceLocation{design.name(), 1, 1}, no_design_header);
  std::vector<int> param_cols;
  for (std::size_t k = 1; k < dh.size(); ++k) {
    if (dh[k] == "seed") continue;
    r.parameters.push_back(dh[k]);
    param_cols.push_back(static_cast<int>(k));
  }
  if (r.parameters.empty())
    throw InputError(SourceLocation{design.name(), 1, 1}, "design.csv names no parameter column");
  std::unordered_map<long long, int> index;  // point id → row
  std::vector<std::vector<std::string>> cells;
  while (design.next_record()) {
    const auto& row = design.fields();
    if (row.size() == 1 && row[0].empty()) continue;
    double id = 0;
    if (row.size() != dh.size() || !detail::parse_double(row[0], id) || id != std::floor(id)) {
      throw InputError(
          SourceLocation{design.name(), design.line(), 1},
          "expected " + std::to_string(dh.size()) + " fields starting with an integer point");
    }
    if (!index.emplace(static_cast<long long>(id), static_cast<int>(cells.size())).second)
      throw InputError(SourceLocation{design.name(), design.line(), 1},
                       "point " + row[0] + " is listed twice");
    cells.push_back(row);
  }
  const auto points = static_cast<Eigen::Index>(cells.size());
  if (points == 0)
    throw InputError(SourceLocation{design.name(), 0, 0}, "design.csv has no points");
  r.x.resize(points, static_cast<Eigen::Index>(r.parameters.size()));
  for (std::size_t k = 0; k < param_cols.size(); ++k) {
    const auto c = static_cast<std::size_t>(param_cols[k]);
    bool numeric = true;
    double v = 0;
    for (const auto& cr : cells) numeric = numeric && detail::parse_double(cr[c], v);
    r.categorical.push_back(!numeric);
    std::vector<std::string> labels;
    for (Eigen::Index i = 0; i < points; ++i) {
      const std::string& cell = cells[static_cast<std::size_t>(i)][c];
      if (numeric) {
        detail::parse_double(cell, r.x(i, static_cast<Eigen::Index>(k)));
        continue;
      }
      auto it = std::find(labels.begin(), labels.end(), cell);
      if (it == labels.end()) it = labels.insert(labels.end(), cell);
      r.x(i, static_cast<Eigen::Index>(k)) = static_cast<double>(it - labels.begin());
    }
  }

  // results.csv
  const std::string no_point = "results.csv needs a `point` column";
  detail::CsvReader results(dir / "results.csv", no_point);
  const std::vector<std::string>& rh = results.header();
  if (column_of(rh, "point") < 0) throw InputError(SourceLocation{results.name(), 1, 1}, no_point);
  const auto point_col = column_of(rh, "point");
  std::vector<int> out_cols;
  for (std::size_t k = 0; k < rh.size(); ++k) {
    if (rh[k] == "point" || rh[k] == "replicate" || rh[k] == "seed" ||
        column_of(r.parameters, rh[k]) >= 0)
      continue;
    r.outputs.push_back(rh[k]);
    out_cols.push_back(static_cast<int>(k));
  }
  if (r.outputs.empty())
    throw InputError(SourceLocation{results.name(), 1, 1}, "results.csv has no output column");
  r.y = Eigen::MatrixXd::Zero(points, static_cast<Eigen::Index>(out_cols.size()));
  std::vector<long long> count(static_cast<std::size_t>(points), 0);
  while (results.next_record()) {
    const auto& row = results.fields();
    if (row.size() == 1 && row[0].empty()) continue;
    const SourceLocation at{results.name(), results.line(), 1};
    if (row.size() != rh.size())
      throw InputError(at, "row has " + std::to_string(row.size()) + " fields; the header has " +
                               std::to_string(rh.size()));
    double id = 0;
    const auto found = detail::parse_double(results.field(point_col), id)
                           ? index.find(static_cast<long long>(id))
                           : index.end();
    if (found == index.end())
      results.fail(point_col,
                   "point '" + std::string(results.field(point_col)) + "' is not in design.csv");
    for (std::size_t k = 0; k < out_cols.size(); ++k) {
      double v = 0;
      if (!detail::parse_double(results.field(out_cols[k]), v)) {
        results.fail(out_cols[k], "output '" + r.outputs[k] + "' must be a number (got '" +
                                      std::string(results.field(out_cols[k])) + "')");
      }
      r.y(found->second, static_cast<Eigen::Index>(k)) += v;
    }
    ++count[static_cast<std::size_t>(found->second)];
  }
  for (Eigen::Index i = 0; i < points; ++i) {
    const long long n = count[static_cast<std::size_t>(i)];
    if (n == 0) {
      throw InputError(
          SourceLocation{results.name(), 0, 0},
          "point " + cells[static_cast<std::size_t>(i)][0] +
              " has no rows (an interrupted sweep? continue it with `entente sweep --resume`)");
    }
    r.y.row(i) /= static_cast<double>(n);
  }

  if (const auto m = detail::try_read_json_object(dir / "manifest.json")) {
    if (const auto* d = m->if_contains("design"); d && d->is_string())
      r.design = std::string(d->as_string());
    if (const auto* d = m->if_contains("saltelli"); d && d->is_bool()) r.saltelli = d->as_bool();
  }
  return r;
}

std::pair<double, double> percentile_interval(std::vector<double> v) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (v.empty()) return {nan, nan};
  std::sort(v.begin(), v.end());
  const auto at = [&](double q) {
    const double h = q * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
  };
  return {at(0.025), at(0.975)};
}

std::string default_method(const SweepResults& r) {
  if (r.design == "morris") return "morris";
  if (r.design == "sobol" && r.saltelli) return "sobol";
  return "regression";
}

Analysis analyze(const SweepResults& r, const std::string& method, int bootstrap,
                 std::uint64_t seed) {
  if (method == "morris") return morris_analysis(r, bootstrap, seed);
  if (method == "sobol") return sobol_analysis(r, bootstrap, seed);
  if (method == "regression") return regression_analysis(r, bootstrap, seed);
  throw std::invalid_argument("unknown analysis method '" + method +
                              "' (morris, sobol or regression)");
}

std::string to_csv(const Analysis& a) {
  std::string out = "output,rank,parameter";
  for (const auto& c : a.columns) out += "," + c;
  out += '\n';
  std::string last;
  int rank = 0;
  for (const auto& row : a.rows) {
    rank = row.output == last ? rank + 1 : 1;
    last = row.output;
    detail::append_field(out, row.output);
    out += ',';
    detail::append_int(out, rank);
    out += ',';
    detail::append_field(out, row.parameter);
    for (double v : row.values) {
      out += ',';
      if (!std::isnan(v)) detail::append_double(out, v);
    }
    out += '\n';
  }
  return out;
}

}  // namespace entente
