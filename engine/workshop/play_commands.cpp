// The commands of `entente play` (docs/workshops.md): one line in, text out.
// Every command checks its arguments before it changes anything; a refused
// command leaves the session as it was.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>

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
      "checkout", "undo", "history", "save",   "status", "help", "quit",     "dashboard"};
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

// --label and --reason, as `--label TEXT` or `--label=TEXT`, anywhere after
// the command; the other words are returned in order.
struct LabelledArgs {
  std::vector<std::string> args;
  std::string label, reason;
  bool has_reason = false;
};

LabelledArgs labelled_args(const std::vector<std::string>& w, std::size_t first) {
  LabelledArgs out;
  for (std::size_t k = first; k < w.size(); ++k) {
    std::string* target = nullptr;
    std::string value;
    for (const char* option : {"--label", "--reason"}) {
      const std::string o = option;
      if (w[k] == o) {
        if (k + 1 >= w.size()) throw SessionError(o + " needs a text: " + o + " \"...\"");
        value = w[++k];
      } else if (w[k].rfind(o + "=", 0) == 0) {
        value = w[k].substr(o.size() + 1);
      } else {
        continue;
      }
      target = o == "--label" ? &out.label : &out.reason;
      if (o == "--label" && value.empty())
        throw SessionError("--label needs a text: --label \"...\"");
      if (o == "--reason") out.has_reason = true;
      break;
    }
    if (target != nullptr) {
      *target = value;
    } else {
      out.args.push_back(w[k]);
    }
  }
  return out;
}

// Where the options of `inject EFFECT [--label …] [--reason …]` begin in
// `text` (EFFECT's TOML is skipped: strings and brackets), or npos.
std::size_t inject_options(std::string_view text) {
  int depth = 0;
  char quote = 0;
  for (std::size_t k = 0; k < text.size(); ++k) {
    const char c = text[k];
    if (quote != 0) {
      if (quote == '"' && c == '\\') {
        ++k;
      } else if (c == quote) {
        quote = 0;
      }
      continue;
    }
    if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if (c == ']' || c == '}') {
      --depth;
    } else if (depth == 0 && c == '-' && (k == 0 || text[k - 1] == ' ' || text[k - 1] == '\t')) {
      for (std::string_view o : {std::string_view("--label"), std::string_view("--reason")}) {
        const std::size_t e = k + o.size();
        if (text.substr(k, o.size()) == o &&
            (e == text.size() || text[e] == ' ' || text[e] == '\t' || text[e] == '='))
          return k;
      }
    }
  }
  return std::string_view::npos;
}

std::string quoted_label(const std::string& label) {
  return label.empty() ? "" : " \"" + label + "\"";
}

std::string takes_effect(int step) {
  return "  (takes effect at step " + std::to_string(step + 1) + ")\n";
}

// --- text of the commands that report (computation apart) --------------------

struct MenuEntry {
  const Move* move;
  bool available;
};

std::string menu_text(const Session& s, const std::vector<MenuEntry>& menu) {
  const Scenario& sc = s.base();
  std::string out = "moves (cost; budget left this turn):\n";
  for (const MenuEntry& e : menu) {
    const Move& m = *e.move;
    const Actor& a = sc.actors[static_cast<std::size_t>(m.actor)];
    out += "  " + a.id + "  " + m.id + " (" + fixed(m.cost, "%g") + ")  " + m.name +
           (e.available ? "" : "  [not available: " + m.available_when_text + "]") + "\n";
  }
  out += "  budgets left:";
  for (std::size_t i = 0; i < sc.actors.size(); ++i) {
    const Actor& a = sc.actors[i];
    if (a.budget) out += " " + a.id + " " + fixed(*a.budget - s.spent(static_cast<int>(i)), "%g");
  }
  return out + "\n";
}

std::string played_text(const Session& s, const SessionAction& a) {
  const Scenario& sc = s.base();
  std::string out;
  for (std::size_t k = 0; k < a.moves.size(); ++k) {
    const Move& m = sc.moves[static_cast<std::size_t>(a.moves[k])];
    const Actor& actor = sc.actors[static_cast<std::size_t>(m.actor)];
    out += actor.id + " plays " + m.id + ": " + m.name + "\n    " + describe(m.effects, sc) + "\n";
    if (actor.budget) {
      out += "    cost " + fixed(m.cost, "%g") + "; " + actor.id + " has " +
             fixed(*actor.budget - s.spent(m.actor), "%g") + " left this turn\n";
    }
  }
  return out + takes_effect(a.step);
}

std::string played_effects(const Scenario& sc, const SessionAction& a) {
  std::string effects;
  for (std::size_t k = 0; k < a.moves.size(); ++k) {
    const Move& m = sc.moves[static_cast<std::size_t>(a.moves[k])];
    effects += (k ? " | " : "") + m.id + ": " + describe(m.effects, sc);
  }
  return effects;
}

struct WhyReport {
  std::string from, to;  // the actor ids as typed
  int t0 = 0, t1 = 0;
  double before = 0.0, after = 0.0;
  std::vector<DriverSum> drivers;
};

// The reason given for the session action an event came from ("" if none).
std::string reason_of_event(const Session& s, const std::string& driver) {
  if (driver.rfind("event:", 0) != 0) return "";
  const std::string id = driver.substr(6);
  for (const SessionAction& a : s.actions()) {
    if (std::find(a.events.begin(), a.events.end(), id) != a.events.end()) return a.reason;
  }
  return "";
}

std::string why_text(const Session& s, const WhyReport& w) {
  std::string out = "affinity(" + w.from + "," + w.to + ") went from " + fixed(w.before) + " to " +
                    fixed(w.after) + " (" + fixed(w.after - w.before) + ") over steps " +
                    std::to_string(w.t0) + "→" + std::to_string(w.t1) + ":\n";
  double sum = 0.0;
  for (const auto& d : w.drivers) {
    std::string words = driver_words(d.name, s.scenario());
    const std::string reason = reason_of_event(s, d.name);
    if (!reason.empty()) words += " (because " + reason + ")";
    char buf[64];
    std::snprintf(buf, sizeof buf, "  %+.4f  ", d.value);
    out += buf + words + "\n";
    sum += d.value;
  }
  if (w.drivers.empty()) out += "  nothing moved it\n";
  out += "  (" + std::to_string(w.drivers.size()) + " drivers; they add up to " +
         fixed(sum, "%+.4f") + ")\n";
  return out;
}

std::string ensemble_text(const Session& s, const LookAhead& la) {
  const Scenario& sc = s.scenario();
  const int n = la.runs;
  std::string out = "ensemble: runs 1…" + std::to_string(n) + " of seed " +
                    std::to_string(sc.seed) + ", from step " + std::to_string(s.step()) + " to " +
                    std::to_string(s.step() + la.steps) + "\n";
  for (std::size_t o = 0; o < la.observables.size(); ++o) {
    const Observable& ob = la.observables[o];
    std::vector<double> v = la.values[o];
    const std::string name = to_string(ob, sc);
    if (ob.categorical()) {
      const auto cats = categories(ob, sc);
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
  return out;
}

std::string branches_text(const Session& s) {
  std::string out;
  for (const auto& b : s.branches()) {
    out += std::string(b.name == s.branch() ? "* " : "  ") + b.name + " (" +
           std::to_string(b.actions.size()) + " actions" +
           (b.parent.empty() ? "" : ", forked from " + b.parent) + ")\n";
  }
  return out;
}

std::string history_text(const Session& s) {
  const Scenario& sc = s.base();
  std::string out = "branch " + s.branch() + ":\n";
  int n = 0;
  for (const SessionAction& a : s.actions()) {
    out += "  " + std::to_string(++n) + ". turn " + std::to_string(a.turn) + ", step " +
           std::to_string(a.step) + ": ";
    switch (a.kind) {
      case SessionAction::Kind::advance:
        out += "advance " + std::to_string(a.steps) + " → step " + std::to_string(a.step + a.steps);
        break;
      case SessionAction::Kind::moves:
        out += "move";
        for (int m : a.moves) out += " " + sc.moves[static_cast<std::size_t>(m)].id;
        break;
      case SessionAction::Kind::inject:
        out += "inject" + quoted_label(a.label) + " " + a.text;
        if (!a.reason.empty()) out += " (reason: " + a.reason + ")";
        break;
      case SessionAction::Kind::set:
        out += "set" + quoted_label(a.label) + " " + a.text + " (reason: " + a.reason + ")";
        break;
    }
    out += "\n";
  }
  if (n == 0) out += "  (nothing yet)\n";
  return out;
}

}  // namespace

// One handler per command: it checks the arguments, asks the session, and
// turns the answer into text. The table maps each name (and alias) to it.
struct WorkshopCommands {
  using Words = std::vector<std::string>;
  using Handler = CommandResult (*)(Workshop&, const Words&, std::string_view);

  static CommandResult help(Workshop&, const Words&, std::string_view) {
    CommandResult r;
    r.output = Workshop::help();
    return r;
  }

  static CommandResult quit(Workshop&, const Words& w, std::string_view) {
    expect_count(w, 0, 0, "quit");
    CommandResult r;
    r.quit = true;
    return r;
  }

  static CommandResult status(Workshop& ws, const Words& w, std::string_view) {
    const bool full = w.size() == 2 && w[1] == "--full";
    if (w.size() > 2 || (w.size() == 2 && !full))
      throw SessionError("usage: " + w[0] + " [--full]");
    CommandResult r;
    r.output = ws.dashboard(full);
    return r;
  }

  static CommandResult advance(Workshop& ws, const Words& w, std::string_view) {
    Session& s = *ws.session_;
    expect_count(w, 0, 1, "advance [K]");
    const int k = s.steps_ahead(w.size() == 2 ? integer_arg(w[1], "K", 1, 1000000) : 0,
                                "save the session or undo");
    s.advance(k);
    CommandResult r;
    r.changes_state = true;
    r.log_fields.emplace_back("steps", std::to_string(k));
    r.output = ws.dashboard();
    return r;
  }

  static CommandResult menu(Workshop& ws, const Words& w, std::string_view) {
    const Session& s = *ws.session_;
    const Scenario& sc = s.base();
    expect_count(w, 0, 0, "moves");
    if (sc.moves.empty()) return {"this scenario has no [[moves]]\n", true, false, false, {}};
    std::vector<MenuEntry> menu;
    for (const Move& m : sc.moves) {
      const bool ok = m.available_when.empty() ||
                      evaluate(m.available_when, m.available_when.root(), [&](const Observable& o) {
                        return observe(s.model(), s.state(), o);
                      });
      menu.push_back({&m, ok});
    }
    CommandResult r;
    r.output = menu_text(s, menu);
    return r;
  }

  static CommandResult move(Workshop& ws, const Words& w, std::string_view line) {
    if (w.size() == 1) return menu(ws, w, line);
    Session& s = *ws.session_;
    s.play(Words(w.begin() + 1, w.end()));
    const SessionAction& a = s.actions().back();
    CommandResult r;
    r.changes_state = true;
    r.output = played_text(s, a);
    r.log_fields.emplace_back("effects", played_effects(s.base(), a));
    return r;
  }

  static CommandResult inject(Workshop& ws, const Words&, std::string_view line) {
    Session& s = *ws.session_;
    const std::size_t at = line.find("inject") + 6;
    std::size_t start = at;
    while (start < line.size() && (line[start] == ' ' || line[start] == '\t')) ++start;
    std::string_view rest = line.substr(start);
    LabelledArgs options;
    if (const std::size_t k = inject_options(rest); k != std::string_view::npos) {
      options = labelled_args(split_words(rest.substr(k)), 0);
      rest = rest.substr(0, k);
      while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\t')) rest.remove_suffix(1);
      if (!options.args.empty())
        throw SessionError("usage: inject EFFECT [--label TEXT] [--reason TEXT]");
    }
    const std::string text(rest);
    if (text.empty())
      throw SessionError(
          "usage: inject EFFECT, e.g. inject affinity = [{from=\"RUS\", to=\"ARM\", delta=-0.1}]");
    s.inject(text, static_cast<int>(start) + 1, options.label, options.reason);
    const SessionAction& a = s.actions().back();
    const std::string d = describe(a.effects, s.base());
    CommandResult r;
    r.changes_state = true;
    r.output = "inject" + quoted_label(a.label) + ": " + d +
               (a.reason.empty() ? "" : " because " + a.reason) + takes_effect(a.step);
    r.log_fields.emplace_back("effects", d);
    if (!a.label.empty()) r.log_fields.emplace_back("label", a.label);
    if (!a.reason.empty()) r.log_fields.emplace_back("reason", a.reason);
    return r;
  }

  static CommandResult set(Workshop& ws, const Words& w, std::string_view) {
    Session& s = *ws.session_;
    const LabelledArgs o = labelled_args(w, 1);
    if (o.args.size() != 2)
      throw SessionError("usage: set PATH VALUE --reason \"...\" [--label \"...\"]");
    if (!o.has_reason) {
      throw SessionError("set needs a reason: set " + o.args[0] + " " + o.args[1] +
                         " --reason \"why the model is overruled\"");
    }
    s.set(o.args[0], o.args[1], o.reason, o.label);
    const SessionAction& a = s.actions().back();
    const std::string d = describe(a.effects, s.base());
    CommandResult r;
    r.changes_state = true;
    r.output = "override" + quoted_label(a.label) + ": " + d + " because " + a.reason +
               takes_effect(a.step);
    r.log_fields.emplace_back("effects", d);
    r.log_fields.emplace_back("reason", a.reason);
    if (!a.label.empty()) r.log_fields.emplace_back("label", a.label);
    return r;
  }

  static CommandResult why(Workshop& ws, const Words& w, std::string_view) {
    const Session& s = *ws.session_;
    expect_count(w, 2, 2, "why I J");
    const int i = actor_arg(s.base(), w[1]), j = actor_arg(s.base(), w[2]);
    if (i == j) throw SessionError("why needs two different actors");
    WhyReport report;
    report.drivers = s.why(i, j);
    report.from = w[1];
    report.to = w[2];
    report.t0 = s.last_turn_start();
    report.t1 = s.step();
    report.before = s.state_at(report.t0).R(i, j);
    report.after = s.state().R(i, j);
    CommandResult r;
    r.output = why_text(s, report);
    return r;
  }

  static CommandResult ensemble(Workshop& ws, const Words& w, std::string_view) {
    const Session& s = *ws.session_;
    expect_count(w, 0, 2, "ensemble [N] [K]");
    const int n = w.size() >= 2 ? integer_arg(w[1], "N", 1, 100000) : 100;
    const int k = s.steps_ahead(w.size() >= 3 ? integer_arg(w[2], "K", 1, 1000000) : 0,
                                "nothing to look ahead at");
    const LookAhead la = s.look_ahead(n, k, ws.main_observables());
    CommandResult r;
    r.output = ensemble_text(s, la);
    r.log_fields.emplace_back("seed", std::to_string(s.scenario().seed));
    r.log_fields.emplace_back("runs", "1-" + std::to_string(n));
    r.log_fields.emplace_back("steps", std::to_string(k));
    return r;
  }

  static CommandResult branch(Workshop& ws, const Words& w, std::string_view) {
    Session& s = *ws.session_;
    expect_count(w, 0, 1, "branch [NAME]");
    CommandResult r;
    if (w.size() == 1) {
      r.output = branches_text(s);
      return r;
    }
    s.fork(w[1]);
    r.changes_state = true;
    r.output = "on new branch " + w[1] + " (a copy of the session at step " +
               std::to_string(s.step()) + ")\n";
    return r;
  }

  static CommandResult checkout(Workshop& ws, const Words& w, std::string_view) {
    expect_count(w, 1, 1, "checkout NAME");
    ws.session_->checkout(w[1]);
    CommandResult r;
    r.changes_state = true;
    // One line for the message, so that the whole still fits the screen.
    r.output = "on branch " + w[1] + "\n" + ws.dashboard(false, Workshop::kDashboardLines - 1);
    return r;
  }

  static CommandResult undo(Workshop& ws, const Words& w, std::string_view) {
    Session& s = *ws.session_;
    expect_count(w, 0, 0, "undo");
    s.undo();
    CommandResult r;
    r.changes_state = true;
    r.output = "undone; back at turn " + std::to_string(s.turn()) + ", step " +
               std::to_string(s.step()) + "\n";
    return r;
  }

  static CommandResult history(Workshop& ws, const Words& w, std::string_view) {
    expect_count(w, 0, 0, "history");
    CommandResult r;
    r.output = history_text(*ws.session_);
    return r;
  }

  static CommandResult save(Workshop& ws, const Words& w, std::string_view) {
    const Session& s = *ws.session_;
    expect_count(w, 1, 1, "save FILE");
    const std::string text = s.saved_scenario(ws.options_.scenario_file, w[1]);
    if (!ws.options_.replaying) {
      try {
        detail::write_file_atomically(w[1], text);
      } catch (const std::exception& e) {
        throw SessionError("cannot write '" + w[1] + "': " + e.what());
      }
    }
    CommandResult r;
    r.output = "saved to " + w[1] + " (`entente run " + w[1] + "` replays steps 0–" +
               std::to_string(s.step()) + ")\n";
    r.log_fields.emplace_back("file", w[1]);
    return r;
  }

  static Handler find(std::string_view name) {
    static const std::map<std::string, Handler, std::less<>> table = {
        {"help", help},         {"?", help},           {"quit", quit},         {"exit", quit},
        {"status", status},     {"dashboard", status}, {"advance", advance},   {"moves", menu},
        {"move", move},         {"inject", inject},    {"set", set},           {"why", why},
        {"ensemble", ensemble}, {"branch", branch},    {"checkout", checkout}, {"undo", undo},
        {"history", history},   {"save", save}};
    const auto it = table.find(name);
    return it == table.end() ? nullptr : it->second;
  }
};

Workshop::Workshop(Session& session, WorkshopOptions options)
    : session_(&session), options_(std::move(options)) {}

std::string Workshop::help() {
  return "commands:\n"
         "  advance [K]              play K steps (default: one turn; never past the end)\n"
         "  move ID...               play moves from the menu (`move` alone lists them)\n"
         "  inject EFFECT [--label TEXT] [--reason TEXT]\n"
         "                           an ad-hoc effect, one list in the syntax of events,\n"
         "      e.g. inject affinity = [{from=\"RUS\", to=\"ARM\", delta=-0.1}]\n"
         "  set PATH VALUE --reason TEXT [--label TEXT]\n"
         "                           overrule the model (model.balance, affinity.I.J,\n"
         "                           actors.I.position.AXIS, institutions.G.members.I,\n"
         "                           interdependence.I.J, weights.I.J, issues.Q.regime)\n"
         "  why I J                  what drove affinity(I,J) over the last turn\n"
         "  ensemble [N] [K]         the spread of N runs over the next K steps\n"
         "  branch [NAME]            fork the session here (no NAME: list branches)\n"
         "  checkout NAME            switch to a branch\n"
         "  undo                     take back the last advance, move, inject or set\n"
         "  history                  what was done on this branch\n"
         "  save FILE                write the session as a scenario for `entente run`\n"
         "  status [--full]          the dashboard again (--full: every line of it)\n"
         "  help                     this text\n"
         "  quit                     end the session (Ctrl-D too)\n"
         "TEXT with blanks goes in double quotes: --reason \"the room says so\".\n"
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
  const auto handler = WorkshopCommands::find(w[0]);
  if (handler == nullptr) {
    throw SessionError("unknown command '" + w[0] + "'" +
                       detail::suggestion(w[0], command_names()) + "; type help");
  }
  return handler(*this, w, line);
}

}  // namespace entente
