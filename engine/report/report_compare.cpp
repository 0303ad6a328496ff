// The data of a compare directory's report (engine/report/compare_data.hpp):
// the inputs and their provenance from manifest.json, the paired differences
// of compare.csv and the categorical shares of compare_shares.csv, each
// column an array over the steps, numbers as the files hold them.
#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <tuple>

#include "entente/util/diagnostics.hpp"
#include "report/compare_data.hpp"
#include "report/run_data.hpp"

namespace entente::report_detail {

// The input (0 for the second) a row belongs to: the first so named whose
// row is not taken yet (taken[k * stride + offset]), since rows come in the
// inputs' order and two inputs may share a name.
std::size_t compare_input_of(const std::vector<std::string>& others, const detail::CsvReader& r,
                             int column, const std::vector<char>& taken, std::size_t stride,
                             std::size_t offset) {
  bool named = false;
  for (std::size_t k = 0; k < others.size(); ++k) {
    if (others[k] != r.field(column)) continue;
    named = true;
    if (!taken[k * stride + offset]) return k;
  }
  if (named) r.fail(column, "a second row for this scenario, observable and step");
  std::string names;
  for (std::size_t k = 0; k < others.size(); ++k) names += (k > 0 ? ", " : "") + others[k];
  r.fail(column, "unknown scenario '" + std::string(r.field(column)) +
                     "' (the manifest's inputs after the first: " + names + ")");
}

namespace {

// compare.csv's statistics, in the file's column order.
constexpr std::array<const char*, 9> kColumns = {
    "base_mean", "mean", "difference", "sd", "ci05", "ci95", "p05", "p95", "p_positive"};

struct Input {
  std::string name, source, description;
  const boost::json::string* text = nullptr;  // the resolved scenario, when recorded
};

struct Shape {
  std::filesystem::path dir;
  std::vector<Input> inputs;
  int steps = 0, runs = 0;
  std::vector<std::string> others;              // the names of the inputs after the first
  std::vector<std::string> dates;               // from compare.csv's `date` column; empty without
  std::size_t at(std::size_t k, int t) const {  // k: 0 for the second input
    return k * static_cast<std::size_t>(steps + 1) + static_cast<std::size_t>(t);
  }
};

long long member_int(const boost::json::object& m, const char* key, const std::string& file) {
  const auto* v = m.if_contains(key);
  if (v == nullptr || !v->is_number()) {
    throw InputError({file, 0, 0}, std::string("no number '") + key + "' in the manifest");
  }
  return v->to_number<long long>();
}

std::string member_string(const boost::json::object& m, const char* key) {
  const auto* v = m.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

Shape read_shape(const std::filesystem::path& dir, const boost::json::object& manifest) {
  const std::string file = (dir / "manifest.json").string();
  Shape s;
  s.dir = dir;
  const auto* inputs = manifest.if_contains("inputs");
  if (inputs != nullptr && inputs->is_array()) {
    for (const auto& v : inputs->get_array()) {
      if (!v.is_object() || !v.get_object().contains("scenario")) {
        throw InputError({file, 0, 0}, "an input without 'scenario' in the manifest's inputs");
      }
      const auto& o = v.get_object();
      Input in{member_string(o, "scenario"), member_string(o, "source"),
               member_string(o, "description")};
      const auto* text = o.if_contains("resolved_scenario");
      if (text != nullptr && text->is_string()) in.text = &text->get_string();
      s.inputs.push_back(std::move(in));
    }
  }
  for (std::size_t k = 1; k < s.inputs.size(); ++k) s.others.push_back(s.inputs[k].name);
  if (s.inputs.size() < 2) {
    throw InputError({file, 0, 0},
                     "a compare manifest needs 'inputs': at least two {scenario, source}");
  }
  s.steps = static_cast<int>(member_int(manifest, "steps", file));
  s.runs = static_cast<int>(member_int(manifest, "runs", file));
  if (s.steps < 1 || s.runs < 1) throw InputError({file, 0, 0}, "steps and runs must be ≥ 1");
  return s;
}

// Records the date of step t (rows of one step must agree).
void note_date(Shape& s, const detail::CsvReader& r, int column, int t) {
  if (column < 0) return;
  if (s.dates.empty()) s.dates.resize(static_cast<std::size_t>(s.steps + 1));
  std::string& d = s.dates[static_cast<std::size_t>(t)];
  if (d.empty()) d = r.field(column);
  if (d != r.field(column)) {
    r.fail(column, "date '" + std::string(r.field(column)) + "' of step " + std::to_string(t) +
                       ", but an earlier row has '" + d + "'");
  }
}

// Numeric observables in the order of the file, and per input their columns.
struct Differences {
  std::vector<std::string> names;
  std::map<std::string, std::size_t, std::less<>> index;
  std::vector<std::vector<std::array<std::vector<double>, kColumns.size()>>> values;  // [o][k][c]
  std::vector<std::vector<char>> seen;                                                // [o][at]
};

Differences read_differences(Shape& s) {
  const std::filesystem::path path = s.dir / "compare.csv";
  detail::CsvReader r(path);
  const int step = r.column("step"), observable = r.column("observable"),
            scenario = r.column("scenario"), date = r.find_column("date");
  std::array<int, kColumns.size()> columns{};
  for (std::size_t c = 0; c < kColumns.size(); ++c) columns[c] = r.column(kColumns[c]);
  Differences d;
  const std::size_t T = static_cast<std::size_t>(s.steps + 1);
  while (r.next()) {
    const int t = static_cast<int>(r.integer(step, 0, s.steps));
    auto it = d.index.find(r.field(observable));
    if (it == d.index.end()) {
      it = d.index.emplace(std::string(r.field(observable)), d.names.size()).first;
      d.names.emplace_back(r.field(observable));
      std::array<std::vector<double>, kColumns.size()> empty;
      empty.fill(std::vector<double>(T));
      d.values.emplace_back(s.others.size(), empty);
      d.seen.emplace_back(s.others.size() * T, 0);
    }
    const std::size_t o = it->second;
    const std::size_t k =
        compare_input_of(s.others, r, scenario, d.seen[o], T, static_cast<std::size_t>(t));
    d.seen[o][s.at(k, t)] = 1;
    note_date(s, r, date, t);
    for (std::size_t c = 0; c < kColumns.size(); ++c)
      d.values[o][k][c][static_cast<std::size_t>(t)] = r.number(columns[c]);
  }
  if (d.names.empty()) {
    throw InputError({path.string(), 0, 0},
                     "no rows (expected one per observable, input after the first and step)");
  }
  for (std::size_t o = 0; o < d.names.size(); ++o) {
    for (std::size_t k = 0; k < s.others.size(); ++k) {
      for (int t = 0; t <= s.steps; ++t) {
        if (d.seen[o][s.at(k, t)]) continue;
        throw InputError({path.string(), 0, 0},
                         "no row for " + d.names[o] + " of " + s.inputs[k + 1].name + " at step " +
                             std::to_string(t) + " (the manifest announces " +
                             std::to_string(s.steps) + " steps)");
      }
    }
  }
  return d;
}

void write_differences(JsonWriter& w, const Shape& s, const Differences& d) {
  w.key("observables");
  w.strings(d.names);
  w.key("differences");  // [input after the first][observable] → {column: [per step]}
  w.begin_array();
  for (std::size_t k = 0; k < s.others.size(); ++k) {
    w.begin_array();
    for (std::size_t o = 0; o < d.names.size(); ++o) {
      w.begin_object();
      for (std::size_t c = 0; c < kColumns.size(); ++c) {
        w.key(kColumns[c]);
        w.numbers(d.values[o][k][c]);
      }
      w.end_object();
    }
    w.end_array();
  }
  w.end_array();
}

// "What moved", per input after the first: the relations and positions
// whose mean paired difference changed most from the first step to the last,
// `{"relations":[…],"positions":[…]}`, each entry `{"name","change","base":
// [start,end],"other":[start,end],"difference":[start,end],"band":[p05,p95]}`
// (means of the base and the branch, the mean paired difference, and the
// 5–95 % of the per-run differences at the last step).
void write_compare_moved(JsonWriter& w, const Shape& s, const Differences& d) {
  const auto T = static_cast<std::size_t>(s.steps);
  w.key("moved");
  w.begin_array();
  for (std::size_t k = 0; k < s.others.size(); ++k) {
    w.begin_object();
    for (const auto& [kind, key, top] : {std::tuple{"affinity(", "relations", kMovedRelations},
                                         std::tuple{"position(", "positions", kMovedPositions}}) {
      std::vector<std::size_t> order;
      for (std::size_t o = 0; o < d.names.size(); ++o) {
        const auto& diff = d.values[o][k][2];
        if (d.names[o].starts_with(kind) && diff[T] != diff[0]) order.push_back(o);
      }
      const auto change = [&](std::size_t o) {
        return std::abs(d.values[o][k][2][T] - d.values[o][k][2][0]);
      };
      std::stable_sort(order.begin(), order.end(),
                       [&](std::size_t a, std::size_t b) { return change(a) > change(b); });
      if (order.size() > top) order.resize(top);
      w.key(key);
      w.begin_array();
      for (std::size_t o : order) {
        const auto& v = d.values[o][k];
        w.begin_object();
        w.key("name");
        w.value(d.names[o]);
        w.key("change");
        w.value(v[2][T] - v[2][0]);
        w.key("base");
        w.numbers(std::vector<double>{v[0][0], v[0][T]});
        w.key("other");
        w.numbers(std::vector<double>{v[1][0], v[1][T]});
        w.key("difference");
        w.numbers(std::vector<double>{v[2][0], v[2][T]});
        w.key("band");
        w.numbers(std::vector<double>{v[6][T], v[7][T]});
        w.end_object();
      }
      w.end_array();
    }
    w.end_object();
  }
  w.end_array();
}

}  // namespace

std::string compare_report_data(const std::filesystem::path& dir,
                                const boost::json::object& manifest) {
  Shape s = read_shape(dir, manifest);
  const Differences d = read_differences(s);
  JsonWriter w;
  begin_report_data(w, "compare");
  write_generator(w);
  std::string title = s.inputs[0].name + " vs ";
  for (std::size_t k = 1; k < s.inputs.size(); ++k) title += (k > 1 ? ", " : "") + s.inputs[k].name;
  w.key("title");
  w.value(title);
  write_manifest_without(w, manifest, {"inputs"});  // the inputs follow with their texts
  w.key("inputs");
  w.begin_array();
  for (const Input& in : s.inputs) {
    w.begin_object();
    w.key("name");
    w.value(in.name);
    w.key("source");
    w.value(in.source);
    w.key("description");
    w.value(in.description);
    w.key("text");
    if (in.text != nullptr) {
      w.value(std::string_view(*in.text));
    } else {
      w.null();
    }
    w.end_object();
  }
  w.end_array();
  w.key("steps");
  w.value(s.steps);
  w.key("runs");
  w.value(s.runs);
  w.key("dates");
  if (s.dates.empty()) {
    w.null();
  } else {
    w.strings(s.dates);
  }
  write_differences(w, s, d);
  write_compare_moved(w, s, d);
  write_compare_shares(w, dir / "compare_shares.csv", s.steps, s.others);
  w.end_object();
  return w.take();
}

}  // namespace entente::report_detail
