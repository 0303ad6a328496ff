// TOML pieces that `entente play` writes when it saves a session
// (implemented beside `to_toml`, engine/scenario/scenario_show.cpp).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "entente/scenario/scenario.hpp"

namespace entente::detail {

// The events as `[[events]]` tables, in `to_toml`'s form (ids resolved
// against `scenario`). Loading them back gives equal events.
std::string events_to_toml(const std::vector<Event>& events, const Scenario& scenario);

// A TOML basic string with every needed escape: `"a \"b\""`.
std::string quote_toml(std::string_view text);

}  // namespace entente::detail
