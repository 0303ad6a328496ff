// `entente review` (include/entente/workshop/review.hpp).
#include "entente/workshop/review.hpp"
#include "util/format.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "entente/model/events.hpp"
#include "entente/model/objective.hpp"
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

namespace {

bool same_action(const SessionAction& a, const SessionAction& b) {
  return a.kind == b.kind && a.turn == b.turn && a.step == b.step && a.steps == b.steps &&
         a.moves == b.moves && a.text == b.text && a.events == b.events;
}

// What a run gives at `steps`: the headline observables, then the score of
// every actor in `scored`, for runs 0 … runs − 1.
std::vector<std::vector<double>> end_values(const Model& model, int steps, int runs,
                                            const std::vector<Observable>& obs,
                                            const std::vector<int>& scored) {
  std::vector<std::vector<double>> out;
  for (int r = 0; r < runs; ++r) {
    Simulation sim(model, static_cast<std::uint64_t>(r));
    for (int t = 1; t <= steps; ++t) sim.advance();
    std::vector<double> row;
    for (const Observable& o : obs) row.push_back(observe(model, sim.state(), o));
    for (int i : scored) row.push_back(actor_score(model, sim.state(), i));
    out.push_back(std::move(row));
  }
  return out;
}

// `o`: the observable of `item`, or null for a score.
Effect effect_of(const std::string& name, const Observable* o, const Scenario& s, std::size_t item,
                 const std::vector<std::vector<double>>& with,
                 const std::vector<std::vector<double>>& without) {
  Effect e;
  e.name = name;
  e.categorical = o != nullptr && o->categorical();
  const bool categorical = e.categorical;
  e.with = with[0][item];
  e.without = without[0][item];
  e.with_text = o != nullptr ? value_text(*o, e.with, s) : fixed(e.with);
  e.without_text = o != nullptr ? value_text(*o, e.without, s) : fixed(e.without);
  const auto runs = static_cast<double>(with.size());
  if (categorical) {
    double differ = 0.0;
    for (std::size_t r = 0; r < with.size(); ++r) differ += with[r][item] != without[r][item];
    e.effect = e.low = e.high = differ / runs;
    return e;
  }
  double sum = 0.0;
  e.low = e.high = with[0][item] - without[0][item];
  for (std::size_t r = 0; r < with.size(); ++r) {
    const double d = with[r][item] - without[r][item];
    sum += d;
    e.low = std::min(e.low, d);
    e.high = std::max(e.high, d);
  }
  e.effect = sum / runs;
  return e;
}

std::string driver_text(const std::vector<Part>& parts, const Scenario& s) {
  return top_parts(parts, s);
}

void turning_points(const Session& session, BranchReview& b) {
  const Scenario& s = session.scenario();
  const Model& model = session.model();
  const int T = session.step();
  if (T == 0) return;
  const std::vector<RecordedStep> rec = record_drivers(model, T);
  const int N = model.n, K = model.k;
  struct Change {
    int t, i, j;
    double delta;
  };
  std::vector<Change> aff, pos;
  for (int t = 1; t <= T; ++t) {
    const State &a = session.state_at(t - 1), &z = session.state_at(t);
    for (int i = 0; i < N; ++i) {
      for (int j = 0; j < N; ++j) {
        if (i != j) aff.push_back({t, i, j, z.R(i, j) - a.R(i, j)});
      }
      for (int x = 0; x < K; ++x) pos.push_back({t, i, x, z.x(i, x) - a.x(i, x)});
    }
  }
  const auto by_size = [](const Change& x, const Change& y) {
    return std::abs(x.delta) > std::abs(y.delta);
  };
  std::stable_sort(aff.begin(), aff.end(), by_size);
  std::stable_sort(pos.begin(), pos.end(), by_size);
  const auto actor = [&](int i) { return s.actors[static_cast<std::size_t>(i)].id; };
  for (std::size_t k = 0; k < aff.size() && k < 5 && aff[k].delta != 0.0; ++k) {
    const Change& c = aff[k];
    b.affinity_points.push_back(
        {c.t, "affinity(" + actor(c.i) + "," + actor(c.j) + ")", c.delta,
         driver_text(affinity_parts(rec[static_cast<std::size_t>(c.t)], s, N, c.i, c.j), s)});
  }
  for (std::size_t k = 0; k < pos.size() && k < 3 && pos[k].delta != 0.0; ++k) {
    const Change& c = pos[k];
    b.position_points.push_back(
        {c.t, "position(" + actor(c.i) + "," + s.axes[static_cast<std::size_t>(c.j)].id + ")",
         c.delta,
         driver_text(position_parts(rec[static_cast<std::size_t>(c.t)], s, K, c.i, c.j), s)});
  }
  b.blocs = model.needs_blocs;
  if (!model.needs_blocs) return;
  for (int t = 1; t <= T; ++t) {
    for (int i = 0; i < N; ++i) {
      const int was = session.state_at(t - 1).bloc[static_cast<std::size_t>(i)];
      const int is = session.state_at(t).bloc[static_cast<std::size_t>(i)];
      if (was == is) continue;
      // The drivers: the largest change of a relation of that actor at that step.
      Change best{t, i, i == 0 ? 1 : 0, 0.0};
      for (int j = 0; j < N; ++j) {
        if (j == i) continue;
        for (const auto& [x, y] : {std::pair{i, j}, std::pair{j, i}}) {
          const double d = session.state_at(t).R(x, y) - session.state_at(t - 1).R(x, y);
          if (std::abs(d) > std::abs(best.delta)) best = {t, x, y, d};
        }
      }
      b.bloc_changes.push_back(
          "step " + when(s, t) + ": " + actor(i) + " moves from bloc " + (was == 0 ? "A" : "B") +
          " to bloc " + (is == 0 ? "A" : "B") + "; its largest relation change: affinity(" +
          actor(best.i) + "," + actor(best.j) + ") " + fixed(best.delta) + " (" +
          top_parts(affinity_parts(rec[static_cast<std::size_t>(t)], s, N, best.i, best.j), s) +
          ")");
    }
  }
}

// The branch checked out in `session`.
BranchReview review_branch(const Session& session, const SessionBranch* parent,
                           const ReviewOptions& options) {
  const Scenario& base = session.base();
  const Scenario& s = session.scenario();
  const Model& model = session.model();
  const int T = session.step();
  const std::vector<SessionAction>& acts = session.actions();
  BranchReview b;
  b.name = session.branch();
  b.last_step = T;
  b.turns = session.turn() - 1;
  if (parent != nullptr) {
    b.parent = parent->name;
    while (static_cast<std::size_t>(b.shared) < std::min(acts.size(), parent->actions.size()) &&
           same_action(acts[static_cast<std::size_t>(b.shared)],
                       parent->actions[static_cast<std::size_t>(b.shared)]))
      ++b.shared;
    for (int k = 0; k < b.shared; ++k) {
      const SessionAction& a = acts[static_cast<std::size_t>(k)];
      if (a.kind == SessionAction::Kind::advance) b.fork_step = a.step + a.steps;
    }
  }

  const std::vector<Observable> obs = review_observables(s);
  std::vector<int> scored;
  for (int i = 0; i < s.actor_count(); ++i) {
    if (!s.actors[static_cast<std::size_t>(i)].objective.empty()) scored.push_back(i);
  }
  const int runs = std::max(1, options.runs);
  const auto with = end_values(model, T, runs, obs, scored);

  for (const Observable& o : obs) {
    const double a = observe(model, session.state_at(0), o), z = observe(model, session.state(), o);
    b.end.push_back({to_string(o, s), o.categorical(), value_text(o, a, s), value_text(o, z, s),
                     o.categorical() ? (a == z ? 0.0 : 1.0) : z - a});
  }
  for (int i : scored) {
    const double a = actor_score(model, session.state_at(0), i),
                 z = actor_score(model, session.state(), i);
    b.scores.push_back(
        {s.actors[static_cast<std::size_t>(i)].id, false, fixed(a), fixed(z), z - a});
  }

  for (std::size_t k = 0; k < acts.size(); ++k) {
    const SessionAction& a = acts[k];
    if (a.kind == SessionAction::Kind::advance) {
      if (static_cast<int>(k) >= b.shared)
        b.advances.push_back("turn " + std::to_string(a.turn) + ": steps " + when(s, a.step) +
                             " → " + when(s, a.step + a.steps));
      continue;
    }
    std::vector<ReviewedAction> made;
    if (a.kind == SessionAction::Kind::moves) {
      for (std::size_t m = 0; m < a.moves.size(); ++m) {
        const Move& move = base.moves[static_cast<std::size_t>(a.moves[m])];
        ReviewedAction r;
        r.kind = ReviewedAction::Kind::move;
        r.what = move.id;
        r.name = move.name;
        r.actor = base.actors[static_cast<std::size_t>(move.actor)].id;
        r.effects = describe(move.effects, base);
        r.event = a.events[m];
        made.push_back(std::move(r));
      }
    } else {
      ReviewedAction r;
      r.kind = a.kind == SessionAction::Kind::inject ? ReviewedAction::Kind::inject
                                                     : ReviewedAction::Kind::set;
      r.what = a.text;
      r.actor = "facilitator";
      r.label = a.label;
      r.reason = a.reason;
      r.effects = describe(a.effects, base);
      r.event = a.events.empty() ? "" : a.events[0];
      made.push_back(std::move(r));
    }
    for (ReviewedAction& r : made) {
      r.turn = a.turn;
      r.step = a.step;
      r.inherited = static_cast<int>(k) < b.shared;
      r.applied = a.step + 1 <= T && !r.event.empty();
      if (r.applied) {
        Scenario without = s;
        without.events[static_cast<std::size_t>(without.find_event(r.event))].enabled = false;
        const Model wm = compile(without);
        const auto wo = end_values(wm, T, runs, obs, scored);
        std::vector<Effect> numeric, categorical;
        for (std::size_t o = 0; o < obs.size(); ++o) {
          Effect e = effect_of(to_string(obs[o], s), &obs[o], s, o, with, wo);
          if (e.effect == 0.0 && e.low == 0.0 && e.high == 0.0) continue;
          (e.categorical ? categorical : numeric).push_back(std::move(e));
        }
        std::stable_sort(numeric.begin(), numeric.end(), [](const Effect& x, const Effect& y) {
          return std::abs(x.effect) > std::abs(y.effect);
        });
        if (!numeric.empty()) r.size = std::abs(numeric[0].effect);
        if (numeric.size() > static_cast<std::size_t>(options.top))
          numeric.resize(static_cast<std::size_t>(options.top));
        r.observables = std::move(numeric);
        for (Effect& e : categorical) r.observables.push_back(std::move(e));
        for (std::size_t k2 = 0; k2 < scored.size(); ++k2) {
          r.scores.push_back(effect_of(s.actors[static_cast<std::size_t>(scored[k2])].id, nullptr,
                                       s, obs.size() + k2, with, wo));
        }
      }
      b.actions.push_back(std::move(r));
    }
  }
  for (std::size_t k = 0; k < b.actions.size(); ++k) {
    if (b.actions[k].applied) b.ranking.push_back(static_cast<int>(k));
  }
  std::stable_sort(b.ranking.begin(), b.ranking.end(), [&](int x, int y) {
    return b.actions[static_cast<std::size_t>(x)].size >
           b.actions[static_cast<std::size_t>(y)].size;
  });
  turning_points(session, b);
  return b;
}

std::string kind_word(ReviewedAction::Kind k) {
  switch (k) {
    case ReviewedAction::Kind::move:
      return "move";
    case ReviewedAction::Kind::inject:
      return "inject";
    case ReviewedAction::Kind::set:
      return "override";
  }
  return "";
}

// "move `gift`", "inject `affinity = …`", "override `model.balance 0.08`"
std::string action_title(const ReviewedAction& a) {
  return kind_word(a.kind) + " `" + cell(a.what) + "`";
}

}  // namespace

Review review_session(Session& session, const std::string& log_name, const ReviewOptions& options) {
  Review review;
  review.scenario = session.base().name;
  review.log = log_name;
  review.seed = session.base().seed;
  review.runs = std::max(1, options.runs);
  review.checked_out = session.branch();
  const std::vector<SessionBranch> branches = session.branches();
  for (const SessionBranch& b : branches) {
    session.checkout(b.name);
    const SessionBranch* parent = nullptr;
    for (const SessionBranch& p : branches) {
      if (p.name == b.parent) parent = &p;
    }
    review.branches.push_back(review_branch(session, parent, options));
  }
  session.checkout(review.checked_out);
  return review;
}

namespace {

std::string steps_text(int a, int b) {
  return a == b ? "step " + std::to_string(a)
                : "steps " + std::to_string(a) + "–" + std::to_string(b);
}

std::string who(const ReviewedAction& a) {
  std::string out = a.actor;
  if (!a.label.empty()) out += " · " + a.label;
  return out;
}

std::string range_text(const Effect& e) {
  if (e.categorical) return "";
  if (e.low == e.high) return "the same in every run";
  return "[" + fixed(e.low) + ", " + fixed(e.high) + "]";
}

std::string effect_text(const Effect& e) {
  if (e.categorical) return "changed in " + fixed(100.0 * e.effect, "%.0f") + " % of runs";
  return fixed(e.effect);
}

void render_branch(std::string& md, const Review& r, const BranchReview& b) {
  md += "\n## Branch `" + b.name + "`\n\n";
  if (b.parent.empty()) {
    md += "The trunk: ";
  } else {
    md += "Forked from `" + b.parent + "` at step " + std::to_string(b.fork_step) +
          ", after the first " + std::to_string(b.shared) + " command(s) they share; ";
  }
  md += std::to_string(b.turns) + " turn(s) in all, " + steps_text(0, b.last_step) + ".\n";

  md += "\n### Actions\n\n";
  std::size_t own = 0;
  for (const ReviewedAction& a : b.actions) own += a.inherited ? 0 : 1;
  if (own == 0) {
    md += "No move, inject or override of its own.\n";
  } else {
    md += "| turn | step | action | who | effects | reason |\n|---|---|---|---|---|---|\n";
    for (const ReviewedAction& a : b.actions) {
      if (a.inherited) continue;
      std::string what = action_title(a);
      if (!a.name.empty()) what += ": " + cell(a.name);
      md += "| " + std::to_string(a.turn) + " | " + std::to_string(a.step) + " | " + what + " | " +
            cell(who(a)) + " | " + cell(a.effects) + " | " + cell(a.reason) + " |\n";
    }
  }
  if (!b.advances.empty()) {
    md += "\nAdvances:";
    for (std::size_t k = 0; k < b.advances.size(); ++k)
      md += std::string(k ? ";" : "") + " " + b.advances[k];
    md += ".\n";
  }

  md += "\n### Turning points\n\n";
  if (b.last_step == 0) {
    md += "No step was played.\n";
  } else {
    md +=
        "Largest one-step changes of affinity:\n\n| step | affinity | change | main drivers "
        "|\n|---|---|---|---|\n";
    for (const TurningPoint& p : b.affinity_points)
      md += "| " + std::to_string(p.step) + " | " + p.what + " | " + fixed(p.change) + " | " +
            cell(p.drivers) + " |\n";
    md +=
        "\nLargest one-step changes of position:\n\n| step | position | change | main drivers "
        "|\n|---|---|---|---|\n";
    if (b.position_points.empty()) md += "| | no position changed | | |\n";
    for (const TurningPoint& p : b.position_points)
      md += "| " + std::to_string(p.step) + " | " + p.what + " | " + fixed(p.change) + " | " +
            cell(p.drivers) + " |\n";
    if (b.blocs) {
      md += "\nBloc changes:\n\n";
      if (b.bloc_changes.empty()) md += "No actor changed bloc.\n";
      for (const std::string& line : b.bloc_changes) md += "- " + line + "\n";
    }
  }

  md += "\n### End state against the start\n\n| observable | step 0 | step " +
        std::to_string(b.last_step) + " | change |\n|---|---|---|---|\n";
  for (const EndValue& v : b.end) {
    md += "| " + v.name + " | " + v.start + " | " + v.end + " | " +
          (v.categorical ? (v.change != 0.0 ? "changed" : "") : fixed(v.change)) + " |\n";
  }
  if (!b.scores.empty()) {
    md += "\nScores (each actor's objective, MODEL.md §7):\n\n| actor | step 0 | step " +
          std::to_string(b.last_step) + " | change |\n|---|---|---|---|\n";
    for (const EndValue& v : b.scores)
      md += "| " + v.name + " | " + v.start + " | " + v.end + " | " + fixed(v.change) + " |\n";
  }

  md += "\n### Counterfactuals, largest effect first\n\n";
  if (b.ranking.empty()) {
    md += "No move, inject or override took effect before step " + std::to_string(b.last_step) +
          ".\n";
  } else {
    md += "Each action removed alone, " + std::to_string(r.runs) +
          " paired run(s) rerun with and without it; effect at step " +
          std::to_string(b.last_step) + ".\n\n";
    md += "| rank | action | turn | step | who | largest effect |";
    if (!b.scores.empty()) md += " on scores |";
    md += "\n|---|---|---|---|---|---|" + std::string(b.scores.empty() ? "" : "---|") + "\n";
    for (std::size_t k = 0; k < b.ranking.size(); ++k) {
      const ReviewedAction& a = b.actions[static_cast<std::size_t>(b.ranking[k])];
      std::string largest = "(no headline observable changed)";
      if (!a.observables.empty())
        largest = a.observables[0].name + " " + effect_text(a.observables[0]);
      md += "| " + std::to_string(k + 1) + " | " + action_title(a) +
            (a.inherited ? " (from `" + b.parent + "`)" : "") + " | " + std::to_string(a.turn) +
            " | " + std::to_string(a.step) + " | " + cell(who(a)) + " | " + largest + " |";
      if (!b.scores.empty()) {
        std::string sc;
        for (std::size_t q = 0; q < a.scores.size(); ++q)
          sc += (q ? "; " : "") + a.scores[q].name + " " + fixed(a.scores[q].effect);
        md += " " + sc + " |";
      }
      md += "\n";
    }
    for (std::size_t k = 0; k < b.ranking.size(); ++k) {
      const ReviewedAction& a = b.actions[static_cast<std::size_t>(b.ranking[k])];
      md += "\n" + std::to_string(k + 1) + ". " + action_title(a) + " (turn " +
            std::to_string(a.turn) + ", step " + std::to_string(a.step) + ", " + a.actor + ")";
      if (!a.label.empty()) md += ", label: " + a.label;
      if (!a.reason.empty()) md += ", reason: " + a.reason;
      md += "\n\n| observable | with | without | effect | mean over " + std::to_string(r.runs) +
            " runs | range |\n|---|---|---|---|---|---|\n";
      // Rows that would read +0.000 everywhere are left out.
      const auto visible = [](const Effect& e) {
        return e.categorical || std::abs(e.effect) >= 5e-4 || std::abs(e.low) >= 5e-4 ||
               std::abs(e.high) >= 5e-4 || std::abs(e.with - e.without) >= 5e-4;
      };
      if (std::none_of(a.observables.begin(), a.observables.end(), visible))
        md += "| (no headline observable changed by 0.0005 or more) | | | | | |\n";
      const auto row = [&](const std::string& name, const Effect& e) {
        md += "| " + name + " | " + e.with_text + " | " + e.without_text + " | " +
              (e.categorical ? (e.with == e.without ? "" : "changed") : fixed(e.with - e.without)) +
              " | " + effect_text(e) + " | " + range_text(e) + " |\n";
      };
      for (const Effect& e : a.observables) {
        if (visible(e)) row(e.name, e);
      }
      for (const Effect& e : a.scores) row("score(" + e.name + ")", e);
    }
  }
  std::vector<const ReviewedAction*> pending;
  for (const ReviewedAction& a : b.actions) {
    if (!a.applied) pending.push_back(&a);
  }
  if (!pending.empty()) {
    md += "\nNot yet in effect (made at the last step, they apply before step " +
          std::to_string(b.last_step + 1) + "):";
    for (std::size_t k = 0; k < pending.size(); ++k)
      md += std::string(k ? "," : "") + " " + action_title(*pending[k]);
    md += ".\n";
  }
}

}  // namespace

std::string review_markdown(const Review& r) {
  std::string md = "# Debrief: " + r.scenario + "\n\n";
  md += "Session log `" + r.log + "`: " + std::to_string(r.branches.size()) + " branch(es) (";
  for (std::size_t k = 0; k < r.branches.size(); ++k)
    md += std::string(k ? ", " : "") + "`" + r.branches[k].name + "`";
  md += "), `" + r.checked_out + "` checked out at the end; seed " + std::to_string(r.seed) +
        " (the session is run 0).\n\n";
  md += "Counterfactuals: every move, inject and override is removed alone and runs 0–" +
        std::to_string(r.runs - 1) +
        " of the same seed are rerun with and without it (common random numbers). *with* and "
        "*without* are the session's run 0; *effect* is their difference; the mean and range "
        "are over the " +
        std::to_string(r.runs) +
        " paired runs. Actions are ranked by the largest mean effect on a numeric headline "
        "observable (the scenario's `[output] observables`).\n";
  for (const BranchReview& b : r.branches) render_branch(md, r, b);
  return md;
}

std::string review_markdown(Session& session, const std::string& log_name,
                            const ReviewOptions& options) {
  return review_markdown(review_session(session, log_name, options));
}

}  // namespace entente
