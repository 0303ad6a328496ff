// The dashboard `entente play` shows after each turn: the main relations and
// positions, their change over the last turn, a 5–95 % band from a quick
// look-ahead ensemble, blocs, regimes, fired events and budgets.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "entente/run/summary.hpp"
#include "entente/util/date.hpp"
#include "entente/workshop/play.hpp"
#include "util/format.hpp"

namespace entente {

namespace {
using detail::fixed;
}  // namespace

std::vector<Observable> Workshop::main_observables() const {
  const Session& s = *session_;
  const Scenario& sc = s.scenario();
  std::vector<Observable> out;
  if (sc.output.observables_given) {
    for (const Observable& o : sc.output.observables) {
      if (o.kind != Observable::Kind::step) out.push_back(o);
    }
    return out;
  }
  // The default (every position and affinity): the positions, then the
  // twelve relations that moved most over the last turn.
  std::vector<Observable> affinities;
  for (const Observable& o : sc.output.observables) {
    (o.kind == Observable::Kind::affinity ? affinities : out).push_back(o);
  }
  const int t0 = std::max(0, s.last_turn_start());
  std::stable_sort(
      affinities.begin(), affinities.end(), [&](const Observable& a, const Observable& b) {
        const auto moved = [&](const Observable& o) {
          return std::abs(observe(s.model(), s.state(), o) - observe(s.model(), s.state_at(t0), o));
        };
        return moved(a) > moved(b);
      });
  if (affinities.size() > 12) affinities.resize(12);
  out.insert(out.end(), affinities.begin(), affinities.end());
  return out;
}

std::string Workshop::dashboard() const {
  const Session& s = *session_;
  const Scenario& sc = s.scenario();
  const Model& model = s.model();
  const int t = s.step();
  const int t0 = std::max(0, s.last_turn_start());
  std::string out;
  char line[320];
  std::string when = "step " + std::to_string(t);
  if (sc.start) when += " (" + step_date(*sc.start, sc.step_unit, t) + ")";
  out += "── " + sc.name + " · turn " + std::to_string(s.turn()) + " · " + when + " of " +
         std::to_string(sc.steps) + " · branch " + s.branch() + "\n";

  const std::vector<Observable> obs = main_observables();
  const int ahead = std::min(s.turn_steps(), sc.steps - t);
  LookAhead la;
  if (options_.lookahead_runs > 0 && ahead > 0)
    la = s.look_ahead(options_.lookahead_runs, ahead, obs);
  std::size_t width = 12;
  for (const Observable& o : obs) width = std::max(width, to_string(o, sc).size());
  std::snprintf(line, sizeof line, "  %-*s %8s %8s   %s\n", static_cast<int>(width), "observable",
                "now", "Δ turn",
                la.runs > 0 ? ("step " + std::to_string(t + ahead) + " 5–95%").c_str() : "");
  out += line;
  for (std::size_t o = 0; o < obs.size(); ++o) {
    if (obs[o].categorical()) continue;
    const double now = observe(model, s.state(), obs[o]);
    const double before = observe(model, s.state_at(t0), obs[o]);
    std::string band;
    if (la.runs > 0) {
      std::vector<double> v = la.values[o];
      const Stats st = compute_stats(v);
      band = "[" + fixed(st.quantile[0]) + ", " + fixed(st.quantile[4]) + "]";
    }
    std::snprintf(line, sizeof line, "  %-*s %8s %8s   %s\n", static_cast<int>(width),
                  to_string(obs[o], sc).c_str(), fixed(now).c_str(), fixed(now - before).c_str(),
                  band.c_str());
    out += line;
  }
  if (model.needs_blocs) {
    std::string a, b;
    for (int i = 0; i < model.n; ++i) {
      std::string& side = s.state().bloc[static_cast<std::size_t>(i)] == 0 ? a : b;
      side += (side.empty() ? "" : " ") + sc.actors[static_cast<std::size_t>(i)].id;
    }
    out += "  blocs: A = {" + a + "}  B = {" + b + "}\n";
  }
  if (!sc.issues.empty()) {
    out += "  regimes:";
    for (std::size_t q = 0; q < sc.issues.size(); ++q) {
      out += " " + sc.issues[q].id + " = " +
             sc.issues[q].options[static_cast<std::size_t>(s.state().regime[q])];
    }
    out += "\n";
  }
  std::string fired;
  for (int u = t0 + 1; u <= t; ++u) {
    for (const std::string& id : s.fired_at(u))
      fired += "  step " + std::to_string(u) + ": " + id + "\n";
  }
  if (!fired.empty()) out += "  fired this turn:\n" + fired;
  std::string budgets;
  for (std::size_t i = 0; i < sc.actors.size(); ++i) {
    const Actor& a = sc.actors[i];
    if (!a.budget) continue;
    char buf[64];
    std::snprintf(buf, sizeof buf, " %s %g", a.id.c_str(),
                  *a.budget - s.spent(static_cast<int>(i)));
    budgets += buf;
  }
  if (!budgets.empty()) out += "  budgets left this turn:" + budgets + "\n";
  return out;
}

}  // namespace entente
