// `extends`: merging a scenario file over its base (MODEL.md §4).
#pragma once

#include <string_view>

#include "scenario/toml_tree.hpp"

namespace entente::detail {

// True for the top-level arrays of tables whose elements merge by `id`:
// axes, actors, institutions, issues, events, moves.
bool merges_by_id(std::string_view top_level_key);

// Merges `overlay` (the including file) over `base` (the file it extends),
// both root tables, leaving the result in `base`:
//  - tables merge key by key, recursively;
//  - the arrays of tables named by merges_by_id merge element by element: an
//    overlay element whose `id` matches a base element merges into it key by
//    key (the element keeps its place); any other element is appended;
//  - every other value of the overlay replaces the base's.
// Nodes keep their source locations, so a message about a merged node still
// names the file it was written in. A table present in both keeps the base's
// location (the root table takes the overlay's: the document is the including
// file).
void merge_over(TomlNode& base, TomlNode&& overlay);

}  // namespace entente::detail
