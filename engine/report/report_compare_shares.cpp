// The categorical part of a compare directory's report: compare_shares.csv
// (blocs, regimes) as the page embeds it, every share an array over steps.
#include <map>

#include "entente/util/diagnostics.hpp"
#include "report/compare_data.hpp"

namespace entente::report_detail {

namespace {

struct Category {
  std::string value;
  std::vector<double> base;                 // [t]
  std::vector<std::vector<double>> share;   // [k][t]
  std::vector<std::vector<double>> change;  // [k][t]
  std::vector<char> base_seen;              // [t]
  std::vector<char> seen;                   // [k * (steps + 1) + t]
};

struct Shares {
  std::string observable;
  std::vector<Category> categories;
  std::map<std::string, std::size_t, std::less<>> index;
};

}  // namespace

void write_compare_shares(JsonWriter& w, const std::filesystem::path& file, int steps,
                          const std::vector<std::string>& others) {
  detail::CsvReader r(file);
  const int step = r.column("step"), observable = r.column("observable"), value = r.column("value"),
            scenario = r.column("scenario"), base_share = r.column("base_share"),
            share = r.column("share"), change = r.column("change");
  const std::size_t T = static_cast<std::size_t>(steps + 1), K = others.size();
  std::vector<Shares> all;
  std::map<std::string, std::size_t, std::less<>> index;
  while (r.next()) {
    const auto t = static_cast<std::size_t>(r.integer(step, 0, steps));
    auto o = index.find(r.field(observable));
    if (o == index.end()) {
      o = index.emplace(std::string(r.field(observable)), all.size()).first;
      all.push_back({std::string(r.field(observable)), {}, {}});
    }
    Shares& s = all[o->second];
    auto c = s.index.find(r.field(value));
    if (c == s.index.end()) {
      c = s.index.emplace(std::string(r.field(value)), s.categories.size()).first;
      s.categories.push_back({std::string(r.field(value)), std::vector<double>(T),
                              std::vector<std::vector<double>>(K, std::vector<double>(T)),
                              std::vector<std::vector<double>>(K, std::vector<double>(T)),
                              std::vector<char>(T, 0), std::vector<char>(K * T, 0)});
    }
    Category& cat = s.categories[c->second];
    const std::size_t k = compare_input_of(others, r, scenario, cat.seen, T, t);
    cat.seen[k * T + t] = 1;
    const double base = r.number(base_share);
    if (cat.base_seen[t] && !(cat.base[t] == base)) {
      r.fail(base_share, "base_share " + std::string(r.field(base_share)) +
                             " differs from an earlier row of the same step and value");
    }
    cat.base[t] = base;
    cat.base_seen[t] = 1;
    cat.share[k][t] = r.number(share);
    cat.change[k][t] = r.number(change);
  }
  for (const Shares& s : all) {
    for (const Category& cat : s.categories) {
      for (std::size_t i = 0; i < K * T; ++i) {
        if (cat.seen[i]) continue;
        throw InputError({file.string(), 0, 0},
                         "no row for " + s.observable + " = " + cat.value + " of " + others[i / T] +
                             " at step " + std::to_string(i % T) + " (the manifest announces " +
                             std::to_string(steps) + " steps)");
      }
    }
  }
  w.key("shares");
  w.begin_array();
  for (const Shares& s : all) {
    w.begin_object();
    w.key("observable");
    w.value(s.observable);
    w.key("values");
    w.begin_array();
    for (const Category& cat : s.categories) w.value(cat.value);
    w.end_array();
    w.key("base");
    w.begin_array();
    for (const Category& cat : s.categories) w.numbers(cat.base);
    w.end_array();
    for (const char* key : {"share", "change"}) {
      w.key(key);
      w.begin_array();
      for (std::size_t k = 0; k < K; ++k) {
        w.begin_array();
        for (const Category& cat : s.categories)
          w.numbers(key[0] == 's' ? cat.share[k] : cat.change[k]);
        w.end_array();
      }
      w.end_array();
    }
    w.end_object();
  }
  w.end_array();
}

}  // namespace entente::report_detail
