// `entente review` (include/entente/workshop/review.hpp).
#include "entente/workshop/review.hpp"
#include "util/format.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "entente/model/events.hpp"
#include "entente/model/simulation.hpp"
#include "entente/util/date.hpp"

namespace entente {

namespace {

using detail::fixed;

std::string when(const Scenario& s, int step) {
  std::string out = std::to_string(step);
  if (s.start) out += " (" + step_date(*s.start, s.step_unit, step) + ")";
  return out;
}

// Markdown table cells may not hold '|' or line breaks.
std::string cell(std::string text) {
  for (char& c : text) {
    if (c == '\n') c = ' ';
  }
  std::string out;
  for (char c : text) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

std::string value_text(const Observable& o, double v, const Scenario& s) {
  if (!o.categorical()) return fixed(v);
  return categories(o, s)[static_cast<std::size_t>(v)];
}

std::vector<Observable> review_observables(const Scenario& s) {
  std::vector<Observable> out;
  for (const Observable& o : s.output.observables) {
    if (o.kind != Observable::Kind::step) out.push_back(o);
  }
  return out;
}

struct Part {
  std::string name;
  double value;
};

std::string top_parts(std::vector<Part> parts, const Scenario& s, std::size_t n = 3) {
  std::stable_sort(parts.begin(), parts.end(), [](const Part& a, const Part& b) {
    return std::abs(a.value) > std::abs(b.value);
  });
  std::string out;
  for (std::size_t k = 0; k < parts.size() && k < n; ++k) {
    if (parts[k].value == 0.0) break;
    out += (k ? "; " : "") + driver_words(parts[k].name, s) + " " + fixed(parts[k].value, "%+.4f");
  }
  return out;
}

std::vector<Part> affinity_parts(const RecordedStep& r, const Scenario& s, int n, int i, int j) {
  std::vector<Part> parts;
  for (const auto& [e, d] : r.event_affinity)
    parts.push_back({"event:" + s.events[static_cast<std::size_t>(e)].id, d(i, j)});
  const StepDrivers& d = r.drivers;
  const std::vector<std::string> names = affinity_driver_names(s);
  for (int slot = 0; slot < d.affinity.cols(); ++slot) {
    parts.push_back({names[static_cast<std::size_t>(slot)], d.affinity(i * n + j, slot)});
  }
  return parts;
}

std::vector<Part> position_parts(const RecordedStep& r, const Scenario& s, int k, int i, int a) {
  std::vector<Part> parts;
  for (const auto& [e, d] : r.event_position)
    parts.push_back({"event:" + s.events[static_cast<std::size_t>(e)].id, d(i, a)});
  const StepDrivers& d = r.drivers;
  for (int slot = 0; slot < d.position.cols(); ++slot) {
    std::string name;
    if (slot == d.position_anchor_slot())
      name = "anchoring";
    else if (slot == d.position_noise_slot())
      name = "noise";
    else if (slot == d.position_clip_slot())
      name = "clip";
    else
      name = "influence:" + s.actors[static_cast<std::size_t>(slot)].id;
    parts.push_back({name, d.position(i * k + a, slot)});
  }
  return parts;
}

}  // namespace

std::vector<Counterfactual> counterfactuals(const Session& session,
                                            const std::vector<Observable>& obs, int top) {
  std::vector<Counterfactual> out;
  const Scenario& base = session.base();
  for (const SessionAction& a : session.actions()) {
    if (a.kind != SessionAction::Kind::moves || a.step + 1 > session.step()) continue;
    for (std::size_t k = 0; k < a.moves.size(); ++k) {
      Scenario without = session.scenario();
      without.events[static_cast<std::size_t>(without.find_event(a.events[k]))].enabled = false;
      const Model model = compile(without);
      Simulation sim(model, 0);
      for (int t = 1; t <= session.step(); ++t) sim.advance();
      const Move& m = base.moves[static_cast<std::size_t>(a.moves[k])];
      std::vector<Counterfactual> rows;
      for (const Observable& o : obs) {
        const double with = observe(session.model(), session.state(), o);
        const double wo = observe(model, sim.state(), o);
        if (with == wo) continue;
        rows.push_back({a.turn, a.step, m.id, base.actors[static_cast<std::size_t>(m.actor)].id,
                        to_string(o, base), with, wo, with - wo});
      }
      std::stable_sort(rows.begin(), rows.end(),
                       [](const Counterfactual& x, const Counterfactual& y) {
                         return std::abs(x.effect) > std::abs(y.effect);
                       });
      if (rows.size() > static_cast<std::size_t>(top)) rows.resize(static_cast<std::size_t>(top));
      if (rows.empty())
        rows.push_back(
            {a.turn, a.step, m.id, base.actors[static_cast<std::size_t>(m.actor)].id, "", 0, 0, 0});
      out.insert(out.end(), rows.begin(), rows.end());
    }
  }
  return out;
}

std::string review_markdown(const Session& session, const std::string& log_name) {
  const Scenario& s = session.scenario();
  const Scenario& base = session.base();
  const Model& model = session.model();
  const int T = session.step();
  std::string md;
  md += "# Debrief: " + base.name + "\n\n";
  md += "Session log `" + log_name + "`, branch `" + session.branch() +
        "`: " + std::to_string(session.turn() - 1) + " turn(s), steps 0–" + when(s, T) + ", seed " +
        std::to_string(s.seed) + " (the session is run 0).";
  if (session.branches().size() > 1) {
    md += " Branches:";
    for (const auto& b : session.branches()) md += " `" + b.name + "`";
    md += ".";
  }
  md +=
      "\n\n## Timeline\n\n| turn | step | what | who | detail | reason "
      "|\n|---|---|---|---|---|---|\n";
  for (const SessionAction& a : session.actions()) {
    const std::string at = std::to_string(a.turn) + " | " + when(s, a.step) + " | ";
    switch (a.kind) {
      case SessionAction::Kind::advance:
        md += "| " + at + "advance " + std::to_string(a.steps) + " | | → step " +
              std::to_string(a.step + a.steps) + " | |\n";
        break;
      case SessionAction::Kind::moves:
        for (int k : a.moves) {
          const Move& m = base.moves[static_cast<std::size_t>(k)];
          md += "| " + at + "move `" + m.id + "`: " + cell(m.name) + " | " +
                base.actors[static_cast<std::size_t>(m.actor)].id + " | " +
                cell(describe(m.effects, base)) + " | |\n";
        }
        break;
      case SessionAction::Kind::inject:
        md += "| " + at + "inject | facilitator | " + cell(describe(a.effects, base)) + " | |\n";
        break;
      case SessionAction::Kind::set:
        md += "| " + at + "override `" + cell(a.text) + "` | facilitator | " +
              cell(describe(a.effects, base)) + " | " + cell(a.reason) + " |\n";
        break;
    }
  }

  md += "\n## Turning points\n\n";
  if (T == 0) {
    md += "No step was played.\n";
  } else {
    const std::vector<RecordedStep> rec = record_drivers(model, T);
    const int N = model.n, K = model.k;
    struct Change {
      int t, i, j;
      double delta;
    };
    std::vector<Change> aff, pos;
    for (int t = 1; t <= T; ++t) {
      const State &a = session.state_at(t - 1), &b = session.state_at(t);
      for (int i = 0; i < N; ++i) {
        for (int j = 0; j < N; ++j) {
          if (i != j) aff.push_back({t, i, j, b.R(i, j) - a.R(i, j)});
        }
        for (int x = 0; x < K; ++x) pos.push_back({t, i, x, b.x(i, x) - a.x(i, x)});
      }
    }
    const auto by_size = [](const Change& x, const Change& y) {
      return std::abs(x.delta) > std::abs(y.delta);
    };
    std::stable_sort(aff.begin(), aff.end(), by_size);
    std::stable_sort(pos.begin(), pos.end(), by_size);
    md +=
        "Largest one-step changes of affinity:\n\n| step | affinity | change | main drivers "
        "|\n|---|---|---|---|\n";
    for (std::size_t k = 0; k < aff.size() && k < 5 && aff[k].delta != 0.0; ++k) {
      const Change& c = aff[k];
      md += "| " + when(s, c.t) + " | affinity(" + s.actors[static_cast<std::size_t>(c.i)].id +
            "," + s.actors[static_cast<std::size_t>(c.j)].id + ") | " + fixed(c.delta) + " | " +
            cell(top_parts(affinity_parts(rec[static_cast<std::size_t>(c.t)], s, N, c.i, c.j), s)) +
            " |\n";
    }
    md +=
        "\nLargest one-step changes of position:\n\n| step | position | change | main drivers "
        "|\n|---|---|---|---|\n";
    if (pos.empty() || pos[0].delta == 0.0) md += "| | no position changed | | |\n";
    for (std::size_t k = 0; k < pos.size() && k < 3 && pos[k].delta != 0.0; ++k) {
      const Change& c = pos[k];
      md += "| " + when(s, c.t) + " | position(" + s.actors[static_cast<std::size_t>(c.i)].id +
            "," + s.axes[static_cast<std::size_t>(c.j)].id + ") | " + fixed(c.delta) + " | " +
            cell(top_parts(position_parts(rec[static_cast<std::size_t>(c.t)], s, K, c.i, c.j), s)) +
            " |\n";
    }
    if (model.needs_blocs) {
      md += "\nBloc changes:\n\n";
      bool any = false;
      for (int t = 1; t <= T; ++t) {
        for (int i = 0; i < N; ++i) {
          const int was = session.state_at(t - 1).bloc[static_cast<std::size_t>(i)];
          const int is = session.state_at(t).bloc[static_cast<std::size_t>(i)];
          if (was == is) continue;
          any = true;
          // The drivers: the largest change of a relation of that actor at that step.
          Change best{t, i, i == 0 ? 1 : 0, 0.0};
          for (int j = 0; j < N; ++j) {
            if (j == i) continue;
            for (const auto& [x, y] : {std::pair{i, j}, std::pair{j, i}}) {
              const double d = session.state_at(t).R(x, y) - session.state_at(t - 1).R(x, y);
              if (std::abs(d) > std::abs(best.delta)) best = {t, x, y, d};
            }
          }
          md +=
              "- step " + when(s, t) + ": " + s.actors[static_cast<std::size_t>(i)].id +
              " moves from bloc " + (was == 0 ? "A" : "B") + " to bloc " + (is == 0 ? "A" : "B") +
              "; its largest relation change: affinity(" +
              s.actors[static_cast<std::size_t>(best.i)].id + "," +
              s.actors[static_cast<std::size_t>(best.j)].id + ") " + fixed(best.delta) + " (" +
              top_parts(affinity_parts(rec[static_cast<std::size_t>(t)], s, N, best.i, best.j), s) +
              ")\n";
        }
      }
      if (!any) md += "No actor changed bloc.\n";
    }
  }

  std::vector<Observable> obs = review_observables(s);
  md += "\n## End state against the start\n\n| observable | step 0 | step " + std::to_string(T) +
        " | change |\n|---|---|---|---|\n";
  for (const Observable& o : obs) {
    const double a = observe(model, session.state_at(0), o), b = observe(model, session.state(), o);
    md += "| " + to_string(o, s) + " | " + value_text(o, a, s) + " | " + value_text(o, b, s) +
          " | " + (o.categorical() ? (a == b ? "" : "changed") : fixed(b - a)) + " |\n";
  }

  md +=
      "\n## Counterfactuals\n\nEach move against the same session without it (run 0 of the "
      "same seed: common random numbers), at step " +
      std::to_string(T) + ".\n\n";
  const auto rows = counterfactuals(session, obs);
  if (rows.empty()) {
    md += "No move was played before the last step.\n";
  } else {
    md +=
        "| turn | move | actor | observable | with | without | effect "
        "|\n|---|---|---|---|---|---|---|\n";
    for (const Counterfactual& c : rows) {
      if (c.observable.empty()) {
        md += "| " + std::to_string(c.turn) + " | `" + c.move + "` | " + c.actor +
              " | (no observable changed) | | | |\n";
        continue;
      }
      const Observable o = parse_observable(c.observable, s);
      md += "| " + std::to_string(c.turn) + " | `" + c.move + "` | " + c.actor + " | " +
            c.observable + " | " + value_text(o, c.with, s) + " | " + value_text(o, c.without, s) +
            " | " + (o.categorical() ? "changed" : fixed(c.effect)) + " |\n";
    }
  }
  return md;
}

}  // namespace entente
