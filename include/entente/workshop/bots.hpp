// Engine-played actors ("bots", docs/workshops.md): each turn an actor
// without a team picks, among the combinations of its moves it can afford
// and may play now (none included), the one whose mean objective score
// (MODEL.md §7) H steps ahead over M look-ahead runs is highest. The runs are
// runs 1 … M of the session's seed, the same for every candidate (common
// random numbers), so the candidates differ only by their effects; the
// choice is deterministic for a given seed.
//
// Use: `choose_moves(session, actor, held)` for the decision, then play
// `decision.line(scenario)` as a typed `move` command would be; show and log
// `bot_table_text`. `parse_bots` reads `--bots ARM,RUS` or `--bots rest`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "entente/workshop/play.hpp"

namespace entente {

// How far and how often a bot looks ahead, and how large a menu it accepts.
struct BotOptions {
  int horizon = 6;     // H: steps ahead (≥ 1), clipped to the steps left in the scenario
  int runs = 20;       // M: look-ahead runs 1..M of the session's seed (common random numbers)
  int max_moves = 12;  // an actor with more candidate moves than this is refused (2^k combinations)
};

// One combination of moves a bot considered, and what it expects of it.
struct BotCandidate {
  std::vector<int> moves;   // indices into Scenario::moves, menu order; empty = none
  double cost = 0.0;        // the moves' total cost
  double mean_score = 0.0;  // mean over the M runs of actor_score at step()+H
};

// A bot's choice for this turn, with every candidate it weighed.
struct BotDecision {
  int actor = 0;
  int horizon = 0;                  // H actually used (0: nothing left to play; moves empty)
  int runs = 0;                     // M
  std::vector<int> moves;           // the choice (indices into Scenario::moves, menu order)
  std::vector<BotCandidate> table;  // every candidate evaluated, in enumeration order
  // "move id1 id2" for the choice, or "" when it chose none.
  std::string line(const Scenario& s) const;
};

// The actor's choice now. `held`: indices of other actors' moves submitted
// this turn but not yet in the session (applied in the look-ahead as if
// played, in the order given); moves already played this turn are in
// session.scenario()'s events already.
//
// Candidates: the actor's moves available now (available_when on the
// session's state), not played by it this turn, in every combination whose
// cost fits what is left of its budget this turn (none included), ordered by
// number of moves, then lexicographically by menu index. Each is scored over
// runs r = 1..M from the session's state: at the first step the scenario's
// due events, then the held moves, then the candidate's moves, then the step;
// later steps as Session::look_ahead. The choice is the highest mean score;
// a tie (within 1e-12) goes to the cheaper, then to the earlier candidate.
//
// Throws SessionError for an actor index out of range, a bad held move (out
// of range, or the actor's own), options out of range (horizon or runs < 1,
// runs > 100000, max_moves < 0) and an actor with more than
// options.max_moves candidate moves.
BotDecision choose_moves(const Session& session, int actor, const std::vector<int>& held,
                         const BotOptions& options = {});

// The table as text for the facilitator and the log: one line per candidate
// ("none", "id1 + id2"), its cost and expected score, the chosen one marked
// with `*`. "" for an empty table.
std::string bot_table_text(const BotDecision& d, const Scenario& s);

// "ARM,RUS" or "rest" (every actor that is not in `teams`) → actor indices in
// file order. Throws SessionError naming an unknown id (with a suggestion),
// for a duplicate, for an empty list, and for an actor that is also a team.
std::vector<int> parse_bots(const Scenario& s, std::string_view spec,
                            const std::vector<int>& teams);

}  // namespace entente
