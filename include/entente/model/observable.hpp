// Observables (MODEL.md §5.1): the quantities that `when` conditions test and
// that `[output] observables` summarise over an ensemble.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace entente {

struct Scenario;

// One observable with its arguments resolved to indices (file order).
//
//   affinity(I,J)        a = I, b = J        numeric
//   position(I,AXIS)     a = I, b = axis     numeric
//   membership(I,G)      a = I, b = G        numeric
//   interdependence(I,J) a = I, b = J        numeric
//   weight(I,J)          a = I, b = J        numeric
//   polarization(AXIS)   a = axis            numeric
//   frustration                              numeric (needs blocs)
//   step                                     numeric
//   regime(Q)            a = Q               categorical: an option index
//   bloc(I)              a = I               categorical: 0 = A, 1 = B (needs blocs)
struct Observable {
  enum class Kind {
    affinity,
    position,
    membership,
    interdependence,
    weight,
    polarization,
    frustration,
    step,
    regime,
    bloc
  };
  Kind kind = Kind::step;
  int a = -1;
  int b = -1;

  bool categorical() const { return kind == Kind::regime || kind == Kind::bloc; }
  bool needs_blocs() const { return kind == Kind::bloc || kind == Kind::frustration; }
  friend bool operator==(const Observable&, const Observable&) = default;
};

// Parses one observable such as `affinity(ARM, RUS)`; white space around
// names is allowed. Names are resolved against the scenario's actors, axes,
// institutions and issues (which must already be filled in).
// Throws SyntaxError (offset into `text`) with the nearest valid name.
Observable parse_observable(std::string_view text, const Scenario& scenario);

// Parses an observable starting at `pos` in `text`, advancing `pos` past it.
Observable parse_observable_at(std::string_view text, std::size_t& pos, const Scenario& scenario);

// The canonical spelling: `affinity(ARM,RUS)`.
std::string to_string(const Observable& o, const Scenario& scenario);

// The labels a categorical observable can take, in order (option ids, or
// "A", "B").
std::vector<std::string> categories(const Observable& o, const Scenario& scenario);

// Every position and every affinity, in file order: the default of
// `[output] observables`.
std::vector<Observable> default_observables(const Scenario& scenario);

}  // namespace entente
