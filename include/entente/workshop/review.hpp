// `entente review`: the after-action review of a workshop session. The
// computation (`review_session`) gives a plain struct: every branch with
// where it forked, its actions, its turning points, its end state, and the
// counterfactual of every action (moves, injects and overrides alike)
// measured with common random numbers on the scenario's headline observables
// and on each actor's score (MODEL.md §7). `review_markdown` renders it.
#pragma once

#include <string>
#include <vector>

#include "entente/workshop/play.hpp"

namespace entente {

// What one move changed by the session's current step: the session with it
// against the session without it (the same run 0, so the same random
// numbers; with noise on, the draws line up as long as the number of draws
// per step does not depend on the move, which holds unless a move changes a
// noise rate).
struct Counterfactual {
  int turn = 0;
  int step = 0;  // the step it was played at (it applies before step + 1)
  std::string move;
  std::string actor;
  std::string observable;
  double with = 0.0;
  double without = 0.0;
  double effect = 0.0;  // with − without
};

// For every move played on the current branch, the observables among
// `observables` whose value at the current step differs with and without it,
// largest |effect| first, at most `top` per move. Categorical observables are
// compared by category index (a change shows as a nonzero effect).
std::vector<Counterfactual> counterfactuals(const Session& session,
                                            const std::vector<Observable>& observables,
                                            int top = 5);

struct ReviewOptions {
  // Paired runs for each counterfactual: runs 0 … runs − 1 of the session's
  // seed, with and without the action (common random numbers). Run 0 is the
  // session itself.
  int runs = 20;
  int top = 5;  // observables shown per action (the largest effects)
};

// One observable or score, with and without an action, at the branch's end.
struct Effect {
  std::string name;          // "affinity(ARM,RUS)", or an actor id for a score
  bool categorical = false;  // regime, bloc: values are category indices
  double with = 0.0;         // run 0 (the session)
  double without = 0.0;      // run 0 without the action
  std::string with_text;     // `with` for people ("+0.130", or the category)
  std::string without_text;
  // Numeric: the mean over the paired runs of with − without, and the
  // smallest and largest paired difference. Categorical: the share of runs
  // whose category differs (low = high = effect).
  double effect = 0.0;
  double low = 0.0;
  double high = 0.0;
};

// One action of a branch: a move (one row per move of a `move` command), an
// inject or an override.
struct ReviewedAction {
  enum class Kind { move, inject, set };
  Kind kind = Kind::move;
  int turn = 1;
  int step = 0;                     // made at this step; applies before step + 1
  std::string what;                 // move: its id; inject: the effect as typed; set: "PATH VALUE"
  std::string name;                 // move: its name; else ""
  std::string actor;                // move: the actor's id; else "facilitator"
  std::string label;                // inject and set: --label ("" when none)
  std::string reason;               // inject and set: --reason ("" when none)
  std::string effects;              // the effects in words (`describe`)
  std::string event;                // the event id it became
  bool inherited = false;           // made before this branch forked from its parent
  bool applied = false;             // step + 1 ≤ the branch's last step (else no effect yet)
  std::vector<Effect> observables;  // the headline observables it changed, largest |effect| first
  std::vector<Effect> scores;       // every actor with an objective, in file order
  double size = 0.0;                // the largest |effect| on a numeric headline observable
};

// A value at step 0 and at the branch's last step (run 0, the session).
struct EndValue {
  std::string name;
  bool categorical = false;
  std::string start;  // formatted ("+0.130", or a category)
  std::string end;
  double change = 0.0;  // numeric: end − start; categorical: 1 when it changed
};

// A large one-step change of the session, with its main drivers in words.
struct TurningPoint {
  int step = 0;
  std::string what;  // "affinity(ARM,RUS)", "position(ARM,orientation)"
  double change = 0.0;
  std::string drivers;
};

struct BranchReview {
  std::string name;
  std::string parent;                   // "" for main
  int fork_step = 0;                    // where it forked: the step its shared actions reached
  int shared = 0;                       // actions shared with the parent (the inherited ones)
  int last_step = 0;                    // the branch's current step
  int turns = 0;                        // turns played (advances)
  std::vector<std::string> advances;    // "turn 1: steps 0 → 3", … (own advances)
  std::vector<ReviewedAction> actions;  // every move, inject and override, in order
  std::vector<int> ranking;             // indices into actions: applied ones, largest size first
  std::vector<EndValue> end;            // headline observables
  std::vector<EndValue> scores;         // actors with objectives
  std::vector<TurningPoint> affinity_points;  // the five largest one-step changes
  std::vector<TurningPoint> position_points;  // the three largest
  std::vector<std::string> bloc_changes;      // sentences
  bool blocs = false;                         // blocs are tracked
};

struct Review {
  std::string scenario;  // its name
  std::string log;       // the log's name, for the heading
  std::uint64_t seed = 0;
  int runs = 0;                        // paired runs per counterfactual
  std::string checked_out;             // the branch checked out at the end
  std::vector<BranchReview> branches;  // in the order they were made
};

// The review of every branch. Checks out each branch in turn and returns to
// the one checked out before (the session is otherwise unchanged).
Review review_session(Session& session, const std::string& log_name,
                      const ReviewOptions& options = {});

// The review as Markdown.
std::string review_markdown(const Review& review);

// Shorthand: review_markdown(review_session(session, log_name, options)).
std::string review_markdown(Session& session, const std::string& log_name,
                            const ReviewOptions& options = {});

}  // namespace entente
