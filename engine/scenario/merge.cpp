#include "scenario/merge.hpp"

#include <utility>

namespace entente::detail {

bool merges_by_id(std::string_view key) {
  return key == "axes" || key == "actors" || key == "institutions" || key == "issues" ||
         key == "events" || key == "moves";
}

namespace {

void merge_tables(TomlNode& base, TomlNode&& overlay, bool top_level);

// Elements are matched only against the base's own elements, so that two
// elements with the same id in one file stay two (validation reports them).
void merge_by_id(TomlNode& base, TomlNode&& overlay) {
  const std::size_t base_count = base.items.size();
  for (TomlNode& item : overlay.items) {
    const std::string* id = item.id();
    bool merged = false;
    for (std::size_t k = 0; id != nullptr && k < base_count && !merged; ++k) {
      const std::string* base_id = base.items[k].id();
      if (base_id != nullptr && *base_id == *id) {
        merge_tables(base.items[k], std::move(item), false);
        merged = true;
      }
    }
    if (!merged) base.items.push_back(std::move(item));
  }
}

void merge_tables(TomlNode& base, TomlNode&& overlay, bool top_level) {
  for (TomlEntry& entry : overlay.entries) {
    TomlEntry* existing = base.find(entry.key);
    if (existing == nullptr) {
      base.entries.push_back(std::move(entry));
    } else if (top_level && merges_by_id(entry.key) && existing->value.is_array() &&
               entry.value.is_array()) {
      merge_by_id(existing->value, std::move(entry.value));
    } else if (existing->value.is_table() && entry.value.is_table()) {
      merge_tables(existing->value, std::move(entry.value), false);
    } else {
      existing->key_where = entry.key_where;
      existing->value = std::move(entry.value);
    }
  }
}

}  // namespace

void merge_over(TomlNode& base, TomlNode&& overlay) {
  base.where = overlay.where;  // the document as a whole is the including file
  merge_tables(base, std::move(overlay), true);
}

}  // namespace entente::detail
