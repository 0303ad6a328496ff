// Fog of war for the room's views (engine/room/room_fog.cpp): what an
// observer sees of the state — a team (its actor's index), the public (the
// projector) or the truth (the facilitator). docs/workshops.md, "Fog of war".
#pragma once

#include <boost/json.hpp>
#include <optional>

#include "entente/room/room.hpp"

namespace entente::detail::fog {

// Who sees a value: `observer` ≥ 0 is a team's actor, -1 the public, -2 the
// truth (the facilitator).
inline constexpr int kPublic = -1;
inline constexpr int kTruth = -2;

// The value of R[i][j] (axis < 0) or x[i][axis] as `observer` sees it.
std::optional<double> seen(const Scenario& s, const PlaySpec& fog, int observer, int step, int i,
                           int j, int axis, double truth);

// The state as `observer` sees it at `step`: positions, relations (each
// with `exact`), regimes, memberships; what it may not see is left out.
boost::json::object state_json(const Session& session, const PlaySpec& fog, int observer, int step);

// Whether `observer` sees observable `o` exactly, with error, or not at all.
enum class Sight { exact, fogged, hidden };
Sight sight(const PlaySpec& fog, int observer, const Observable& o);

// The value of `o` as `observer` sees it at `step`, or none.
std::optional<double> seen_observable(const Session& session, const PlaySpec& fog, int observer,
                                      int step, const Observable& o);

}  // namespace entente::detail::fog
