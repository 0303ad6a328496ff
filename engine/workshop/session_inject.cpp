#include "workshop/session_inject.hpp"

#include <charconv>
#include <cmath>
#include <vector>

#include "entente/workshop/play.hpp"
#include "scenario/scenario_effects.hpp"
#include "scenario/toml_schema.hpp"
#include "util/suggest.hpp"

namespace entente::detail {

Effects parse_inject(const std::string& text, int column, const Scenario& scenario) {
  // Leading blanks keep toml++'s columns equal to those of the command line.
  const std::string doc =
      std::string(static_cast<std::size_t>(std::max(0, column - 1)), ' ') + text;
  const TomlNode root = parse_toml(doc, "inject");
  check_keys(root,
             {"membership", "affinity", "anchor", "position", "regime", "interdependence",
              "weights", "parameter"},
             "inject");
  if (root.entries.empty()) {
    fail(SourceLocation{"inject", 1, column},
         "inject needs an effect list, e.g. inject affinity = [{from=\"RUS\", to=\"ARM\", "
         "delta=-0.1}]");
  }
  Effects fx = read_effects(root, "inject", scenario);
  if (empty(fx)) fail(SourceLocation{"inject", 1, column}, "inject: the effect list is empty");
  return fx;
}

bool is_session_name(std::string_view name) {
  if (name.empty() || !std::isalpha(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  }
  return true;
}

namespace {

[[noreturn]] void refuse(const std::string& message) {
  throw SessionError(message);
}

std::vector<std::string> split(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = path.find('.', start);
    out.push_back(path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) return out;
    start = dot + 1;
  }
}

double number(const std::string& path, const std::string& value, double lo, double hi) {
  double v = 0.0;
  const char* end = value.data() + value.size();
  const auto r = std::from_chars(value.data(), end, v);
  if (r.ec != std::errc() || r.ptr != end || !std::isfinite(v)) {
    refuse(path + " must be a number (got '" + value + "')");
  }
  if (v < lo || v > hi) {
    refuse(path + " must be in [" + format_number(lo) + ", " + format_number(hi) + "] (got " +
           value + ")");
  }
  return v;
}

template <class Vec>
int index_of(const Vec& v, const std::string& id, std::string_view kind, const std::string& path) {
  const std::vector<std::string> ids = ids_of(v);
  for (std::size_t k = 0; k < ids.size(); ++k) {
    if (ids[k] == id) return static_cast<int>(k);
  }
  refuse("unknown " + std::string(kind) + " '" + id + "' in " + path + suggestion(id, ids));
}

const char* kPaths =
    "model.KEY, affinity.I.J, actors.I.position.AXIS, institutions.G.members.I, "
    "interdependence.I.J, weights.I.J, issues.Q.regime";

}  // namespace

Effects override_effects(const std::string& path, const std::string& value, const Scenario& s) {
  const std::vector<std::string> seg = split(path);
  Effects fx;
  const auto bad = [&]() {
    refuse("cannot set '" + path + "' during a session; valid paths: " + kPaths);
  };
  const std::string& head = seg[0];
  if (head == "model" && seg.size() == 2) {
    std::vector<std::string> names;
    for (const RateInfo& r : rate_table()) names.emplace_back(r.name);
    const int k = find_rate(seg[1]);
    if (k < 0) refuse("unknown key '" + seg[1] + "' in [model]" + suggestion(seg[1], names));
    const RateInfo& r = rate_table()[static_cast<std::size_t>(k)];
    fx.parameter.push_back({k, number(path, value, r.min, r.max)});
  } else if ((head == "affinity" || head == "interdependence" || head == "weights") &&
             seg.size() == 3) {
    const int i = index_of(s.actors, seg[1], "actor", path);
    const int j = index_of(s.actors, seg[2], "actor", path);
    if (i == j) refuse(path + " names one actor twice; give two different actors");
    if (head == "affinity") {
      fx.affinity.push_back({i, j, EffectMode::set, number(path, value, -1.0, 1.0), false});
    } else if (head == "interdependence") {
      fx.interdependence.push_back({i, j, EffectMode::set, number(path, value, 0.0, 1.0), false});
    } else {
      fx.weights.push_back({i, j, EffectMode::set, number(path, value, 0.0, 1e300), false});
    }
  } else if (head == "actors" && seg.size() == 4 && seg[2] == "position") {
    const int i = index_of(s.actors, seg[1], "actor", path);
    const int a = index_of(s.axes, seg[3], "axis", path);
    fx.position.push_back({i, a, EffectMode::set, number(path, value, -1.0, 1.0)});
  } else if (head == "institutions" && seg.size() == 4 && seg[2] == "members") {
    const int g = index_of(s.institutions, seg[1], "institution", path);
    const int i = index_of(s.actors, seg[3], "actor", path);
    fx.membership.push_back({g, i, number(path, value, 0.0, 1.0)});
  } else if (head == "issues" && seg.size() == 3 && seg[2] == "regime") {
    const int q = index_of(s.issues, seg[1], "issue", path);
    const Issue& issue = s.issues[static_cast<std::size_t>(q)];
    int o = -1;
    for (std::size_t k = 0; k < issue.options.size(); ++k) {
      if (issue.options[k] == value) o = static_cast<int>(k);
    }
    if (o < 0)
      refuse("unknown option '" + value + "' of issue " + issue.id +
             suggestion(value, issue.options));
    fx.regime.push_back({q, o});
  } else {
    bad();
  }
  return fx;
}

}  // namespace entente::detail
