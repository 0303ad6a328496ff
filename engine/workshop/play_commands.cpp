// The commands of `entente play` (docs/workshops.md): one line in, text out.
// Every command checks its arguments before it changes anything; a refused
// command leaves the session as it was.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "entente/model/events.hpp"
#include "entente/run/summary.hpp"
#include "entente/util/diagnostics.hpp"
#include "entente/workshop/play.hpp"
#include "util/atomic_file.hpp"
#include "util/format.hpp"
#include "util/suggest.hpp"

namespace entente {

namespace fs = std::filesystem;

namespace {

const std::vector<std::string>& command_names() {
  static const std::vector<std::string> names = {
      "advance",  "move", "moves",   "inject", "set",    "why",  "ensemble", "branch",
      "checkout", "undo", "history", "save",   "status", "help", "quit"};
  return names;
}

// Splits a command line into words; "double quoted" words may hold blanks
// and \" or \\. Throws SessionError for an unterminated quote.
std::vector<std::string> split_words(std::string_view line) {
  std::vector<std::string> out;
  std::size_t k = 0;
  while (k < line.size()) {
    while (k < line.size() && (line[k] == ' ' || line[k] == '\t')) ++k;
    if (k >= line.size()) break;
    std::string word;
    bool quoted = false;
    while (k < line.size() && (quoted || (line[k] != ' ' && line[k] != '\t'))) {
      const char c = line[k++];
      if (c == '"') {
        quoted = !quoted;
      } else if (quoted && c == '\\' && k < line.size()) {
        word += line[k++];
      } else {
        word += c;
      }
    }
    if (quoted) throw SessionError("unterminated quote in: " + std::string(line));
    out.push_back(std::move(word));
  }
  return out;
}

int integer_arg(const std::string& word, const std::string& what, int lo, int hi) {
  int v = 0;
  const char* end = word.data() + word.size();
  const auto r = std::from_chars(word.data(), end, v);
  if (r.ec != std::errc() || r.ptr != end || v < lo || v > hi) {
    throw SessionError(what + " must be a whole number in [" + std::to_string(lo) + ", " +
                       std::to_string(hi) + "] (got '" + word + "')");
  }
  return v;
}

using detail::fixed;

void expect_count(const std::vector<std::string>& w, std::size_t lo, std::size_t hi,
                  const char* usage) {
  if (w.size() - 1 < lo || w.size() - 1 > hi) throw SessionError(std::string("usage: ") + usage);
}

int actor_arg(const Scenario& s, const std::string& id) {
  const int i = s.find_actor(id);
  if (i < 0) {
    std::vector<std::string> ids;
    for (const auto& a : s.actors) ids.push_back(a.id);
    throw SessionError("unknown actor '" + id + "'" + detail::suggestion(id, ids));
  }
  return i;
}

}  // namespace

Workshop::Workshop(Session& session, WorkshopOptions options)
    : session_(&session), options_(std::move(options)) {}

std::string Workshop::help() {
  return "commands:\n"
         "  advance [K]              play K steps (default: one turn)\n"
         "  move ID...               play moves from the menu this turn (`move` lists them)\n"
         "  inject EFFECT            an ad-hoc effect, one list in the syntax of events:\n"
         "                           inject affinity = [{from=\"RUS\", to=\"ARM\", delta=-0.1}]\n"
         "  set PATH VALUE --reason \"...\"   overrule the model (model.balance, affinity.I.J,\n"
         "                           actors.I.position.AXIS, institutions.G.members.I,\n"
         "                           interdependence.I.J, weights.I.J, issues.Q.regime)\n"
         "  why I J                  what drove affinity(I,J) over the last turn\n"
         "  ensemble [N] [K]         the spread of N runs over the next K steps\n"
         "  branch [NAME]            fork the session here (no NAME: list branches)\n"
         "  checkout NAME            switch to a branch\n"
         "  undo                     take back the last advance, move, inject or set\n"
         "  history                  what was done on this branch\n"
         "  save FILE                write the session as a scenario for `entente run`\n"
         "  status                   show the dashboard again\n"
         "  help                     this text\n"
         "  quit                     end the session\n"
         "Moves, injects and overrides made at step t take effect at step t + 1.\n";
}

CommandResult Workshop::execute(std::string_view line) {
  try {
    const std::vector<std::string> words = split_words(line);
    if (words.empty()) return {};
    return run(words, line);
  } catch (const SessionError& e) {
    CommandResult r;
    r.ok = false;
    r.output = std::string("error: ") + e.what() + "\n";
    return r;
  } catch (const InputError& e) {
    CommandResult r;
    r.ok = false;
    r.output = std::string(e.what()) + "\n";
    return r;
  }
}

CommandResult Workshop::run(const std::vector<std::string>& w, std::string_view line) {
  Session& s = *session_;
  const Scenario& sc = s.base();
  const std::string& cmd = w[0];
  CommandResult r;
  if (cmd == "help" || cmd == "?") {
    r.output = help();
  } else if (cmd == "quit" || cmd == "exit") {
    expect_count(w, 0, 0, "quit");
    r.quit = true;
  } else if (cmd == "status") {
    r.output = dashboard();
  } else if (cmd == "advance") {
    expect_count(w, 0, 1, "advance [K]");
    const int k = w.size() == 2 ? integer_arg(w[1], "K", 1, 1000000)
                                : std::min(s.turn_steps(), std::max(1, sc.steps - s.step()));
    s.advance(k);
    r.changes_state = true;
    r.log_fields.emplace_back("steps", std::to_string(k));
    r.output = dashboard();
  } else if ((cmd == "move" && w.size() == 1) || cmd == "moves") {
    expect_count(w, 0, 0, "moves");
    if (sc.moves.empty()) return {"this scenario has no [[moves]]\n", true, false, false, {}};
    std::string out = "moves (cost; budget left this turn):\n";
    for (const Move& m : sc.moves) {
      const Actor& a = sc.actors[static_cast<std::size_t>(m.actor)];
      const bool ok = m.available_when.empty() ||
                      evaluate(m.available_when, m.available_when.root(), [&](const Observable& o) {
                        return observe(s.model(), s.state(), o);
                      });
      out += "  " + a.id + "  " + m.id + " (" + fixed(m.cost, "%g") + ")  " + m.name +
             (ok ? "" : "  [not available: " + m.available_when_text + "]") + "\n";
    }
    out += "  budgets left:";
    for (std::size_t i = 0; i < sc.actors.size(); ++i) {
      const Actor& a = sc.actors[i];
      if (a.budget) out += " " + a.id + " " + fixed(*a.budget - s.spent(static_cast<int>(i)), "%g");
    }
    r.output = out + "\n";
  } else if (cmd == "move") {
    const std::vector<std::string> ids(w.begin() + 1, w.end());
    s.play(ids);
    r.changes_state = true;
    const SessionAction& a = s.actions().back();
    std::string effects;
    for (std::size_t k = 0; k < a.moves.size(); ++k) {
      const Move& m = sc.moves[static_cast<std::size_t>(a.moves[k])];
      const Actor& actor = sc.actors[static_cast<std::size_t>(m.actor)];
      r.output +=
          actor.id + " plays " + m.id + ": " + m.name + "\n    " + describe(m.effects, sc) + "\n";
      if (actor.budget) {
        r.output += "    cost " + fixed(m.cost, "%g") + "; " + actor.id + " has " +
                    fixed(*actor.budget - s.spent(m.actor), "%g") + " left this turn\n";
      }
      effects += (k ? " | " : "") + m.id + ": " + describe(m.effects, sc);
    }
    r.output += "  (takes effect at step " + std::to_string(a.step + 1) + ")\n";
    r.log_fields.emplace_back("effects", effects);
  } else if (cmd == "inject") {
    const std::size_t at = line.find("inject") + 6;
    std::size_t start = at;
    while (start < line.size() && (line[start] == ' ' || line[start] == '\t')) ++start;
    const std::string text(line.substr(start));
    if (text.empty())
      throw SessionError(
          "usage: inject EFFECT, e.g. inject affinity = [{from=\"RUS\", to=\"ARM\", delta=-0.1}]");
    s.inject(text, static_cast<int>(start) + 1);
    r.changes_state = true;
    const std::string d = describe(s.actions().back().effects, sc);
    r.output = "inject: " + d + "  (takes effect at step " + std::to_string(s.step() + 1) + ")\n";
    r.log_fields.emplace_back("effects", d);
  } else if (cmd == "set") {
    std::vector<std::string> args;
    std::string reason;
    bool has_reason = false;
    for (std::size_t k = 1; k < w.size(); ++k) {
      if (w[k] == "--reason") {
        if (k + 1 >= w.size()) throw SessionError("--reason needs a text: --reason \"...\"");
        reason = w[++k];
        has_reason = true;
      } else if (w[k].rfind("--reason=", 0) == 0) {
        reason = w[k].substr(9);
        has_reason = true;
      } else {
        args.push_back(w[k]);
      }
    }
    if (args.size() != 2) throw SessionError("usage: set PATH VALUE --reason \"...\"");
    if (!has_reason) {
      throw SessionError("set needs a reason: set " + args[0] + " " + args[1] +
                         " --reason \"why the model is overruled\"");
    }
    s.set(args[0], args[1], reason);
    r.changes_state = true;
    const std::string d = describe(s.actions().back().effects, sc);
    r.output = "override: " + d + " because " + reason + "  (takes effect at step " +
               std::to_string(s.step() + 1) + ")\n";
    r.log_fields.emplace_back("effects", d);
    r.log_fields.emplace_back("reason", reason);
  } else if (cmd == "why") {
    expect_count(w, 2, 2, "why I J");
    const int i = actor_arg(sc, w[1]), j = actor_arg(sc, w[2]);
    if (i == j) throw SessionError("why needs two different actors");
    const auto drivers = s.why(i, j);
    const int t0 = s.last_turn_start();
    const double a = s.state_at(t0).R(i, j), b = s.state().R(i, j);
    std::string out = "affinity(" + w[1] + "," + w[2] + ") went from " + fixed(a) + " to " +
                      fixed(b) + " (" + fixed(b - a) + ") over steps " + std::to_string(t0) + "→" +
                      std::to_string(s.step()) + ":\n";
    double sum = 0.0;
    for (const auto& d : drivers) {
      char buf[256];
      std::snprintf(buf, sizeof buf, "  %+.4f  %s\n", d.value,
                    driver_words(d.name, s.scenario()).c_str());
      out += buf;
      sum += d.value;
    }
    if (drivers.empty()) out += "  nothing moved it\n";
    out += "  (" + std::to_string(drivers.size()) + " drivers; they add up to " +
           fixed(sum, "%+.4f") + ")\n";
    r.output = out;
  } else if (cmd == "ensemble") {
    expect_count(w, 0, 2, "ensemble [N] [K]");
    const int n = w.size() >= 2 ? integer_arg(w[1], "N", 1, 100000) : 100;
    const int left = sc.steps - s.step();
    const int k =
        w.size() >= 3 ? integer_arg(w[2], "K", 1, 1000000) : std::min(s.turn_steps(), left);
    if (left == 0) throw SessionError("the scenario ends here; nothing to look ahead at");
    const auto obs = main_observables();
    const LookAhead la = s.look_ahead(n, k, obs);
    std::string out = "ensemble: runs 1…" + std::to_string(n) + " of seed " +
                      std::to_string(s.scenario().seed) + ", from step " +
                      std::to_string(s.step()) + " to " + std::to_string(s.step() + k) + "\n";
    for (std::size_t o = 0; o < obs.size(); ++o) {
      std::vector<double> v = la.values[o];
      const std::string name = to_string(obs[o], s.scenario());
      if (obs[o].categorical()) {
        const auto cats = categories(obs[o], s.scenario());
        out += "  " + name + ":";
        for (std::size_t c = 0; c < cats.size(); ++c) {
          const auto count = std::count(v.begin(), v.end(), static_cast<double>(c));
          if (count > 0) out += " " + cats[c] + " " + fixed(100.0 * count / n, "%.0f") + "%";
        }
        out += "\n";
        continue;
      }
      const Stats st = compute_stats(v);
      char buf[256];
      std::snprintf(buf, sizeof buf, "  %-28s median %s  5–95%% [%s, %s]\n", name.c_str(),
                    fixed(st.quantile[2]).c_str(), fixed(st.quantile[0]).c_str(),
                    fixed(st.quantile[4]).c_str());
      out += buf;
    }
    r.output = out;
    r.log_fields.emplace_back("seed", std::to_string(s.scenario().seed));
    r.log_fields.emplace_back("runs", "1-" + std::to_string(n));
    r.log_fields.emplace_back("steps", std::to_string(k));
  } else if (cmd == "branch") {
    expect_count(w, 0, 1, "branch [NAME]");
    if (w.size() == 1) {
      for (const auto& b : s.branches()) {
        r.output += std::string(b.name == s.branch() ? "* " : "  ") + b.name + " (" +
                    std::to_string(b.actions.size()) + " actions" +
                    (b.parent.empty() ? "" : ", forked from " + b.parent) + ")\n";
      }
      return r;
    }
    s.fork(w[1]);
    r.changes_state = true;
    r.output = "on new branch " + w[1] + " (a copy of the session at step " +
               std::to_string(s.step()) + ")\n";
  } else if (cmd == "checkout") {
    expect_count(w, 1, 1, "checkout NAME");
    s.checkout(w[1]);
    r.changes_state = true;
    r.output = "on branch " + w[1] + "\n" + dashboard();
  } else if (cmd == "undo") {
    expect_count(w, 0, 0, "undo");
    s.undo();
    r.changes_state = true;
    r.output = "undone; back at turn " + std::to_string(s.turn()) + ", step " +
               std::to_string(s.step()) + "\n";
  } else if (cmd == "history") {
    expect_count(w, 0, 0, "history");
    std::string out = "branch " + s.branch() + ":\n";
    int n = 0;
    for (const SessionAction& a : s.actions()) {
      out += "  " + std::to_string(++n) + ". turn " + std::to_string(a.turn) + ", step " +
             std::to_string(a.step) + ": ";
      switch (a.kind) {
        case SessionAction::Kind::advance:
          out +=
              "advance " + std::to_string(a.steps) + " → step " + std::to_string(a.step + a.steps);
          break;
        case SessionAction::Kind::moves:
          out += "move";
          for (int m : a.moves) out += " " + sc.moves[static_cast<std::size_t>(m)].id;
          break;
        case SessionAction::Kind::inject:
          out += "inject " + a.text;
          break;
        case SessionAction::Kind::set:
          out += "set " + a.text + " (reason: " + a.reason + ")";
          break;
      }
      out += "\n";
    }
    if (n == 0) out += "  (nothing yet)\n";
    r.output = out;
  } else if (cmd == "save") {
    expect_count(w, 1, 1, "save FILE");
    const std::string text = s.saved_scenario(options_.scenario_file, w[1]);
    if (!options_.replaying) {
      try {
        detail::write_file_atomically(w[1], text);
      } catch (const std::exception& e) {
        throw SessionError("cannot write '" + w[1] + "': " + e.what());
      }
    }
    r.output = "saved to " + w[1] + " (`entente run " + w[1] + "` replays steps 0–" +
               std::to_string(s.step()) + ")\n";
    r.log_fields.emplace_back("file", w[1]);
  } else {
    throw SessionError("unknown command '" + cmd + "'" + detail::suggestion(cmd, command_names()) +
                       "; type help");
  }
  return r;
}

}  // namespace entente
