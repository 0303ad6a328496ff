// "Did you mean …?" for misspelt keys and ids.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace entente::detail {

// Optimal-string-alignment distance (Levenshtein with transpositions),
// case-insensitive.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `word`, or "" when none is close enough (distance
// at most max(1, |word| / 3), and less than |word|).
std::string nearest(std::string_view word, const std::vector<std::string>& candidates);

// " (did you mean 'X'?)" or, when nothing is close, " (valid: a, b, c)" listing
// at most `list_max` candidates; "" when there are no candidates.
std::string suggestion(std::string_view word, const std::vector<std::string>& candidates,
                       std::size_t list_max = 12);

}  // namespace entente::detail
