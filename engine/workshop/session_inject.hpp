// The one-line effect forms of `entente play`: `inject` (an effect list in
// TOML, the vocabulary of events) and `set PATH VALUE` (an override of the
// state or of `[model]`, as an effect).
#pragma once

#include <string>
#include <string_view>

#include "entente/scenario/scenario.hpp"

namespace entente::detail {

// Parses `affinity = [{from="RUS", to="ARM", delta=-0.1}]`: exactly one of
// the effect lists of an event, validated as events are. `column` is where
// the text starts in the command line; messages are `inject:1:COL: error: …`.
// Throws InputError.
Effects parse_inject(const std::string& text, int column, const Scenario& scenario);

// The effect of `set PATH VALUE`: model.KEY → parameter; affinity.I.J,
// actors.I.position.AXIS, institutions.G.members.I, interdependence.I.J,
// weights.I.J → set; issues.Q.regime → regime. Throws SessionError naming
// the valid paths, ids (did you mean …?) and ranges.
Effects override_effects(const std::string& path, const std::string& value,
                         const Scenario& scenario);

// `[A-Za-z][A-Za-z0-9_-]*`: branch names.
bool is_session_name(std::string_view name);

}  // namespace entente::detail
