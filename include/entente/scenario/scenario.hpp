// The scenario: what is simulated (MODEL.md §1, §3, §4), plain and immutable,
// every id resolved to an index in file order. It knows nothing of TOML; the
// loader (scenario_io.hpp) builds it and `compile` (model.hpp) turns it into
// dense arrays for the stepper.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "entente/model/condition.hpp"
#include "entente/model/observable.hpp"

namespace entente {

// A dense row-major square matrix of doubles, indexed [row][column].
using Matrix = std::vector<std::vector<double>>;

enum class StepUnit { day, week, month, quarter, year, step };
std::string_view to_string(StepUnit u);

// The rates of `[model]` (MODEL.md §1, §2). All default to 0 except
// power_exponent (1).
struct Rates {
  double influence = 0.0;        // α
  double balance = 0.0;          // β
  double similarity = 0.0;       // γ
  double institutions = 0.0;     // δ
  double interdependence = 0.0;  // η
  double stakes = 0.0;           // θ
  double memory = 0.0;           // μ
  double power_exponent = 1.0;   // ρ
  double noise_position = 0.0;   // σx
  double noise_affinity = 0.0;   // σR

  friend bool operator==(const Rates&, const Rates&) = default;
};

// The keys of `[model]`, in the order above, for loaders, `parameter`
// effects and sweeps: name, member, and the valid range [min, max].
struct RateInfo {
  std::string_view name;
  double Rates::*member;
  double min;
  double max;
};
const std::array<RateInfo, 10>& rate_table();
// Index into rate_table() of `name`, or -1.
int find_rate(std::string_view name);

struct Axis {
  std::string id;
  std::string low;   // label of −1
  std::string high;  // label of +1
  friend bool operator==(const Axis&, const Axis&) = default;
};

// One term of an actor's objective (MODEL.md §7): a numeric observable and
// its weight; the score is the sum of weight × observable.
struct ObjectiveTerm {
  Observable observable;
  double weight = 0.0;
  friend bool operator==(const ObjectiveTerm&, const ObjectiveTerm&) = default;
};

struct Actor {
  std::string id;
  std::string name;
  double power = 0.0;            // p_i > 0
  double stubbornness = 0.0;     // λ_i ∈ [0, 1]
  std::vector<double> position;  // x[i][a], one per axis
  std::vector<double> ideal;     // xhat[i][a]; equals position when not given
  std::optional<double> noise;   // σx override
  std::optional<double> budget;  // what its moves may cost per turn (play); none: no limit
  // What it plays for (MODEL.md §7), in file order; never enters the step (§2).
  std::vector<ObjectiveTerm> objective;
  // What its team is told in a workshop; "" when not given.
  std::string brief;
  friend bool operator==(const Actor&, const Actor&) = default;
};

struct Institution {
  std::string id;
  std::string name;
  double cohesion = 1.0;        // c_g ≥ 0
  std::vector<double> members;  // m[g][i] ∈ [0, 1], one per actor
  friend bool operator==(const Institution&, const Institution&) = default;
};

struct Issue {
  std::string id;
  std::string name;
  std::vector<std::string> options;
  int regime = 0;                // index into options
  std::vector<double> salience;  // s[q][i] ∈ [0, 1], one per actor
  Matrix utility;                // u[q][i][o] ∈ [−1, 1], [actor][option]
  friend bool operator==(const Issue&, const Issue&) = default;
};

// How an effect changes its target.
enum class EffectMode { set, delta, scale };

struct MembershipEffect {
  int institution = 0;
  int actor = 0;
  double level = 0.0;
  friend bool operator==(const MembershipEffect&, const MembershipEffect&) = default;
};
struct AffinityEffect {  // mode: set or delta
  int from = 0;
  int to = 0;
  EffectMode mode = EffectMode::delta;
  double value = 0.0;
  bool mutual = false;
  friend bool operator==(const AffinityEffect&, const AffinityEffect&) = default;
};
struct PositionEffect {  // mode: set or delta
  int actor = 0;
  int axis = 0;
  EffectMode mode = EffectMode::delta;
  double value = 0.0;
  friend bool operator==(const PositionEffect&, const PositionEffect&) = default;
};
struct RegimeEffect {
  int issue = 0;
  int option = 0;
  friend bool operator==(const RegimeEffect&, const RegimeEffect&) = default;
};
// The largest alignment weight W[i][j]: weights are relative attention, and
// the bound keeps repeated `scale` effects from overflowing to infinity.
inline constexpr double kMaxWeight = 1e6;

struct LinkEffect {  // interdependence (T) and weights (W); mode: set or scale
  int from = 0;
  int to = 0;
  EffectMode mode = EffectMode::scale;
  double value = 1.0;
  bool mutual = false;
  friend bool operator==(const LinkEffect&, const LinkEffect&) = default;
};
struct ParameterEffect {
  int rate = 0;  // index into rate_table()
  double value = 0.0;
  friend bool operator==(const ParameterEffect&, const ParameterEffect&) = default;
};

// The effects of an event or a move, applied in this member order (MODEL.md
// §3), entries of each list in their written order.
struct Effects {
  std::vector<MembershipEffect> membership;
  std::vector<AffinityEffect> affinity;
  std::vector<AffinityEffect> anchor;  // memory's target for R[from][to]; delta not clipped
  std::vector<PositionEffect> position;
  std::vector<RegimeEffect> regime;
  std::vector<LinkEffect> interdependence;
  std::vector<LinkEffect> weights;
  std::vector<ParameterEffect> parameter;
  friend bool operator==(const Effects&, const Effects&) = default;
};

// An inject: fires at `step`, or when `when` holds on the recorded state of
// the previous step (once, unless `repeat`).
struct Event {
  std::string id;
  std::string name;
  std::string description;
  std::optional<int> step;
  std::string when_text;  // the condition as written; empty with `step`
  Condition when;
  bool repeat = false;
  bool enabled = true;
  Effects effects;
  friend bool operator==(const Event& a, const Event& b) {
    return a.id == b.id && a.name == b.name && a.description == b.description && a.step == b.step &&
           a.when_text == b.when_text && a.repeat == b.repeat && a.enabled == b.enabled &&
           a.effects == b.effects;
  }
};

// A lever on a workshop's menu (`[[moves]]`): what one actor may do in a
// turn of `entente play`. Its effects use the vocabulary of events; it may
// be played when `available_when` holds on the current state (always when
// empty), and costs `cost` against its actor's per-turn `budget`.
struct Move {
  std::string id;
  std::string name;
  std::string description;
  int actor = 0;                    // who plays it
  std::string available_when_text;  // the condition as written; empty: always
  Condition available_when;
  double cost = 0.0;  // ≥ 0
  Effects effects;
  friend bool operator==(const Move& a, const Move& b) {
    return a.id == b.id && a.name == b.name && a.description == b.description &&
           a.actor == b.actor && a.available_when_text == b.available_when_text &&
           a.cost == b.cost && a.effects == b.effects;
  }
};

struct OutputSpec {
  std::vector<Observable> observables;  // numeric and categorical; never empty after loading
  bool observables_given = false;       // false: the default (every position and affinity)
  bool blocs = false;
  int bloc_anchor = 0;  // actor index
  // What the trajectory files (actors, relations, issues) hold (MODEL.md §6):
  // steps 0, every, 2·every, … and the last; the relations of every ordered
  // pair (relations_all), of none, or of `relations` (pairs i ≠ j, in file
  // order i * N + j); as CSV files or one NetCDF-4 file.
  int every = 1;
  enum class Format { csv, netcdf };
  Format format = Format::csv;
  bool relations_all = true;
  std::vector<std::pair<int, int>> relations;  // when !relations_all; empty: none
  friend bool operator==(const OutputSpec&, const OutputSpec&) = default;

  bool writes_step(int step, int steps) const { return step % every == 0 || step == steps; }
};

// How a workshop plays the scenario (`[play]`; `entente play` and `entente
// serve`). It never enters the dynamics (MODEL.md §2).
struct PlaySpec {
  // What a team sees of other actors' positions and of relations between
  // third parties (docs/workshops.md "Fog of war"): everything exactly, each
  // with Gaussian error `fog_sigma`, or nothing.
  enum class Fog { none, noisy, hidden };
  Fog fog = Fog::none;
  double fog_sigma = 0.0;  // > 0 with Fog::noisy
  friend bool operator==(const PlaySpec&, const PlaySpec&) = default;
};

// A calendar start: year, and month/day when given ("2025", "2025-04",
// "2025-04-15"). Dates of later steps keep the same precision, or gain the
// day when the step unit is day or week.
struct StartDate {
  int year = 0;
  int month = 0;  // 0: not given
  int day = 0;    // 0: not given
  friend bool operator==(const StartDate&, const StartDate&) = default;
};

// What memory and anchoring pull toward (MODEL.md §2.5): the initial
// affinities and the given ideals, or the resting point solved on S(0).
enum class AnchorMode { initial, equilibrium };
std::string_view to_string(AnchorMode a);

struct Scenario {
  std::string name;
  std::string description;
  int steps = 1;
  StepUnit step_unit = StepUnit::step;
  std::optional<StartDate> start;
  std::uint64_t seed = 0;
  int runs = 1;

  Rates rates;
  AnchorMode anchor = AnchorMode::initial;  // [model] anchor
  std::vector<Axis> axes;
  std::vector<Actor> actors;
  Matrix affinity;         // R0, N×N, diagonal 1
  Matrix weights;          // W, N×N, diagonal unused (1)
  Matrix interdependence;  // T, N×N, diagonal unused (0)
  std::vector<Institution> institutions;
  std::vector<Issue> issues;
  std::vector<Event> events;
  OutputSpec output;
  std::vector<Move> moves;  // the workshop menu; the dynamics never read it
  PlaySpec play;            // [play]; the dynamics never read it

  friend bool operator==(const Scenario&, const Scenario&) = default;

  int actor_count() const { return static_cast<int>(actors.size()); }
  int axis_count() const { return static_cast<int>(axes.size()); }
  // Index of the element with that id, or -1.
  int find_actor(std::string_view id) const;
  int find_axis(std::string_view id) const;
  int find_institution(std::string_view id) const;
  int find_issue(std::string_view id) const;
  int find_event(std::string_view id) const;
  int find_move(std::string_view id) const;
};

}  // namespace entente
