#include "scenario/toml_tree.hpp"

#include <toml++/toml.h>
#include <algorithm>

namespace entente::detail {

const TomlEntry* TomlNode::find(std::string_view key) const {
  for (const auto& e : entries) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

TomlEntry* TomlNode::find(std::string_view key) {
  for (auto& e : entries) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

const TomlNode* TomlNode::get(std::string_view key) const {
  const TomlEntry* e = find(key);
  return e != nullptr ? &e->value : nullptr;
}

const std::string* TomlNode::id() const {
  if (!is_table()) return nullptr;
  const TomlNode* v = get("id");
  return v != nullptr && v->is_string() ? &v->string : nullptr;
}

std::string_view describe(TomlNode::Type type) {
  switch (type) {
    case TomlNode::Type::string:
      return "a string";
    case TomlNode::Type::integer:
      return "an integer";
    case TomlNode::Type::floating:
      return "a float";
    case TomlNode::Type::boolean:
      return "a boolean";
    case TomlNode::Type::date:
      return "a date";
    case TomlNode::Type::time:
      return "a time";
    case TomlNode::Type::date_time:
      return "a date-time";
    case TomlNode::Type::array:
      return "an array";
    case TomlNode::Type::table:
      return "a table";
  }
  return "a value";
}

namespace {

SourceLocation location(const toml::source_region& r, const std::string& file) {
  return SourceLocation{file, static_cast<int>(r.begin.line), static_cast<int>(r.begin.column)};
}

bool before(const SourceLocation& a, const SourceLocation& b) {
  return a.line != b.line ? a.line < b.line : a.column < b.column;
}

TomlNode convert(const toml::node& n, const std::string& file) {
  TomlNode out;
  out.where = location(n.source(), file);
  switch (n.type()) {
    case toml::node_type::table: {
      out.type = TomlNode::Type::table;
      for (const auto& [k, v] : *n.as_table()) {
        out.entries.push_back(
            TomlEntry{std::string(k.str()), location(k.source(), file), convert(v, file)});
      }
      // toml++ keeps keys sorted; messages read better in the order written.
      std::stable_sort(
          out.entries.begin(), out.entries.end(),
          [](const TomlEntry& a, const TomlEntry& b) { return before(a.key_where, b.key_where); });
      break;
    }
    case toml::node_type::array:
      out.type = TomlNode::Type::array;
      for (const auto& v : *n.as_array()) out.items.push_back(convert(v, file));
      break;
    case toml::node_type::string:
      out.type = TomlNode::Type::string;
      out.string = n.as_string()->get();
      break;
    case toml::node_type::integer:
      out.type = TomlNode::Type::integer;
      out.integer = n.as_integer()->get();
      break;
    case toml::node_type::floating_point:
      out.type = TomlNode::Type::floating;
      out.floating = n.as_floating_point()->get();
      break;
    case toml::node_type::boolean:
      out.type = TomlNode::Type::boolean;
      out.boolean = n.as_boolean()->get();
      break;
    case toml::node_type::date: {
      out.type = TomlNode::Type::date;
      const toml::date d = n.as_date()->get();
      out.year = d.year;
      out.month = d.month;
      out.day = d.day;
      break;
    }
    case toml::node_type::time:
      out.type = TomlNode::Type::time;
      break;
    case toml::node_type::date_time:
      out.type = TomlNode::Type::date_time;
      break;
    case toml::node_type::none:
      break;
  }
  return out;
}

toml::table parse_or_throw(std::string_view text, const std::string& file) {
  try {
    return toml::parse(text, std::string_view(file));
  } catch (const toml::parse_error& e) {
    throw InputError(location(e.source(), file), std::string(e.description()));
  }
}

}  // namespace

TomlNode parse_toml(std::string_view text, const std::string& file) {
  const toml::table table = parse_or_throw(text, file);
  TomlNode root = convert(table, file);
  root.where = SourceLocation{file, 1, 1};
  return root;
}

bool parse_toml_value(std::string_view text, const std::string& file, TomlNode& value) {
  toml::table table;
  try {
    table = toml::parse(text, std::string_view(file));
  } catch (const toml::parse_error&) {
    return false;
  }
  if (table.size() != 1) return false;
  value = convert(table.cbegin()->second, file);
  return true;
}

}  // namespace entente::detail
