// `when` conditions of events (MODEL.md §3).
//
//   condition  := or
//   or         := and ( "or" and )*
//   and        := atom ( "and" atom )*
//   atom       := "(" or ")" | OBS OP VALUE
//   OP         := "<" | "<=" | ">" | ">=" | "==" | "!="
//   VALUE      := number | id        (an option id for regime(Q), A or B for bloc(I))
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "entente/model/observable.hpp"

namespace entente {

enum class CompareOp { lt, le, gt, ge, eq, ne };

// A parsed condition: a small tree stored in a vector, root last. Categorical
// comparisons hold the category index in `value`; only == and != are allowed
// on them.
struct Condition {
  struct Node {
    enum class Kind { compare, all_of, any_of };
    Kind kind = Kind::compare;
    Observable observable;  // compare
    CompareOp op = CompareOp::eq;
    double value = 0.0;
    int left = -1;  // all_of / any_of: indices of the operands
    int right = -1;
  };
  std::vector<Node> nodes;

  bool empty() const { return nodes.empty(); }
  int root() const { return static_cast<int>(nodes.size()) - 1; }
  bool needs_blocs() const;
};

// Parses a condition; names are resolved against `scenario` (actors, axes,
// institutions, issues must be filled in). Throws SyntaxError at the offending
// offset, naming what would be valid there.
Condition parse_condition(std::string_view text, const Scenario& scenario);

// Evaluates the condition given the value of each observable. `value_of`
// returns a double (a category index for categorical observables).
template <class ValueOf>
bool evaluate(const Condition& c, int node, const ValueOf& value_of) {
  const Condition::Node& n = c.nodes[static_cast<std::size_t>(node)];
  switch (n.kind) {
    case Condition::Node::Kind::all_of:
      return evaluate(c, n.left, value_of) && evaluate(c, n.right, value_of);
    case Condition::Node::Kind::any_of:
      return evaluate(c, n.left, value_of) || evaluate(c, n.right, value_of);
    case Condition::Node::Kind::compare:
      break;
  }
  const double v = value_of(n.observable);
  switch (n.op) {
    case CompareOp::lt:
      return v < n.value;
    case CompareOp::le:
      return v <= n.value;
    case CompareOp::gt:
      return v > n.value;
    case CompareOp::ge:
      return v >= n.value;
    case CompareOp::eq:
      return v == n.value;
    case CompareOp::ne:
      return v != n.value;
  }
  return false;
}

}  // namespace entente
