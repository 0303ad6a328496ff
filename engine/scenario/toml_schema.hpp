// Validation of the merged TOML tree against the scenario schema (MODEL.md §4)
// and construction of the Scenario. The checked accessors below throw
// InputError at the node's location with a message that names the value by
// its dotted path (the path `--set` would use: `actors.ARM.power`,
// `events.x.membership[0].level`) and says what would be valid:
//
//   unknown key 'powr' in actors.ARM (did you mean 'power'?)
//   unknown top-level key 'actor' (did you mean 'actors'?)
//   missing required key 'power' in actors.ARM
//   actors.ARM.power must be a number, not a string
//   actors.ARM.power must be > 0 (got 0)
//   actors.ARM.stubbornness must be in [0, 1] (got 1.5)
//   actors.ARM.power must be a finite number (got nan)
//   unknown actor 'RSU' in affinity.ARM (did you mean 'RUS'?)
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "entente/scenario/scenario.hpp"
#include "entente/util/diagnostics.hpp"
#include "scenario/toml_tree.hpp"

namespace entente::detail {

[[noreturn]] void fail(const SourceLocation& where, const std::string& message);

// A short decimal form that reads back to `v` exactly: the shortest one, or
// the plain decimal when that is at most 3 characters longer ("0.1", "1",
// "0.0003", "1e+20", "nan", "-inf").
std::string format_number(double v);

// How a table is named in messages: "[scenario]" for a top-level table,
// the dotted path otherwise ("actors.ARM", "events.x.membership[0]").
std::string table_label(const std::string& path);

// Checks that `node` is a table whose keys are all in `allowed`.
void check_keys(const TomlNode& node, std::initializer_list<std::string_view> allowed,
                const std::string& path);
void check_keys(const TomlNode& node, const std::vector<std::string>& allowed,
                const std::string& path);

const TomlNode& expect_table(const TomlNode& node, const std::string& path);
const TomlNode& require_key(const TomlNode& table, std::string_view key, const std::string& path);

std::string string_value(const TomlNode& node, const std::string& path);
bool bool_value(const TomlNode& node, const std::string& path);
std::int64_t integer_in(const TomlNode& node, const std::string& path, std::int64_t min,
                        std::int64_t max);
double number_value(const TomlNode& node, const std::string& path);  // finite; integers accepted
double number_in(const TomlNode& node, const std::string& path, double min, double max);
double number_positive(const TomlNode& node, const std::string& path);     // > 0
double number_nonnegative(const TomlNode& node, const std::string& path);  // >= 0

// `[A-Za-z][A-Za-z0-9_]*`
bool is_valid_id(std::string_view id);
// A string with the id syntax; `kind` names what it identifies ("option").
std::string id_value(const TomlNode& node, const std::string& path, std::string_view kind);

// The index of `id` in `ids`, or an error at `where`: "unknown KIND 'ID' in
// PATH (did you mean …?)".
int resolve_id(std::string_view id, const std::vector<std::string>& ids, std::string_view kind,
               const std::string& path, const SourceLocation& where);
// A required key holding the id of a KIND among `ids`.
int id_ref(const TomlNode& table, std::string_view key, const std::vector<std::string>& ids,
           std::string_view kind, const std::string& path);

// One element of an array of tables, named by its id when it has a valid one.
struct Element {
  const TomlNode* table = nullptr;
  std::string path;  // "actors.ARM", or "actors[3]" before the id is known
  std::string id;
};
// Checks that `array` (may be null: no elements) is an array of tables, each
// with only `allowed` keys and a unique, valid `id`; `kind` names an element
// ("actor").
std::vector<Element> elements(const TomlNode* array, const std::string& key, std::string_view kind,
                              std::initializer_list<std::string_view> allowed);

template <class Vec>
std::vector<std::string> ids_of(const Vec& v) {
  std::vector<std::string> out;
  for (const auto& e : v) out.push_back(e.id);
  return out;
}

// Column of the character at byte `offset` inside a string node's content.
SourceLocation inside_string(const TomlNode& node, std::size_t offset);

// Builds the Scenario from the merged root table; load-time warnings about
// events go to `warnings`.
Scenario build_scenario(const TomlNode& root, std::vector<Diagnostic>& warnings);

// [[events]] (engine/scenario/scenario_events.cpp); needs everything else built.
void build_events(const TomlNode* events, Scenario& s, std::vector<Diagnostic>& warnings);

}  // namespace entente::detail
