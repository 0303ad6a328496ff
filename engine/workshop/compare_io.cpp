// `entente compare`'s inputs and outputs: directories written by
// `entente run`, compare.csv, compare_shares.csv, manifest.json and the
// terminal summary.
#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "entente/scenario/scenario_io.hpp"
#include "entente/util/date.hpp"
#include "entente/workshop/compare.hpp"
#include "run/netcdf.hpp"
#include "run/run_files.hpp"
#include "util/atomic_file.hpp"
#include "util/csv.hpp"
#include "util/csv_reader.hpp"
#include "util/format.hpp"
#include "util/manifest.hpp"

namespace entente {

namespace fs = std::filesystem;

namespace {

// Calls row(reader) for every data record of a CSV file of a run directory
// (its header is not checked; blank lines are skipped).
template <class Row>
void each_row(const fs::path& p, Row row) {
  detail::CsvReader r(p, "the file is empty (expected a header line)",
                      "cannot read it (is this an `entente run` output?)");
  while (r.next_record()) {
    if (r.size() == 1 && r.field(0).empty()) continue;
    row(r);
  }
}

double number(const detail::CsvReader& r, int column) {
  const std::string_view s = r.field(column);
  double v = 0.0;
  const auto res = std::from_chars(s.data(), s.data() + s.size(), v);
  if (res.ec != std::errc() || res.ptr != s.data() + s.size() || s.empty())
    r.fail(column, "not a number: '" + std::string(s) + "'");
  return v;
}

int integer(const detail::CsvReader& r, int column, int hi, const char* what) {
  const double v = number(r, column);
  if (v < 0 || v > hi || v != std::floor(v))
    r.fail(column, std::string(what) + " out of range: " + std::string(r.field(column)));
  return static_cast<int>(v);
}

// The trajectories of a CSV run directory: actors.csv, relations.csv, issues.csv.
template <class Cell>
void read_csv_trajectories(const fs::path& dir, const Scenario& s, const Trajectories& tr,
                           Cell cell, int first_bloc, int first_regime) {
  const int N = s.actor_count(), K = s.axis_count();
  const int skip = s.start ? 3 : 2;  // run, step[, date]
  const auto columns = [](const detail::CsvReader& r, int expected) {
    if (r.size() != static_cast<std::size_t>(expected))
      throw InputError({r.name(), r.line(), 1},
                       "unexpected number of columns: " + std::to_string(r.size()) +
                           " fields, expected " + std::to_string(expected));
  };
  each_row(dir / detail::run_files::actors, [&](const detail::CsvReader& f) {
    columns(f, skip + 1 + K + (s.output.blocs ? 1 : 0));
    const int r = integer(f, 0, tr.runs - 1, "run");
    const int t = integer(f, 1, tr.steps, "step");
    const int i = s.find_actor(f.field(skip));
    if (i < 0) f.fail(skip, "unknown actor");
    for (int a = 0; a < K; ++a) cell(i * K + a, t, r) = number(f, skip + 1 + a);
    if (s.output.blocs) cell(first_bloc + i, t, r) = f.fields().back() == "B" ? 1.0 : 0.0;
  });
  each_row(dir / detail::run_files::relations, [&](const detail::CsvReader& f) {
    columns(f, skip + 3);
    const int r = integer(f, 0, tr.runs - 1, "run");
    const int t = integer(f, 1, tr.steps, "step");
    const int i = s.find_actor(f.field(skip));
    const int j = s.find_actor(f.field(skip + 1));
    if (i < 0 || j < 0 || i == j) f.fail(i < 0 ? skip : skip + 1, "unknown pair");
    cell(N * K + i * (N - 1) + (j < i ? j : j - 1), t, r) = number(f, skip + 2);
  });
  each_row(dir / detail::run_files::issues, [&](const detail::CsvReader& f) {
    columns(f, skip + 2);
    const int r = integer(f, 0, tr.runs - 1, "run");
    const int t = integer(f, 1, tr.steps, "step");
    const int q = s.find_issue(f.field(skip));
    if (q < 0) f.fail(skip, "unknown issue");
    const auto& opts = s.issues[static_cast<std::size_t>(q)].options;
    const auto it = std::find(opts.begin(), opts.end(), f.field(skip + 1));
    if (it == opts.end()) f.fail(skip + 1, "unknown option");
    cell(first_regime + q, t, r) = static_cast<double>(it - opts.begin());
  });
}

}  // namespace

Trajectories read_run_directory(const fs::path& dir) {
  const fs::path mpath = dir / detail::run_files::manifest;
  const boost::json::object m = detail::read_manifest(dir);
  const auto* resolved = m.if_contains("resolved_scenario");
  const auto* seed = m.if_contains("seed");
  const auto* runs = m.if_contains("runs");
  if (resolved == nullptr || !resolved->is_string() || seed == nullptr || runs == nullptr ||
      !seed->is_number() || !runs->is_number()) {
    throw InputError({mpath.string(), 0, 0},
                     "not an `entente run` manifest (needs seed, runs and resolved_scenario)");
  }
  Scenario s = load_scenario_text(std::string(resolved->as_string()), mpath.string()).scenario;
  Trajectories tr;
  tr.label = s.name;
  tr.source = dir.string();
  tr.seed = seed->to_number<std::uint64_t>();
  tr.runs = runs->to_number<int>();
  tr.steps = s.steps;
  s.seed = tr.seed;
  s.runs = tr.runs;
  const int N = s.actor_count(), K = s.axis_count();
  for (int i = 0; i < N; ++i) {
    for (int a = 0; a < K; ++a) tr.observables.push_back({Observable::Kind::position, i, a});
  }
  for (int i = 0; i < N; ++i) {
    for (int j = 0; j < N; ++j) {
      if (i != j) tr.observables.push_back({Observable::Kind::affinity, i, j});
    }
  }
  const int first_bloc = static_cast<int>(tr.observables.size());
  if (s.output.blocs) {
    for (int i = 0; i < N; ++i) tr.observables.push_back({Observable::Kind::bloc, i, -1});
  }
  const int first_regime = static_cast<int>(tr.observables.size());
  for (int q = 0; q < static_cast<int>(s.issues.size()); ++q)
    tr.observables.push_back({Observable::Kind::regime, q, -1});
  for (const Observable& o : tr.observables) tr.names.push_back(to_string(o, s));
  const std::size_t T = static_cast<std::size_t>(tr.steps + 1),
                    R = static_cast<std::size_t>(tr.runs);
  tr.values.assign(tr.observables.size() * T * R, std::nan(""));
  const auto cell = [&](int o, int t, int r) -> double& {
    return tr.values[(static_cast<std::size_t>(o) * T + static_cast<std::size_t>(t)) * R +
                     static_cast<std::size_t>(r)];
  };
  if (s.output.every != 1 || !s.output.relations_all) {
    throw InputError({dir.string(), 0, 0},
                     "written with [output] every = " + std::to_string(s.output.every) +
                         (s.output.relations_all ? "" : " and only some relations") +
                         "; compare needs every step and relation (run it again with every = 1 "
                         "and relations = \"all\", or compare the scenario files)");
  }
  if (detail::run_files::format_of(m) == OutputSpec::Format::netcdf) {
    const auto nc = detail::read_netcdf(dir / detail::run_files::trajectories, s);
    const auto S = nc.steps.size(), uN = static_cast<std::size_t>(N),
               uK = static_cast<std::size_t>(K), Q = s.issues.size();
    if (nc.runs != tr.runs) {
      throw InputError(
          {(dir / detail::run_files::trajectories).string(), 0, 0},
          std::to_string(nc.runs) + " runs, but the manifest announces " + std::to_string(tr.runs));
    }
    for (int r = 0; r < tr.runs; ++r) {
      for (std::size_t k = 0; k < S; ++k) {
        const int t = nc.steps[k];
        const std::size_t rs = static_cast<std::size_t>(r) * S + k;
        for (int i = 0; i < N; ++i) {
          const auto ui = static_cast<std::size_t>(i);
          for (int a = 0; a < K; ++a)
            cell(i * K + a, t, r) = nc.position[(rs * uN + ui) * uK + static_cast<std::size_t>(a)];
          for (int j = 0; j < N; ++j) {
            if (i != j)
              cell(N * K + i * (N - 1) + (j < i ? j : j - 1), t, r) =
                  nc.affinity[(rs * uN + ui) * uN + static_cast<std::size_t>(j)];
          }
          if (s.output.blocs && nc.blocs)
            cell(first_bloc + i, t, r) = static_cast<double>(nc.bloc[rs * uN + ui]);
        }
        for (std::size_t q = 0; q < Q; ++q)
          cell(first_regime + static_cast<int>(q), t, r) =
              static_cast<double>(nc.regime[rs * Q + q]);
      }
    }
  } else {
    read_csv_trajectories(dir, s, tr, cell, first_bloc, first_regime);
  }
  for (double v : tr.values) {
    if (std::isnan(v)) {
      throw InputError({dir.string(), 0, 0},
                       "the trajectory files do not hold every run and step the manifest "
                       "announces (" +
                           std::to_string(tr.runs) + " runs of " + std::to_string(tr.steps) +
                           " steps)");
    }
  }
  tr.scenario = std::make_shared<const Scenario>(std::move(s));
  return tr;
}

namespace {

using detail::fixed;

std::string step_prefix(const Comparison& c, int t) {
  std::string p = std::to_string(t) + ",";
  if (c.scenario->start) p += step_date(*c.scenario->start, c.scenario->step_unit, t) + ",";
  return p;
}

}  // namespace

void write_comparison(const Comparison& c, const fs::path& dir,
                      const std::vector<std::string>& command_line) {
  detail::StagedDirectory staged(dir);
  const std::string cols = c.scenario->start ? "step,date," : "step,";
  std::string numeric = cols +
                        "observable,scenario,base_mean,mean,difference,sd,ci05,ci95,p05,p95,"
                        "p_positive\n";
  std::string shares = cols + "observable,value,scenario,base_share,share,change\n";
  for (int t = 0; t <= c.steps; ++t) {
    for (std::size_t o = 0; o < c.names.size(); ++o) {
      for (std::size_t k = 1; k < c.labels.size(); ++k) {
        if (c.categories[o].empty()) {
          const PairedDifference& d = c.numeric[k - 1][o][static_cast<std::size_t>(t)];
          numeric += step_prefix(c, t);
          detail::append_field(numeric, c.names[o]);
          numeric += ',';
          detail::append_field(numeric, c.labels[k]);
          for (double v : {d.base_mean, d.other_mean, d.mean, d.sd, d.ci_low, d.ci_high, d.p05,
                           d.p95, d.p_positive}) {
            numeric += ',';
            detail::append_double(numeric, v);
          }
          numeric += '\n';
          continue;
        }
        for (std::size_t cat = 0; cat < c.categories[o].size(); ++cat) {
          const double a = c.shares[0][o][static_cast<std::size_t>(t)][cat];
          const double b = c.shares[k][o][static_cast<std::size_t>(t)][cat];
          shares += step_prefix(c, t);
          detail::append_field(shares, c.names[o]);
          shares += ',';
          detail::append_field(shares, c.categories[o][cat]);
          shares += ',';
          detail::append_field(shares, c.labels[k]);
          for (double v : {a, b, b - a}) {
            shares += ',';
            detail::append_double(shares, v);
          }
          shares += '\n';
        }
      }
    }
  }
  detail::write_file_atomically(staged.staging() / "compare.csv", numeric);
  detail::write_file_atomically(staged.staging() / "compare_shares.csv", shares);
  boost::json::object m = detail::start_manifest(command_line);
  boost::json::array inputs;
  for (std::size_t k = 0; k < c.labels.size(); ++k) {
    boost::json::object input{{"scenario", c.labels[k]}, {"source", c.sources[k]}};
    if (k < c.scenarios.size() && c.scenarios[k]) {
      input["description"] = c.scenarios[k]->description;
      input["resolved_scenario"] = to_toml(*c.scenarios[k]);
    }
    inputs.push_back(std::move(input));
  }
  m["inputs"] = std::move(inputs);
  m["seed"] = c.seed;
  m["runs"] = c.runs;
  m["steps"] = c.steps;
  m["step_unit"] = std::string(to_string(c.scenario->step_unit));
  if (c.scenario->start) m["start"] = to_string(*c.scenario->start);
  m["seeding"] = "common random numbers: run r of every input uses run_seed(seed, r)";
  m["interval"] =
      "ci05, ci95: 90% confidence interval of the mean paired difference (Student t, runs - 1 "
      "degrees of freedom); p05, p95: quantiles of the per-run differences";
  m["files"] = boost::json::array{"compare.csv", "compare_shares.csv", "manifest.json"};
  detail::write_file_atomically(staged.staging() / "manifest.json",
                                boost::json::serialize(m) + "\n");
  staged.commit();
}

// "positive in 100 % of 200 paired runs": the share of paired runs in which
// the difference has the sign of its mean (positive when the mean is 0). A
// share strictly between 0 and 1 never shows as 0 % or 100 %.
std::string share_text(const PairedDifference& d, int runs) {
  if (d.p_positive == 0.0 && d.p_negative == 0.0)
    return "zero in all " + std::to_string(runs) + " paired runs";
  const bool negative = d.mean < 0.0;
  const double p = negative ? d.p_negative : d.p_positive;
  long percent = std::lround(100.0 * p);
  if (p > 0.0 && p < 1.0) percent = std::clamp(percent, 1L, 99L);
  return std::string(negative ? "negative" : "positive") + " in " + std::to_string(percent) +
         " % of " + std::to_string(runs) + " paired runs";
}

std::string comparison_table(const Comparison& c, int top) {
  std::string out;
  char line[400];
  const auto T = static_cast<std::size_t>(c.steps);
  for (std::size_t k = 1; k < c.labels.size(); ++k) {
    out += c.labels[k] + " − " + c.labels[0] + " at step " + std::to_string(c.steps) + " (" +
           std::to_string(c.runs) + " paired runs, seed " + std::to_string(c.seed) + ")\n";
    std::vector<std::size_t> order;
    for (std::size_t o = 0; o < c.names.size(); ++o) {
      if (c.categories[o].empty()) order.push_back(o);
    }
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return std::abs(c.numeric[k - 1][a][T].mean) > std::abs(c.numeric[k - 1][b][T].mean);
    });
    if (order.size() > static_cast<std::size_t>(top)) order.resize(static_cast<std::size_t>(top));
    std::size_t width = 10;
    for (std::size_t o : order) width = std::max(width, c.names[o].size());
    std::snprintf(line, sizeof line, "  %-*s %8s %8s %8s  %-21s  %s\n", static_cast<int>(width),
                  "observable", "base", "other", "change", "90% interval", "paired runs");
    out += line;
    for (std::size_t o : order) {
      const PairedDifference& d = c.numeric[k - 1][o][T];
      const std::string interval = d.same_in_every_run()
                                       ? "the same in every run"
                                       : "[" + fixed(d.ci_low) + ", " + fixed(d.ci_high) + "]";
      std::snprintf(line, sizeof line, "  %-*s %8s %8s %8s  %-21s  %s\n", static_cast<int>(width),
                    c.names[o].c_str(), fixed(d.base_mean).c_str(), fixed(d.other_mean).c_str(),
                    fixed(d.mean).c_str(), interval.c_str(), share_text(d, c.runs).c_str());
      out += line;
    }
    for (std::size_t o = 0; o < c.names.size(); ++o) {
      if (c.categories[o].empty()) continue;
      std::string changes;
      for (std::size_t cat = 0; cat < c.categories[o].size(); ++cat) {
        const double a = c.shares[0][o][T][cat], b = c.shares[k][o][T][cat];
        if (a == b) continue;
        changes += "  " + c.categories[o][cat] + " " + fixed(100 * a, "%.0f") + "% → " +
                   fixed(100 * b, "%.0f") + "%";
      }
      if (!changes.empty()) out += "  " + c.names[o] + ":" + changes + "\n";
    }
  }
  out +=
      "  (change: mean paired difference; interval: 90% confidence interval of the mean;\n"
      "   paired runs: run r of every input draws the same random numbers; the share counts\n"
      "   runs of the model, it is not a probability about the world)\n";
  return out;
}

}  // namespace entente
