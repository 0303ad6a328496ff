#include <algorithm>

#include "entente/util/diagnostics.hpp"
#include "report/run_data.hpp"

namespace entente::report_detail {

EnsembleValues::EnsembleValues(int slots, int steps, int runs)
    : steps_(steps),
      runs_(runs),
      values_(static_cast<std::size_t>(slots) * static_cast<std::size_t>(steps + 1) *
              static_cast<std::size_t>(runs)),
      seen_(values_.size(), 0) {}

void EnsembleValues::set(int slot, int step, int run, double value, const detail::CsvReader& row,
                         int column) {
  const auto at = (static_cast<std::size_t>(slot) * static_cast<std::size_t>(steps_ + 1) +
                   static_cast<std::size_t>(step)) *
                      static_cast<std::size_t>(runs_) +
                  static_cast<std::size_t>(run);
  if (seen_[at] != 0) row.fail(column, "a second row for the same run, step and series");
  seen_[at] = 1;
  values_[at] = value;
}

void EnsembleValues::set(int slot, int step, int run, double value) {
  const auto at = (static_cast<std::size_t>(slot) * static_cast<std::size_t>(steps_ + 1) +
                   static_cast<std::size_t>(step)) *
                      static_cast<std::size_t>(runs_) +
                  static_cast<std::size_t>(run);
  seen_[at] = 1;
  values_[at] = value;
}

void EnsembleValues::check_complete(const std::string& file) const {
  std::size_t seen = 0;
  for (const char s : seen_) seen += s != 0 ? 1 : 0;
  if (seen != seen_.size()) {
    throw InputError({file, 0, 0}, std::to_string(seen) + " values, expected " +
                                       std::to_string(seen_.size()) +
                                       " (every run, step and series of the manifest)");
  }
}

Stats EnsembleValues::stats(int slot, int step) const {
  const auto at = (static_cast<std::size_t>(slot) * static_cast<std::size_t>(steps_ + 1) +
                   static_cast<std::size_t>(step)) *
                  static_cast<std::size_t>(runs_);
  std::vector<double> values(values_.begin() + static_cast<std::ptrdiff_t>(at),
                             values_.begin() + static_cast<std::ptrdiff_t>(at) + runs_);
  return compute_stats(values);
}

void write_series(JsonWriter& w, const std::vector<Stats>& per_step) {
  std::vector<double> column(per_step.size());
  w.begin_object();
  w.key("mean");
  for (std::size_t t = 0; t < per_step.size(); ++t) column[t] = per_step[t].mean;
  w.numbers(column);
  w.key("sd");
  for (std::size_t t = 0; t < per_step.size(); ++t) column[t] = per_step[t].sd;
  w.numbers(column);
  w.key("q");
  w.begin_array();
  for (std::size_t q = 0; q < kSummaryQuantiles.size(); ++q) {
    for (std::size_t t = 0; t < per_step.size(); ++t) column[t] = per_step[t].quantile[q];
    w.numbers(column);
  }
  w.end_array();
  w.end_object();
}

void copy_json(JsonWriter& w, const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::object:
      w.begin_object();
      for (const auto& [k, member] : v.get_object()) {
        w.key(k);
        copy_json(w, member);
      }
      w.end_object();
      break;
    case boost::json::kind::array:
      w.begin_array();
      for (const auto& element : v.get_array()) copy_json(w, element);
      w.end_array();
      break;
    case boost::json::kind::string:
      w.value(std::string_view(v.get_string()));
      break;
    case boost::json::kind::int64:
      w.value(static_cast<long long>(v.get_int64()));
      break;
    case boost::json::kind::uint64:
      w.raw(std::to_string(v.get_uint64()));
      break;
    case boost::json::kind::double_:
      w.value(v.get_double());
      break;
    case boost::json::kind::bool_:
      w.value(v.get_bool());
      break;
    case boost::json::kind::null:
      w.null();
      break;
  }
}

void begin_report_data(JsonWriter& w, std::string_view kind) {
  w.begin_object();
  w.key("format");
  w.value("entente-report");
  w.key("schema");
  w.value(1);
  w.key("kind");
  w.value(kind);
}

void write_generator(JsonWriter& w) {
  w.key("generator");
  w.begin_object();
  w.key("engine");
  w.value("entente");
  w.key("version");
  w.value(ENTENTE_VERSION);
  w.end_object();
}

void write_manifest_without(JsonWriter& w, const boost::json::object& manifest,
                            std::initializer_list<std::string_view> omit) {
  w.key("manifest");
  w.begin_object();
  for (const auto& [k, v] : manifest) {
    if (std::find(omit.begin(), omit.end(), std::string_view(k)) != omit.end()) continue;
    w.key(k);
    copy_json(w, v);
  }
  w.end_object();
}

}  // namespace entente::report_detail
