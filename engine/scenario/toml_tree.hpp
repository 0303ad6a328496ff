// A parsed TOML document as a plain tree that remembers where every node and
// every key was written. The loader converts toml++'s tree into this one right
// after parsing, because toml++ does not keep source regions when nodes are
// copied and offers no way to set them; merging (`extends`) and overrides
// (`--set`) move nodes between documents, and every message must still name
// the file, line and column where the offending node was written.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "entente/util/diagnostics.hpp"

namespace entente::detail {

struct TomlEntry;

struct TomlNode {
  enum class Type { string, integer, floating, boolean, date, time, date_time, array, table };
  Type type = Type::table;
  SourceLocation where;

  std::string string;                // string
  int content_offset = 1;            // columns from `where` to a string's first character
                                     // (1 after a quote; 0 for a bare `--set` word)
  std::int64_t integer = 0;          // integer
  double floating = 0.0;             // floating
  bool boolean = false;              // boolean
  int year = 0, month = 0, day = 0;  // date
  std::vector<TomlNode> items;       // array
  std::vector<TomlEntry> entries;    // table, in the order written

  bool is_table() const { return type == Type::table; }
  bool is_array() const { return type == Type::array; }
  bool is_string() const { return type == Type::string; }
  bool is_number() const { return type == Type::integer || type == Type::floating; }

  // The entry with that key in a table, or nullptr.
  const TomlEntry* find(std::string_view key) const;
  TomlEntry* find(std::string_view key);
  // The value with that key in a table, or nullptr.
  const TomlNode* get(std::string_view key) const;
  // The value of `id` when this is a table whose `id` is a string, or nullptr.
  const std::string* id() const;
};

struct TomlEntry {
  std::string key;
  SourceLocation key_where;
  TomlNode value;
};

// "a string", "an integer", "a float", … for messages.
std::string_view describe(TomlNode::Type type);

// Parses a TOML document; `file` names it in locations. Throws InputError at
// toml++'s error position with its description.
TomlNode parse_toml(std::string_view text, const std::string& file);

// Parses `text` and returns the value of its only key, or false when the text
// is not a document of exactly one key (used for `--set` values).
bool parse_toml_value(std::string_view text, const std::string& file, TomlNode& value);

}  // namespace entente::detail
