#include "scenario/toml_schema.hpp"

#include "entente/model/rng.hpp"

#include <charconv>
#include <cmath>

#include "util/suggest.hpp"

namespace entente::detail {

void fail(const SourceLocation& where, const std::string& message) {
  throw InputError(where, message);
}

std::string format_number(double v) {
  // The shortest form, but plain decimals where they are not much longer
  // ("0.0003", not "3e-04").
  char buf[400];
  const auto shortest = std::to_chars(buf, buf + sizeof buf, v);
  std::string s(buf, shortest.ptr);
  const auto fixed = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  if (fixed.ec == std::errc() && static_cast<std::size_t>(fixed.ptr - buf) <= s.size() + 3) {
    s.assign(buf, fixed.ptr);
  }
  return s;
}

std::string table_label(const std::string& path) {
  if (path.find_first_of(".[") == std::string::npos) return "[" + path + "]";
  return path;
}

namespace {

void check_key_list(const TomlNode& node, const std::vector<std::string>& allowed,
                    const std::string& path) {
  expect_table(node, path);
  for (const TomlEntry& e : node.entries) {
    bool known = false;
    for (const auto& a : allowed) known = known || a == e.key;
    if (known) continue;
    const std::string where = path.empty() ? "unknown top-level key '" + e.key + "'"
                                           : "unknown key '" + e.key + "' in " + table_label(path);
    fail(e.key_where, where + suggestion(e.key, allowed));
  }
}

std::string type_error(const TomlNode& node, const std::string& path, std::string_view expected) {
  return path + " must be " + std::string(expected) + ", not " + std::string(describe(node.type));
}

}  // namespace

void check_keys(const TomlNode& node, std::initializer_list<std::string_view> allowed,
                const std::string& path) {
  check_key_list(node, std::vector<std::string>(allowed.begin(), allowed.end()), path);
}

void check_keys(const TomlNode& node, const std::vector<std::string>& allowed,
                const std::string& path) {
  check_key_list(node, allowed, path);
}

const TomlNode& expect_table(const TomlNode& node, const std::string& path) {
  if (!node.is_table()) fail(node.where, type_error(node, path, "a table"));
  return node;
}

const TomlNode& require_key(const TomlNode& table, std::string_view key, const std::string& path) {
  const TomlNode* v = table.get(key);
  if (v == nullptr) {
    fail(table.where, "missing required key '" + std::string(key) + "' in " + table_label(path));
  }
  return *v;
}

std::string string_value(const TomlNode& node, const std::string& path) {
  if (!node.is_string()) fail(node.where, type_error(node, path, "a string"));
  return node.string;
}

bool bool_value(const TomlNode& node, const std::string& path) {
  if (node.type != TomlNode::Type::boolean) {
    fail(node.where, type_error(node, path, "a boolean (true or false)"));
  }
  return node.boolean;
}

std::int64_t integer_in(const TomlNode& node, const std::string& path, std::int64_t min,
                        std::int64_t max) {
  if (node.type != TomlNode::Type::integer) fail(node.where, type_error(node, path, "an integer"));
  const std::int64_t v = node.integer;
  if (v < min) {
    fail(node.where,
         path + " must be >= " + std::to_string(min) + " (got " + std::to_string(v) + ")");
  }
  if (v > max) {
    fail(node.where,
         path + " must be <= " + std::to_string(max) + " (got " + std::to_string(v) + ")");
  }
  return v;
}

double number_value(const TomlNode& node, const std::string& path) {
  if (node.type == TomlNode::Type::integer) return static_cast<double>(node.integer);
  if (node.type != TomlNode::Type::floating) fail(node.where, type_error(node, path, "a number"));
  if (!std::isfinite(node.floating)) {
    fail(node.where, path + " must be a finite number (got " + format_number(node.floating) + ")");
  }
  return node.floating;
}

double number_in(const TomlNode& node, const std::string& path, double min, double max) {
  const double v = number_value(node, path);
  if (v < min || v > max) {
    fail(node.where, path + " must be in [" + format_number(min) + ", " + format_number(max) +
                         "] (got " + format_number(v) + ")");
  }
  return v;
}

double number_positive(const TomlNode& node, const std::string& path) {
  const double v = number_value(node, path);
  if (!(v > 0)) fail(node.where, path + " must be > 0 (got " + format_number(v) + ")");
  return v;
}

double number_nonnegative(const TomlNode& node, const std::string& path) {
  const double v = number_value(node, path);
  if (v < 0) fail(node.where, path + " must be >= 0 (got " + format_number(v) + ")");
  return v;
}

bool is_valid_id(std::string_view id) {
  const auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (id.empty() || !letter(id[0])) return false;
  for (char c : id) {
    if (!letter(c) && !digit(c) && c != '_') return false;
  }
  return true;
}

std::string id_value(const TomlNode& node, const std::string& path, std::string_view kind) {
  const std::string id = string_value(node, path);
  if (!is_valid_id(id)) {
    fail(node.where, "invalid " + std::string(kind) + " id '" + id +
                         "' (an id starts with a letter, followed by letters, digits or '_')");
  }
  return id;
}

int resolve_id(std::string_view id, const std::vector<std::string>& ids, std::string_view kind,
               const std::string& path, const SourceLocation& where) {
  for (std::size_t k = 0; k < ids.size(); ++k) {
    if (ids[k] == id) return static_cast<int>(k);
  }
  fail(where, "unknown " + std::string(kind) + " '" + std::string(id) + "' in " + path +
                  suggestion(id, ids));
}

int id_ref(const TomlNode& table, std::string_view key, const std::vector<std::string>& ids,
           std::string_view kind, const std::string& path) {
  const TomlNode& node = require_key(table, key, path);
  const std::string value_path = path + "." + std::string(key);
  return resolve_id(string_value(node, value_path), ids, kind, value_path, node.where);
}

std::vector<Element> elements(const TomlNode* array, const std::string& key, std::string_view kind,
                              std::initializer_list<std::string_view> allowed) {
  std::vector<Element> out;
  if (array == nullptr) return out;
  if (!array->is_array()) {
    fail(array->where, key + " must be an array of tables ([[" + key + "]]), not " +
                           std::string(describe(array->type)));
  }
  for (std::size_t k = 0; k < array->items.size(); ++k) {
    const TomlNode& item = array->items[k];
    std::string path = key + "[" + std::to_string(k) + "]";
    if (!item.is_table()) fail(item.where, type_error(item, path, "a table"));
    if (item.id() != nullptr && is_valid_id(*item.id())) path = key + "." + *item.id();
    check_keys(item, allowed, path);
    const TomlNode& id_node = require_key(item, "id", path);
    Element e{&item, path, id_value(id_node, path + ".id", kind)};
    for (const Element& before : out) {
      if (before.id == e.id) {
        fail(id_node.where, "duplicate " + std::string(kind) + " id '" + e.id +
                                "' (first defined at " + to_string(before.table->get("id")->where) +
                                ")");
      }  // The noise counters (MODEL.md §2.3) tell actors, and axes, apart
      // by a 32-bit hash of the id (include/entente/model/rng.hpp).
      if ((kind == "actor" || kind == "axis") && noise_id(before.id) == noise_id(e.id)) {
        fail(id_node.where, std::string(kind) + " id '" + e.id + "' has the same noise id as '" +
                                before.id + "' (defined at " +
                                to_string(before.table->get("id")->where) +
                                "): rename one of them");
      }
    }
    out.push_back(std::move(e));
  }
  return out;
}

SourceLocation inside_string(const TomlNode& node, std::size_t offset) {
  SourceLocation at = node.where;
  at.column += node.content_offset + static_cast<int>(offset);
  return at;
}

}  // namespace entente::detail
