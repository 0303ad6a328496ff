// The dashboard `entente play` shows after each turn: the main relations and
// positions, their change over the last turn, a 5–95 % band from a quick
// look-ahead ensemble, blocs, regimes, fired events and budgets.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>

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

namespace {

// Display columns of UTF-8 text: one per code point (the dashboard's
// characters are all one column wide).
std::size_t columns(std::string_view text) {
  std::size_t n = 0;
  for (const char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// `text` cut to `width` columns, with "…" when something was cut.
std::string fit(const std::string& text, std::size_t width) {
  if (columns(text) <= width) return text;
  std::string out;
  std::size_t n = 0;
  for (std::size_t k = 0; k < text.size(); ++k) {
    const bool starts = (static_cast<unsigned char>(text[k]) & 0xC0) != 0x80;
    if (starts && ++n > width - 1) break;
    out += text[k];
  }
  return out + "…";
}

std::string pad_right(const std::string& text, std::size_t width) {
  const std::size_t n = columns(text);
  return n >= width ? text : text + std::string(width - n, ' ');
}

std::string pad_left(const std::string& text, std::size_t width) {
  const std::size_t n = columns(text);
  return n >= width ? text : std::string(width - n, ' ') + text;
}

// Items packed into lines of `width` columns: the first starts with `first`,
// the others with `next`; at most `max_lines` lines (0: no limit), the last
// then ending with "+N more events (status --full)".
std::vector<std::string> pack(const std::vector<std::string>& items, const std::string& first,
                              const std::string& next, std::size_t width, std::size_t max_lines) {
  std::vector<std::vector<std::size_t>> lines;
  std::size_t used = 0;
  for (std::size_t k = 0; k < items.size(); ++k) {
    const std::string item = items[k] + (k + 1 < items.size() ? "," : "");
    const std::size_t w = columns(item);
    if (lines.empty() || used + 1 + w > width) {
      lines.emplace_back();
      used = columns(lines.size() == 1 ? first : next) + w;
    } else {
      used += 1 + w;
    }
    lines.back().push_back(k);
  }
  const auto text = [&](std::size_t l, const std::vector<std::size_t>& ks,
                        const std::string& tail) {
    std::string out = l == 0 ? first : next;
    for (std::size_t k : ks) out += (k == ks.front() ? "" : " ") + items[k] + ",";
    if (tail.empty()) {
      if (!ks.empty() && ks.back() + 1 == items.size()) out.pop_back();  // the last item
    } else {
      out += (ks.empty() ? "" : " ") + tail;
    }
    return out;
  };
  std::vector<std::string> out;
  if (max_lines == 0 || lines.size() <= max_lines) {
    for (std::size_t l = 0; l < lines.size(); ++l) out.push_back(text(l, lines[l], ""));
    return out;
  }
  for (std::size_t l = 0; l + 1 < max_lines; ++l) out.push_back(text(l, lines[l], ""));
  std::vector<std::size_t> last = lines[max_lines - 1];
  std::size_t shown = 0;
  for (std::size_t l = 0; l + 1 < max_lines; ++l) shown += lines[l].size();
  while (true) {
    const std::string tail =
        "+" + std::to_string(items.size() - shown - last.size()) + " more events (status --full)";
    const std::string line = text(max_lines - 1, last, tail);
    if (columns(line) <= width || last.empty()) {
      out.push_back(line);
      break;
    }
    last.pop_back();
  }
  return out;
}

}  // namespace

std::string Workshop::dashboard(bool full, int max_lines) const {
  const Session& s = *session_;
  const Scenario& sc = s.scenario();
  const Model& model = s.model();
  const std::size_t width = kDashboardColumns;
  const int t = s.step();
  const int t0 = std::max(0, s.last_turn_start());

  // The header; a long scenario name is shortened first.
  std::string when = "step " + std::to_string(t);
  if (sc.start) when += " (" + step_date(*sc.start, sc.step_unit, t) + ")";
  const std::string tail = " · turn " + std::to_string(s.turn()) + " · " + when + " of " +
                           std::to_string(sc.steps) + " · branch " + s.branch();
  std::string header = "── " + sc.name + tail;
  if (!full && columns(header) > width) {
    const std::size_t room = width - std::min(width, columns("── " + tail));
    header = room >= 8 ? "── " + fit(sc.name, room) + tail : fit(header, width);
  }

  // The look-ahead: one turn, or what is left (Session::steps_ahead); none
  // at the last step.
  const std::vector<Observable> obs = main_observables();
  const int ahead = s.steps_left() > 0 ? s.steps_ahead(0, "") : 0;
  LookAhead la;
  if (options_.lookahead_runs > 0 && ahead > 0)
    la = s.look_ahead(options_.lookahead_runs, ahead, obs);
  const std::string band_title = la.runs > 0 ? "step " + std::to_string(t + ahead) + " 5–95%"
                                             : (ahead == 0 ? "(last step: no look-ahead)" : "");
  const std::size_t band_width = la.runs > 0 ? 16 : 0;  // "[-0.123, +0.456]"
  std::size_t name_width = 12;
  for (const Observable& o : obs) name_width = std::max(name_width, columns(to_string(o, sc)));
  if (!full) name_width = std::min(name_width, width - 23 - band_width);
  const auto row = [&](const std::string& name, const std::string& now, const std::string& delta,
                       const std::string& band) {
    std::string r = "  " + pad_right(full ? name : fit(name, name_width), name_width) + " " +
                    pad_left(now, 8) + " " + pad_left(delta, 8) + "   " + band;
    while (!r.empty() && r.back() == ' ') r.pop_back();
    return r;
  };
  std::vector<std::string> rows;
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
    rows.push_back(row(to_string(obs[o], sc), fixed(now), fixed(now - before), band));
  }

  std::vector<std::string> after;  // blocs, regimes (before the events)
  if (model.needs_blocs) {
    std::string a, b;
    for (int i = 0; i < model.n; ++i) {
      std::string& side = s.state().bloc[static_cast<std::size_t>(i)] == 0 ? a : b;
      side += (side.empty() ? "" : " ") + sc.actors[static_cast<std::size_t>(i)].id;
    }
    after.push_back("  blocs: A = {" + a + "}  B = {" + b + "}");
  }
  if (!sc.issues.empty()) {
    std::string line = "  regimes:";
    for (std::size_t q = 0; q < sc.issues.size(); ++q) {
      line += " " + sc.issues[q].id + " = " +
              sc.issues[q].options[static_cast<std::size_t>(s.state().regime[q])];
    }
    after.push_back(line);
  }
  std::string budgets;
  for (std::size_t i = 0; i < sc.actors.size(); ++i) {
    const Actor& a = sc.actors[i];
    if (!a.budget) continue;
    char buf[64];
    std::snprintf(buf, sizeof buf, " %g", *a.budget - s.spent(static_cast<int>(i)));
    budgets += " " + a.id + buf;
  }
  if (!budgets.empty()) budgets = "  budgets left this turn:" + budgets;

  std::vector<std::string> events;  // "id (step u)"
  for (int u = t0 + 1; u <= t; ++u) {
    for (const std::string& id : s.fired_at(u))
      events.push_back(id + " (step " + std::to_string(u) + ")");
  }

  std::vector<std::string> lines{header, row("observable", "now", "Δ turn", band_title)};
  if (full) {
    lines.insert(lines.end(), rows.begin(), rows.end());
    lines.insert(lines.end(), after.begin(), after.end());
    if (!events.empty()) {
      lines.push_back("  fired this turn:");
      for (int u = t0 + 1; u <= t; ++u) {
        for (const std::string& id : s.fired_at(u))
          lines.push_back("  step " + std::to_string(u) + ": " + id);
      }
    }
    if (!budgets.empty()) lines.push_back(budgets);
  } else {
    // Every line fits `width`; the lists share what is left of `max_lines`:
    // the events get at least two lines, the observables the rest
    // ("+K more observables" when cut), then the events what they left.
    for (std::string& line : after) line = fit(line, width);
    budgets = fit(budgets, width);
    const std::string first = "  fired this turn: ", next = "    ";
    const std::size_t event_lines = pack(events, first, next, width, 0).size();
    const int fixed_lines = 2 + static_cast<int>(after.size()) + (budgets.empty() ? 0 : 1);
    const int left = std::max(0, max_lines - fixed_lines);
    const int for_rows =
        std::max(0, left - static_cast<int>(std::min<std::size_t>(event_lines, 2)));
    if (static_cast<int>(rows.size()) <= for_rows) {
      lines.insert(lines.end(), rows.begin(), rows.end());
    } else {
      const int shown = std::max(0, for_rows - 1);
      lines.insert(lines.end(), rows.begin(), rows.begin() + shown);
      lines.push_back("  +" + std::to_string(rows.size() - static_cast<std::size_t>(shown)) +
                      " more observables (status --full)");
    }
    lines.insert(lines.end(), after.begin(), after.end());
    const int for_events = max_lines - static_cast<int>(lines.size()) - (budgets.empty() ? 0 : 1);
    if (!events.empty() && for_events > 0) {
      for (std::string& line :
           pack(events, first, next, width, static_cast<std::size_t>(for_events)))
        lines.push_back(std::move(line));
    }
    if (!budgets.empty()) lines.push_back(budgets);
  }
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

}  // namespace entente
