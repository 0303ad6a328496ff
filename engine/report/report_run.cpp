// The data of a run directory's report: the scenario and its provenance, the
// per-step ensemble statistics of every position (actors.csv) and every
// affinity (relations.csv), the scenario's own observables (summary.csv),
// bloc and regime shares, the events that fired and, with drivers.csv, the
// mean contribution of each driver to each relation's change.
#include <algorithm>
#include <map>
#include <optional>

#include "entente/scenario/scenario_io.hpp"
#include "entente/util/date.hpp"
#include "entente/util/diagnostics.hpp"
#include "report/run_data.hpp"
#include "run/netcdf.hpp"
#include "run/run_files.hpp"

namespace entente::report_detail {

namespace {

namespace run_files = detail::run_files;

struct RunShape {
  std::filesystem::path dir;
  Scenario scenario;
  int steps = 0, runs = 0;
  std::optional<detail::NetcdfTrajectories> nc;  // format = "netcdf": trajectories.nc
  int n() const { return scenario.actor_count(); }
  int pair(int i, int j) const { return i * (n() - 1) + (j < i ? j : j - 1); }
  std::string file(std::string_view name) const { return (dir / name).string(); }
};

long long member_int(const boost::json::object& m, const char* key, const std::string& file) {
  const auto* v = m.if_contains(key);
  if (v == nullptr || !v->is_number()) {
    throw InputError({file, 0, 0}, std::string("no number '") + key + "' in the manifest");
  }
  return v->to_number<long long>();
}

int actor_of(const RunShape& s, const detail::CsvReader& r, int column) {
  const int i = s.scenario.find_actor(r.field(column));
  if (i < 0) r.fail(column, "unknown actor '" + std::string(r.field(column)) + "'");
  return i;
}

bool read_actors_csv(const RunShape& s, EnsembleValues& values, std::vector<int>& in_b);
void write_position_series(JsonWriter& w, const RunShape& s, const EnsembleValues& values,
                           const std::vector<int>& in_b, bool blocs, std::vector<Moved>& moved);

// Positions and blocs of trajectories.nc into `values` and `in_b`.
void read_positions(const RunShape& s, EnsembleValues& values, std::vector<int>& in_b) {
  const auto& nc = *s.nc;
  const auto S = nc.steps.size(), N = static_cast<std::size_t>(s.n()),
             K = static_cast<std::size_t>(s.scenario.axis_count());
  for (int ru = 0; ru < s.runs; ++ru) {
    for (std::size_t k = 0; k < S; ++k) {
      const int t = nc.steps[k];
      const std::size_t rs = static_cast<std::size_t>(ru) * S + k;
      for (std::size_t i = 0; i < N; ++i) {
        for (std::size_t a = 0; a < K; ++a)
          values.set(static_cast<int>(i * K + a), t, ru, nc.position[(rs * N + i) * K + a]);
        if (nc.blocs)
          in_b[i * static_cast<std::size_t>(s.steps + 1) + static_cast<std::size_t>(t)] +=
              nc.bloc[rs * N + i];
      }
    }
  }
}

void write_positions(JsonWriter& w, const RunShape& s, std::vector<Moved>& moved) {
  const int k = s.scenario.axis_count();
  EnsembleValues values(s.n() * k, s.steps, s.runs);
  std::vector<int> in_b(static_cast<std::size_t>(s.n() * (s.steps + 1)), 0);
  bool blocs = false;
  if (s.nc) {
    read_positions(s, values, in_b);
    blocs = s.nc->blocs;
    values.check_complete(s.file(run_files::trajectories));
  } else {
    blocs = read_actors_csv(s, values, in_b);
  }
  write_position_series(w, s, values, in_b, blocs, moved);
}

// actors.csv into `values` and `in_b`; whether it has blocs.
bool read_actors_csv(const RunShape& s, EnsembleValues& values, std::vector<int>& in_b) {
  detail::CsvReader r(s.dir / run_files::actors);
  const int run = r.column("run"), step = r.column("step"), actor = r.column("actor");
  const int k = s.scenario.axis_count();
  std::vector<int> axis_column;
  for (const auto& a : s.scenario.axes) axis_column.push_back(r.column(a.id));
  const int bloc = r.find_column("bloc");
  while (r.next()) {
    const int ru = static_cast<int>(r.integer(run, 0, s.runs - 1));
    const int t = static_cast<int>(r.integer(step, 0, s.steps));
    const int i = actor_of(s, r, actor);
    for (int a = 0; a < k; ++a)
      values.set(i * k + a, t, ru, r.number(axis_column[a]), r, axis_column[a]);
    if (bloc >= 0) {
      const auto b = r.field(bloc);
      if (b != "A" && b != "B") r.fail(bloc, "bloc '" + std::string(b) + "' (expected A or B)");
      in_b[static_cast<std::size_t>(i * (s.steps + 1) + t)] += b == "B" ? 1 : 0;
    }
  }
  values.check_complete(s.file(run_files::actors));
  return bloc >= 0;
}

void write_position_series(JsonWriter& w, const RunShape& s, const EnsembleValues& values,
                           const std::vector<int>& in_b, bool blocs, std::vector<Moved>& moved) {
  const int k = s.scenario.axis_count();
  w.key("positions");
  w.begin_array();
  std::vector<Stats> per_step(static_cast<std::size_t>(s.steps + 1));
  for (int slot = 0; slot < s.n() * k; ++slot) {
    for (int t = 0; t <= s.steps; ++t)
      per_step[static_cast<std::size_t>(t)] = values.stats(slot, t);
    write_series(w, per_step);
    const Stats &a = per_step.front(), &z = per_step.back();
    moved.push_back({"position(" + s.scenario.actors[static_cast<std::size_t>(slot / k)].id + "," +
                         s.scenario.axes[static_cast<std::size_t>(slot % k)].id + ")",
                     a, z, z.quantile[2] - a.quantile[2]});
  }
  w.end_array();
  // Share of the runs in which each actor is in bloc B, per step.
  w.key("blocs");
  if (!blocs) {
    w.null();
    return;
  }
  w.begin_array();
  std::vector<double> share(static_cast<std::size_t>(s.steps + 1));
  for (int i = 0; i < s.n(); ++i) {
    for (int t = 0; t <= s.steps; ++t) {
      share[static_cast<std::size_t>(t)] =
          in_b[static_cast<std::size_t>(i * (s.steps + 1) + t)] / static_cast<double>(s.runs);
    }
    w.numbers(share);
  }
  w.end_array();
}

void write_relations(JsonWriter& w, const RunShape& s, std::vector<Moved>& moved) {
  EnsembleValues values(s.n() * (s.n() - 1), s.steps, s.runs);
  if (s.nc) {
    const auto& nc = *s.nc;
    const auto S = nc.steps.size(), N = static_cast<std::size_t>(s.n());
    for (int ru = 0; ru < s.runs; ++ru) {
      for (std::size_t k = 0; k < S; ++k) {
        const std::size_t rs = static_cast<std::size_t>(ru) * S + k;
        for (std::size_t i = 0; i < N; ++i) {
          for (std::size_t j = 0; j < N; ++j) {
            if (i != j)
              values.set(s.pair(static_cast<int>(i), static_cast<int>(j)), nc.steps[k], ru,
                         nc.affinity[(rs * N + i) * N + j]);
          }
        }
      }
    }
    values.check_complete(s.file(run_files::trajectories));
  } else {
    detail::CsvReader r(s.dir / run_files::relations);
    const int run = r.column("run"), step = r.column("step"), from = r.column("from"),
              to = r.column("to"), affinity = r.column("affinity");
    while (r.next()) {
      const int ru = static_cast<int>(r.integer(run, 0, s.runs - 1));
      const int t = static_cast<int>(r.integer(step, 0, s.steps));
      const int i = actor_of(s, r, from), j = actor_of(s, r, to);
      if (i == j) r.fail(to, "a relation of an actor with itself");
      values.set(s.pair(i, j), t, ru, r.number(affinity), r, affinity);
    }
    values.check_complete(s.file(run_files::relations));
  }
  w.key("relations");
  w.begin_array();
  std::vector<Stats> per_step(static_cast<std::size_t>(s.steps + 1));
  for (int p = 0; p < s.n() * (s.n() - 1); ++p) {
    for (int t = 0; t <= s.steps; ++t) per_step[static_cast<std::size_t>(t)] = values.stats(p, t);
    write_series(w, per_step);
    const int i = p / (s.n() - 1), j = p % (s.n() - 1) < i ? p % (s.n() - 1) : p % (s.n() - 1) + 1;
    const Stats &a = per_step.front(), &z = per_step.back();
    moved.push_back({"affinity(" + s.scenario.actors[static_cast<std::size_t>(i)].id + "," +
                         s.scenario.actors[static_cast<std::size_t>(j)].id + ")",
                     a, z, z.quantile[2] - a.quantile[2]});
  }
  w.end_array();
}

// summary.csv as written: the scenario's numeric observables.
void write_observables(JsonWriter& w, const RunShape& s) {
  detail::CsvReader r(s.dir / run_files::summary);
  const int step = r.column("step"), observable = r.column("observable"), mean = r.column("mean"),
            sd = r.column("sd");
  std::array<int, 5> q{r.column("p05"), r.column("p25"), r.column("p50"), r.column("p75"),
                       r.column("p95")};
  std::vector<std::string> names;
  std::vector<std::vector<Stats>> series;
  std::map<std::string, std::size_t, std::less<>> index;
  while (r.next()) {
    const int t = static_cast<int>(r.integer(step, 0, s.steps));
    auto it = index.find(r.field(observable));
    if (it == index.end()) {
      it = index.emplace(std::string(r.field(observable)), names.size()).first;
      names.emplace_back(r.field(observable));
      series.emplace_back(static_cast<std::size_t>(s.steps + 1));
    }
    Stats& st = series[it->second][static_cast<std::size_t>(t)];
    st.mean = r.number(mean);
    st.sd = r.number(sd);
    for (std::size_t k = 0; k < q.size(); ++k) st.quantile[k] = r.number(q[k]);
  }
  w.key("observables");
  w.begin_array();
  for (std::size_t o = 0; o < names.size(); ++o) {
    w.begin_object();
    w.key("name");
    w.value(names[o]);
    w.key("stats");
    write_series(w, series[o]);
    w.end_object();
  }
  w.end_array();
}

// issues.csv: how many runs have each option of each issue at each step.
void count_issues_csv(const RunShape& s, std::vector<std::vector<std::vector<int>>>& count) {
  const auto& issues = s.scenario.issues;
  detail::CsvReader r(s.dir / run_files::issues);
  const int step = r.column("step"), issue = r.column("issue"), regime = r.column("regime");
  while (r.next()) {
    const int t = static_cast<int>(r.integer(step, 0, s.steps));
    const int q = s.scenario.find_issue(r.field(issue));
    if (q < 0) r.fail(issue, "unknown issue '" + std::string(r.field(issue)) + "'");
    const auto& options = issues[static_cast<std::size_t>(q)].options;
    const auto o = std::find(options.begin(), options.end(), r.field(regime)) - options.begin();
    if (o == static_cast<std::ptrdiff_t>(options.size())) {
      r.fail(regime, "unknown option '" + std::string(r.field(regime)) + "'");
    }
    ++count[static_cast<std::size_t>(q)][static_cast<std::size_t>(o)][static_cast<std::size_t>(t)];
  }
}

void write_issues(JsonWriter& w, const RunShape& s) {
  const auto& issues = s.scenario.issues;
  std::vector<std::vector<std::vector<int>>> count(issues.size());  // [issue][option][step]
  for (std::size_t q = 0; q < issues.size(); ++q) {
    count[q].assign(issues[q].options.size(),
                    std::vector<int>(static_cast<std::size_t>(s.steps + 1)));
  }
  if (s.nc) {
    const auto& nc = *s.nc;
    const auto S = nc.steps.size(), Q = issues.size();
    for (std::size_t rs = 0; rs < static_cast<std::size_t>(s.runs) * S; ++rs) {
      for (std::size_t q = 0; q < Q; ++q) {
        ++count[q][static_cast<std::size_t>(nc.regime[rs * Q + q])]
               [static_cast<std::size_t>(nc.steps[rs % S])];
      }
    }
  }
  if (!s.nc) count_issues_csv(s, count);
  w.key("issues");
  w.begin_array();
  for (std::size_t q = 0; q < issues.size(); ++q) {
    w.begin_object();
    w.key("id");
    w.value(issues[q].id);
    w.key("name");
    w.value(issues[q].name);
    w.key("options");
    w.strings(issues[q].options);
    w.key("shares");
    w.begin_array();
    for (const auto& per_step : count[q]) {
      std::vector<double> share(per_step.size());
      for (std::size_t t = 0; t < share.size(); ++t)
        share[t] = per_step[t] / static_cast<double>(s.runs);
      w.numbers(share);
    }
    w.end_array();
    w.end_object();
  }
  w.end_array();
}

}  // namespace

std::string run_report_data(const std::filesystem::path& dir, const boost::json::object& manifest) {
  const std::string manifest_file = (dir / run_files::manifest).string();
  const auto* text = manifest.if_contains("resolved_scenario");
  if (text == nullptr || !text->is_string()) {
    throw InputError({manifest_file, 0, 0}, "no 'resolved_scenario' in the manifest");
  }
  RunShape s;
  s.dir = dir;
  s.scenario = load_scenario_text(std::string_view(text->get_string()),
                                  manifest_file + " (resolved_scenario)", {}, dir)
                   .scenario;
  s.steps = static_cast<int>(member_int(manifest, "steps", manifest_file));
  s.runs = static_cast<int>(member_int(manifest, "runs", manifest_file));
  if (s.steps < 1 || s.runs < 1)
    throw InputError({manifest_file, 0, 0}, "steps and runs must be ≥ 1");
  if (s.scenario.output.every != 1 || !s.scenario.output.relations_all) {
    throw InputError({dir.string(), 0, 0},
                     "written with [output] every = " + std::to_string(s.scenario.output.every) +
                         (s.scenario.output.relations_all ? "" : " and only some relations") +
                         "; the report needs every step and relation (run it again with every = 1 "
                         "and relations = \"all\")");
  }
  if (run_files::format_of(manifest) == OutputSpec::Format::netcdf) {
    s.nc = detail::read_netcdf(dir / run_files::trajectories, s.scenario);
    if (s.nc->runs != s.runs) {
      throw InputError({s.file(run_files::trajectories), 0, 0},
                       std::to_string(s.nc->runs) + " runs, but the manifest announces " +
                           std::to_string(s.runs));
    }
  }

  JsonWriter w;
  begin_report_data(w, "run");
  write_scenario(w, s.scenario, manifest, std::string(text->get_string()));
  w.key("steps");
  w.value(s.steps);
  w.key("runs");
  w.value(s.runs);
  w.key("dates");
  if (s.scenario.start) {
    w.begin_array();
    for (int t = 0; t <= s.steps; ++t)
      w.value(step_date(*s.scenario.start, s.scenario.step_unit, t));
    w.end_array();
  } else {
    w.null();
  }
  std::vector<Moved> positions, relations;
  write_positions(w, s, positions);
  write_relations(w, s, relations);
  write_moved(w, most_moved(std::move(relations), kMovedRelations),
              most_moved(std::move(positions), kMovedPositions));
  write_observables(w, s);
  write_issues(w, s);
  write_events(w, s.scenario, dir / run_files::events, s.steps, s.runs);
  w.key("drivers");
  if (std::filesystem::exists(dir / run_files::drivers)) {
    write_drivers(w, s.scenario, dir / run_files::drivers, s.steps, s.runs);
  } else {
    w.null();
  }
  w.key("position_drivers");
  if (std::filesystem::exists(dir / run_files::position_drivers)) {
    write_position_drivers(w, s.scenario, dir / run_files::position_drivers, s.steps, s.runs);
  } else {
    w.null();
  }
  w.end_object();
  return w.take();
}

}  // namespace entente::report_detail
