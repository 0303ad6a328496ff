#include "cli/terminal_table.hpp"
#include "util/format.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace entente::cli {

namespace {
using detail::fixed;
}  // namespace

std::string terminal_table(const Model& model, const RunReport& report) {
  const Scenario& s = *model.scenario;
  const auto& summary = report.summary;
  const int T = s.steps;
  struct Row {
    std::string name;
    double start, end_median, p05, p95;
  };
  std::vector<Row> rows;
  std::vector<std::string> shares;
  for (std::size_t o = 0; o < summary.observables().size(); ++o) {
    const Observable& obs = summary.observables()[o];
    if (obs.kind == Observable::Kind::step) continue;
    if (obs.categorical()) {
      const auto cats = categories(obs, s);
      const auto first = summary.shares(0, static_cast<int>(o), static_cast<int>(cats.size()));
      const auto last = summary.shares(T, static_cast<int>(o), static_cast<int>(cats.size()));
      std::string line = "  " + to_string(obs, s) + ":";
      for (std::size_t k = 0; k < cats.size(); ++k) {
        if (first[k] == 0.0 && last[k] == 0.0) continue;
        line += "  " + cats[k] + " " + fixed(100 * first[k], "%.0f") + "% → " +
                fixed(100 * last[k], "%.0f") + "%";
      }
      shares.push_back(line);
      continue;
    }
    const Stats a = summary.stats(0, static_cast<int>(o));
    const Stats b = summary.stats(T, static_cast<int>(o));
    rows.push_back({to_string(obs, s), a.mean, b.quantile[2], b.quantile[0], b.quantile[4]});
  }
  // With the default observables (every position and affinity) show the
  // positions and the relations that moved most.
  if (!s.output.observables_given && rows.size() > 20) {
    std::stable_sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) {
      const bool px = x.name.rfind("position", 0) == 0, py = y.name.rfind("position", 0) == 0;
      if (px != py) return px;
      return std::abs(x.end_median - x.start) > std::abs(y.end_median - y.start);
    });
    rows.resize(20);
  }
  std::size_t width = 10;
  for (const auto& r : rows) width = std::max(width, r.name.size());
  std::string out;
  char line[256];
  std::snprintf(line, sizeof line, "%s — %d run%s × %d %s%s\n", s.name.c_str(), s.runs,
                s.runs == 1 ? "" : "s", T, std::string(to_string(s.step_unit)).c_str(),
                T == 1 ? "" : "s");
  out += line;
  std::snprintf(line, sizeof line, "  %-*s %8s %8s %8s  %-19s\n", static_cast<int>(width),
                "observable", "start", "end", "change", "end 5–95%");
  out += line;
  for (const auto& r : rows) {
    std::snprintf(line, sizeof line, "  %-*s %8s %8s %8s  [%s, %s]\n", static_cast<int>(width),
                  r.name.c_str(), fixed(r.start).c_str(), fixed(r.end_median).c_str(),
                  fixed(r.end_median - r.start).c_str(), fixed(r.p05).c_str(),
                  fixed(r.p95).c_str());
    out += line;
  }
  for (const auto& sh : shares) out += sh + "\n";
  out += "  (start: step 0; end: median at step " + std::to_string(T) + ")\n";
  return out;
}

}  // namespace entente::cli
