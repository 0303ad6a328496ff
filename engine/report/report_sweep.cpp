// The data of a sweep directory's report: the sweep and its provenance, the
// parameters and outputs, the sensitivity indices computed as `entente
// analyze DIR` computes them by default, and the per-point values behind them.
#include <algorithm>
#include <cmath>

#include "entente/scenario/scenario_io.hpp"
#include "entente/sweep/analyze.hpp"
#include "entente/util/diagnostics.hpp"
#include "report/run_data.hpp"
#include "report/sweep_data.hpp"

namespace entente::report_detail {

namespace {

const boost::json::value* member(const boost::json::object& m, const char* key) {
  const auto* v = m.if_contains(key);
  return v == nullptr || v->is_null() ? nullptr : v;
}

void copy_member(JsonWriter& w, const boost::json::object& m, const char* key, const char* as) {
  w.key(as);
  if (const auto* v = member(m, key)) {
    copy_json(w, *v);
  } else {
    w.null();
  }
}

// The labels of each categorical parameter in order of first appearance in
// design.csv: the coding read_sweep_results uses (0, 1, …).
std::vector<std::vector<std::string>> category_labels(const std::filesystem::path& dir,
                                                      const SweepResults& r) {
  std::vector<std::vector<std::string>> labels(r.parameters.size());
  detail::CsvReader csv(dir / "design.csv");
  std::vector<int> column(r.parameters.size());
  for (std::size_t k = 0; k < r.parameters.size(); ++k) column[k] = csv.column(r.parameters[k]);
  while (csv.next()) {
    for (std::size_t k = 0; k < r.parameters.size(); ++k) {
      if (!r.categorical[k]) continue;
      const auto cell = csv.field(column[k]);
      if (std::find(labels[k].begin(), labels[k].end(), cell) == labels[k].end())
        labels[k].emplace_back(cell);
    }
  }
  return labels;
}

// The sweep's header: names, design, sizes and the two texts of the record.
void write_sweep(JsonWriter& w, const boost::json::object& m, const std::string& manifest_file) {
  w.key("sweep");
  w.begin_object();
  copy_member(w, m, "sweep", "name");
  copy_member(w, m, "description", "description");
  copy_member(w, m, "design", "design");
  copy_member(w, m, "saltelli", "saltelli");
  copy_member(w, m, "points", "points");
  copy_member(w, m, "runs", "runs");
  copy_member(w, m, "total_runs", "total_runs");
  copy_member(w, m, "seed", "seed");
  copy_member(w, m, "steps", "steps");
  copy_member(w, m, "sweep_text", "text");
  w.end_object();
  // The swept scenario: its name, and when the manifest holds the resolved
  // scenario, its description and text.
  w.key("scenario");
  w.begin_object();
  copy_member(w, m, "scenario", "name");
  copy_member(w, m, "scenario_file", "file");
  const auto* text = member(m, "base_scenario");
  if (text != nullptr && text->is_string()) {
    const Scenario s = load_scenario_text(std::string_view(text->get_string()),
                                          manifest_file + " (base_scenario)", {})
                           .scenario;
    w.key("description");
    w.value(s.description);
    w.key("text");
    w.value(std::string_view(text->get_string()));
  } else {
    w.key("description");
    w.null();
    w.key("text");
    w.null();
  }
  w.end_object();
}

void write_parameters(JsonWriter& w, const SweepResults& r, const boost::json::object& m,
                      const std::vector<std::vector<std::string>>& labels) {
  const auto* specs = member(m, "parameter_specs");
  w.key("parameters");
  w.begin_array();
  for (std::size_t k = 0; k < r.parameters.size(); ++k) {
    const auto col = r.x.col(static_cast<Eigen::Index>(k));
    w.begin_object();
    w.key("path");
    w.value(r.parameters[k]);
    w.key("categorical");
    w.value(static_cast<bool>(r.categorical[k]));
    w.key("labels");
    if (r.categorical[k]) {
      w.strings(labels[k]);
    } else {
      w.null();
    }
    w.key("min");
    w.value(col.minCoeff());
    w.key("max");
    w.value(col.maxCoeff());
    w.key("spec");
    const boost::json::value* spec = nullptr;
    if (specs != nullptr && specs->is_array()) {
      for (const auto& s : specs->get_array()) {
        const auto* p = s.is_object() ? s.get_object().if_contains("path") : nullptr;
        if (p != nullptr && p->is_string() && p->get_string() == r.parameters[k]) spec = &s;
      }
    }
    if (spec != nullptr) {
      copy_json(w, *spec);
    } else {
      w.null();
    }
    w.end_object();
  }
  w.end_array();
}

void write_outputs(JsonWriter& w, const SweepResults& r, const boost::json::object& m) {
  const auto* defs = member(m, "outputs");
  w.key("outputs");
  w.begin_array();
  for (const auto& name : r.outputs) {
    w.begin_object();
    w.key("name");
    w.value(name);
    const boost::json::object* def = nullptr;
    if (defs != nullptr && defs->is_array()) {
      for (const auto& d : defs->get_array()) {
        const auto* n = d.is_object() ? d.get_object().if_contains("name") : nullptr;
        if (n != nullptr && n->is_string() && n->get_string() == name) def = &d.get_object();
      }
    }
    copy_member(w, def != nullptr ? *def : boost::json::object{}, "reducer", "reducer");
    copy_member(w, def != nullptr ? *def : boost::json::object{}, "of", "of");
    w.end_object();
  }
  w.end_array();
}

// The indices, grouped by output in ranked order, as sensitivity_<method>.csv.
void write_analysis(JsonWriter& w, const SweepResults& r, const Analysis& a) {
  w.key("analysis");
  w.begin_object();
  w.key("method");
  w.value(a.method);
  w.key("bootstrap");
  w.value(sweep_report_bootstrap);
  w.key("seed");
  w.value(static_cast<long long>(sweep_report_seed));
  w.key("columns");
  w.strings(a.columns);
  w.key("indices");
  w.begin_array();
  for (const auto& output : r.outputs) {
    w.begin_object();
    w.key("output");
    w.value(output);
    w.key("rows");
    w.begin_array();
    int rank = 0;
    for (const auto& row : a.rows) {
      if (row.output != output) continue;
      w.begin_object();
      w.key("rank");
      w.value(++rank);
      w.key("parameter");
      w.value(row.parameter);
      w.key("values");
      w.numbers(row.values);
      w.end_object();
    }
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

// Per point: each parameter's value (categorical: its label's code) and each
// output's mean over the point's runs, as the analysis sees them; every
// `every`-th point of the `of` points when there are more than
// sweep_report_max_points.
void write_values(JsonWriter& w, const SweepResults& r) {
  const long points = static_cast<long>(r.x.rows());
  const long every = std::max(1L, (points + sweep_report_max_points - 1) / sweep_report_max_points);
  std::vector<double> v;
  const auto columns = [&](const Eigen::MatrixXd& m) {
    w.begin_array();
    for (Eigen::Index c = 0; c < m.cols(); ++c) {
      v.clear();
      for (Eigen::Index i = 0; i < m.rows(); i += every) v.push_back(m(i, c));
      w.numbers(v);
    }
    w.end_array();
  };
  w.key("values");
  w.begin_object();
  w.key("x");
  columns(r.x);
  w.key("y");
  columns(r.y);
  w.key("every");
  w.value(static_cast<long long>(every));
  w.key("of");
  w.value(static_cast<long long>(points));
  w.end_object();
}

}  // namespace

std::string sweep_report_data(const std::filesystem::path& dir,
                              const boost::json::object& manifest) {
  const std::string manifest_file = (dir / "manifest.json").string();
  const SweepResults r = read_sweep_results(dir);
  const std::string method = default_method(r);
  const Analysis a = analyze(r, method, sweep_report_bootstrap, sweep_report_seed);
  const auto labels = category_labels(dir, r);

  JsonWriter w;
  begin_report_data(w, "sweep");
  const auto* name = member(manifest, "sweep");
  w.key("title");
  w.value(name != nullptr && name->is_string() ? std::string_view(name->get_string())
                                               : std::string_view("sweep"));
  write_generator(w);
  write_manifest_without(w, manifest, {"sweep_text", "base_scenario"});  // texts follow once
  write_sweep(w, manifest, manifest_file);
  write_parameters(w, r, manifest, labels);
  write_outputs(w, r, manifest);
  write_analysis(w, r, a);
  write_values(w, r);
  w.end_object();
  return w.take();
}

}  // namespace entente::report_detail
