// `entente review`: the after-action review of a workshop session, in
// Markdown: the timeline of moves, injects and overrides with their reasons,
// the turning points with their drivers, the end state against the start,
// and each move's counterfactual.
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

// The review as Markdown; `log_name` is named in the heading.
std::string review_markdown(const Session& session, const std::string& log_name);

}  // namespace entente
