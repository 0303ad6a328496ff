#include "entente/model/condition.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include "entente/scenario/scenario.hpp"
#include "entente/util/diagnostics.hpp"
#include "util/suggest.hpp"

namespace entente {

bool Condition::needs_blocs() const {
  for (const auto& n : nodes) {
    if (n.kind == Node::Kind::compare && n.observable.needs_blocs()) return true;
  }
  return false;
}

namespace {

// A recursive-descent parser over the grammar in condition.hpp. Nesting is
// bounded so that hostile input cannot exhaust the stack.
class Parser {
 public:
  Parser(std::string_view text, const Scenario& s) : t_(text), s_(s) {}

  Condition parse() {
    skip();
    if (pos_ >= t_.size())
      throw SyntaxError(0, "empty condition; expected e.g. 'affinity(A,B) < 0'");
    parse_or(0);
    skip();
    if (pos_ != t_.size()) {
      throw SyntaxError(pos_, "unexpected '" + std::string(t_.substr(pos_, word_end(pos_) - pos_)) +
                                  "'; expected 'and', 'or' or the end of the condition");
    }
    return std::move(c_);
  }

 private:
  static constexpr int kMaxDepth = 64;

  void skip() {
    while (pos_ < t_.size() && std::isspace(static_cast<unsigned char>(t_[pos_]))) ++pos_;
  }
  std::size_t word_end(std::size_t p) const {
    std::size_t e = p;
    while (e < t_.size() && !std::isspace(static_cast<unsigned char>(t_[e]))) ++e;
    return e == p ? std::min(p + 1, t_.size()) : e;
  }
  bool keyword(std::string_view kw) {
    skip();
    if (t_.substr(pos_, kw.size()) != kw) return false;
    const std::size_t end = pos_ + kw.size();
    if (end < t_.size() && (std::isalnum(static_cast<unsigned char>(t_[end])) || t_[end] == '_')) {
      return false;
    }
    pos_ = end;
    return true;
  }
  int add(Condition::Node n) {
    c_.nodes.push_back(std::move(n));
    return static_cast<int>(c_.nodes.size()) - 1;
  }
  int join(Condition::Node::Kind kind, int left, int right) {
    Condition::Node n;
    n.kind = kind;
    n.left = left;
    n.right = right;
    return add(n);
  }

  int parse_or(int depth) {
    int left = parse_and(depth);
    while (keyword("or")) left = join(Condition::Node::Kind::any_of, left, parse_and(depth));
    return left;
  }
  int parse_and(int depth) {
    int left = parse_atom(depth);
    while (keyword("and")) left = join(Condition::Node::Kind::all_of, left, parse_atom(depth));
    return left;
  }
  int parse_atom(int depth) {
    skip();
    if (pos_ < t_.size() && t_[pos_] == '(') {
      if (depth >= kMaxDepth) throw SyntaxError(pos_, "parentheses nested too deeply (at most 64)");
      ++pos_;
      const int inner = parse_or(depth + 1);
      skip();
      if (pos_ >= t_.size() || t_[pos_] != ')') throw SyntaxError(pos_, "expected ')'");
      ++pos_;
      return inner;
    }
    return parse_comparison();
  }

  int parse_comparison() {
    Condition::Node n;
    n.kind = Condition::Node::Kind::compare;
    n.observable = parse_observable_at(t_, pos_, s_);
    skip();
    const std::size_t op_at = pos_;
    n.op = parse_op();
    skip();
    const std::size_t value_at = pos_;
    if (n.observable.categorical()) {
      if (n.op != CompareOp::eq && n.op != CompareOp::ne) {
        throw SyntaxError(
            op_at, to_string(n.observable, s_) + " is categorical: compare it with == or !=");
      }
      while (pos_ < t_.size() &&
             (std::isalnum(static_cast<unsigned char>(t_[pos_])) || t_[pos_] == '_'))
        ++pos_;
      const std::string word(t_.substr(value_at, pos_ - value_at));
      const auto valid = categories(n.observable, s_);
      for (std::size_t k = 0; k < valid.size(); ++k) {
        if (valid[k] == word) n.value = static_cast<double>(k);
      }
      if (word.empty() || std::find(valid.begin(), valid.end(), word) == valid.end()) {
        throw SyntaxError(value_at, (word.empty() ? std::string("expected a value")
                                                  : "'" + word + "' is not a value of " +
                                                        to_string(n.observable, s_)) +
                                        detail::suggestion(word, valid));
      }
    } else {
      const char* first = t_.data() + pos_;
      const char* last = t_.data() + t_.size();
      if (first != last && *first == '+') ++first;
      double v = 0.0;
      const auto [ptr, ec] = std::from_chars(first, last, v);
      if (ec != std::errc() || !std::isfinite(v)) {
        throw SyntaxError(value_at, "expected a number after the comparison");
      }
      pos_ = static_cast<std::size_t>(ptr - t_.data());
      n.value = v;
    }
    return add(n);
  }

  CompareOp parse_op() {
    const std::string_view rest = t_.substr(pos_);
    struct Op {
      std::string_view text;
      CompareOp op;
    };
    static constexpr Op ops[] = {{"<=", CompareOp::le}, {">=", CompareOp::ge},
                                 {"==", CompareOp::eq}, {"!=", CompareOp::ne},
                                 {"<", CompareOp::lt},  {">", CompareOp::gt}};
    for (const auto& o : ops) {
      if (rest.substr(0, o.text.size()) == o.text) {
        pos_ += o.text.size();
        return o.op;
      }
    }
    throw SyntaxError(pos_, "expected a comparison (< <= > >= == !=)");
  }

  std::string_view t_;
  const Scenario& s_;
  std::size_t pos_ = 0;
  Condition c_;
};

}  // namespace

Condition parse_condition(std::string_view text, const Scenario& scenario) {
  return Parser(text, scenario).parse();
}

}  // namespace entente
