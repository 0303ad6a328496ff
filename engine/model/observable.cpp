#include "entente/model/observable.hpp"

#include <cctype>

#include "entente/scenario/scenario.hpp"
#include "entente/util/diagnostics.hpp"
#include "util/suggest.hpp"

namespace entente {

namespace {

struct KindInfo {
  std::string_view name;
  Observable::Kind kind;
  int arity;
};

constexpr KindInfo kKinds[] = {
    {"affinity", Observable::Kind::affinity, 2},
    {"position", Observable::Kind::position, 2},
    {"membership", Observable::Kind::membership, 2},
    {"interdependence", Observable::Kind::interdependence, 2},
    {"weight", Observable::Kind::weight, 2},
    {"polarization", Observable::Kind::polarization, 1},
    {"frustration", Observable::Kind::frustration, 0},
    {"step", Observable::Kind::step, 0},
    {"regime", Observable::Kind::regime, 1},
    {"bloc", Observable::Kind::bloc, 1},
};

bool is_id_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

void skip_space(std::string_view t, std::size_t& pos) {
  while (pos < t.size() && std::isspace(static_cast<unsigned char>(t[pos]))) ++pos;
}

std::string_view read_id(std::string_view t, std::size_t& pos) {
  const std::size_t start = pos;
  while (pos < t.size() && is_id_char(t[pos])) ++pos;
  return t.substr(start, pos - start);
}

template <class Vec>
std::vector<std::string> ids_of(const Vec& v) {
  std::vector<std::string> out;
  for (const auto& e : v) out.push_back(e.id);
  return out;
}

// What an argument of each kind names.
enum class ArgKind { actor, axis, institution, issue };

int resolve(ArgKind what, std::string_view id, std::size_t offset, const Scenario& s) {
  int index = -1;
  std::vector<std::string> valid;
  std::string_view noun;
  switch (what) {
    case ArgKind::actor:
      index = s.find_actor(id), valid = ids_of(s.actors), noun = "actor";
      break;
    case ArgKind::axis:
      index = s.find_axis(id), valid = ids_of(s.axes), noun = "axis";
      break;
    case ArgKind::institution:
      index = s.find_institution(id), valid = ids_of(s.institutions), noun = "institution";
      break;
    case ArgKind::issue:
      index = s.find_issue(id), valid = ids_of(s.issues), noun = "issue";
      break;
  }
  if (index < 0) {
    if (id.empty())
      throw SyntaxError(offset,
                        "expected " + std::string(noun) + " id" + detail::suggestion("", valid));
    throw SyntaxError(offset, "unknown " + std::string(noun) + " '" + std::string(id) + "'" +
                                  detail::suggestion(id, valid));
  }
  return index;
}

std::vector<ArgKind> signature(Observable::Kind k) {
  using K = Observable::Kind;
  switch (k) {
    case K::affinity:
    case K::interdependence:
    case K::weight:
      return {ArgKind::actor, ArgKind::actor};
    case K::position:
      return {ArgKind::actor, ArgKind::axis};
    case K::membership:
      return {ArgKind::actor, ArgKind::institution};
    case K::polarization:
      return {ArgKind::axis};
    case K::regime:
      return {ArgKind::issue};
    case K::bloc:
      return {ArgKind::actor};
    case K::frustration:
    case K::step:
      return {};
  }
  return {};
}

}  // namespace

Observable parse_observable_at(std::string_view text, std::size_t& pos, const Scenario& s) {
  skip_space(text, pos);
  const std::size_t name_at = pos;
  const std::string_view name = read_id(text, pos);
  const KindInfo* info = nullptr;
  for (const auto& k : kKinds) {
    if (k.name == name) info = &k;
  }
  if (info == nullptr) {
    std::vector<std::string> valid;
    for (const auto& k : kKinds) valid.emplace_back(k.name);
    if (name.empty())
      throw SyntaxError(name_at, "expected an observable" + detail::suggestion("", valid));
    throw SyntaxError(name_at, "unknown observable '" + std::string(name) + "'" +
                                   detail::suggestion(name, valid));
  }
  Observable o;
  o.kind = info->kind;
  const auto args = signature(o.kind);
  if (args.empty()) {
    // `step` and `frustration` take no arguments; tolerate an empty "()".
    std::size_t p = pos;
    skip_space(text, p);
    if (p < text.size() && text[p] == '(') {
      ++p;
      skip_space(text, p);
      if (p < text.size() && text[p] == ')')
        pos = p + 1;
      else
        throw SyntaxError(p, std::string(info->name) + " takes no arguments");
    }
    return o;
  }
  skip_space(text, pos);
  if (pos >= text.size() || text[pos] != '(') {
    throw SyntaxError(pos, "expected '(' after " + std::string(info->name));
  }
  ++pos;
  int values[2] = {-1, -1};
  for (std::size_t k = 0; k < args.size(); ++k) {
    skip_space(text, pos);
    const std::size_t at = pos;
    const std::string_view id = read_id(text, pos);
    values[k] = resolve(args[k], id, at, s);
    skip_space(text, pos);
    const char want = k + 1 < args.size() ? ',' : ')';
    if (pos >= text.size() || text[pos] != want) {
      throw SyntaxError(pos, std::string("expected '") + want + "' in " + std::string(info->name) +
                                 "(" + (args.size() == 2 ? "…,…" : "…") + ")");
    }
    ++pos;
  }
  o.a = values[0];
  o.b = values[1];
  if (args.size() == 2 && args[1] == ArgKind::actor && o.a == o.b) {
    // R[i][i], T[i][i] and W[i][i] are not part of the model (MODEL.md §1).
    throw SyntaxError(name_at, std::string(info->name) + " needs two different actors");
  }
  return o;
}

Observable parse_observable(std::string_view text, const Scenario& s) {
  std::size_t pos = 0;
  Observable o = parse_observable_at(text, pos, s);
  skip_space(text, pos);
  if (pos != text.size()) throw SyntaxError(pos, "unexpected text after the observable");
  return o;
}

std::string to_string(const Observable& o, const Scenario& s) {
  using K = Observable::Kind;
  const auto actor = [&](int i) { return s.actors[static_cast<std::size_t>(i)].id; };
  const auto axis = [&](int a) { return s.axes[static_cast<std::size_t>(a)].id; };
  switch (o.kind) {
    case K::affinity:
      return "affinity(" + actor(o.a) + "," + actor(o.b) + ")";
    case K::position:
      return "position(" + actor(o.a) + "," + axis(o.b) + ")";
    case K::membership:
      return "membership(" + actor(o.a) + "," + s.institutions[static_cast<std::size_t>(o.b)].id +
             ")";
    case K::interdependence:
      return "interdependence(" + actor(o.a) + "," + actor(o.b) + ")";
    case K::weight:
      return "weight(" + actor(o.a) + "," + actor(o.b) + ")";
    case K::polarization:
      return "polarization(" + axis(o.a) + ")";
    case K::frustration:
      return "frustration";
    case K::step:
      return "step";
    case K::regime:
      return "regime(" + s.issues[static_cast<std::size_t>(o.a)].id + ")";
    case K::bloc:
      return "bloc(" + actor(o.a) + ")";
  }
  return "?";
}

std::vector<std::string> categories(const Observable& o, const Scenario& s) {
  if (o.kind == Observable::Kind::regime) return s.issues[static_cast<std::size_t>(o.a)].options;
  if (o.kind == Observable::Kind::bloc) return {"A", "B"};
  return {};
}

std::vector<Observable> default_observables(const Scenario& s) {
  std::vector<Observable> out;
  const int n = s.actor_count();
  for (int i = 0; i < n; ++i) {
    for (int a = 0; a < s.axis_count(); ++a) out.push_back({Observable::Kind::position, i, a});
  }
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      if (i != j) out.push_back({Observable::Kind::affinity, i, j});
    }
  }
  return out;
}

}  // namespace entente
