#include "scenario/overrides.hpp"

#include <string_view>
#include <utility>
#include <vector>

#include "scenario/merge.hpp"
#include "util/suggest.hpp"

namespace entente::detail {

namespace {

const std::string kSetFile = "--set";

struct Segment {
  std::string text;
  std::size_t offset = 0;  // 0-based, in the argument
};

SourceLocation at(std::size_t offset) {
  return SourceLocation{kSetFile, 1, static_cast<int>(offset) + 1};
}

std::vector<Segment> split_path(const std::string& path, std::size_t path_offset) {
  std::vector<Segment> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = path.find('.', start);
    const std::size_t end = dot == std::string::npos ? path.size() : dot;
    out.push_back(Segment{path.substr(start, end - start), path_offset + start});
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return out;
}

// "actor" for `actors`, and so on.
std::string element_kind(std::string_view array_key) {
  if (array_key == "axes") return "axis";
  if (array_key == "actors") return "actor";
  if (array_key == "institutions") return "institution";
  if (array_key == "issues") return "issue";
  if (array_key == "events") return "event";
  if (array_key == "moves") return "move";
  return "element";
}

// The value node, read as TOML with the trick of MODEL.md's `--set` messages:
// the path is replaced by a bare key of the same length, so that toml++'s
// columns are the columns in the argument.
TomlNode read_value(const std::string& text, std::size_t equals) {
  TomlNode value;
  const std::string doc = std::string(equals, 'x') + text.substr(equals);
  if (parse_toml_value(doc, kSetFile, value)) return value;
  // Not a TOML value: the word itself, without surrounding blanks.
  std::size_t first = equals + 1;
  std::size_t last = text.size();
  while (first < last && (text[first] == ' ' || text[first] == '\t')) ++first;
  while (last > first && (text[last - 1] == ' ' || text[last - 1] == '\t')) --last;
  value = TomlNode{};
  value.type = TomlNode::Type::string;
  value.string = text.substr(first, last - first);
  value.where = at(first);
  value.content_offset = 0;
  return value;
}

}  // namespace

void apply_override(TomlNode& root, const Override& o) {
  // Columns are those of the argument as given; an Override built by hand
  // (text not holding PATH=VALUE) is located as if it read PATH=VALUE.
  std::string text = o.text;
  std::size_t path_offset = text.find(o.path);
  std::size_t equals = path_offset == std::string::npos
                           ? std::string::npos
                           : text.find('=', path_offset + o.path.size());
  if (equals == std::string::npos) {
    text = o.path + "=" + o.value;
    path_offset = 0;
    equals = o.path.size();
  }
  const std::vector<Segment> segments = split_path(o.path, path_offset);
  const std::string quoted = "'" + o.path + "'";

  TomlNode* table = &root;
  std::string walked;
  for (std::size_t k = 0; k < segments.size(); ++k) {
    const Segment& seg = segments[k];
    if (seg.text.empty()) throw InputError(at(seg.offset), "empty key in --set path " + quoted);
    if (k == 1 && walked == "scenario" && seg.text == "extends") {
      throw InputError(
          at(seg.offset),
          "scenario.extends cannot be overridden (extends is resolved before overrides)");
    }
    walked += (walked.empty() ? "" : ".") + seg.text;
    TomlEntry* entry = table->find(seg.text);
    if (k + 1 == segments.size()) {
      TomlNode value = read_value(text, equals);
      if (entry != nullptr) {
        entry->key_where = at(seg.offset);
        entry->value = std::move(value);
      } else {
        table->entries.push_back(TomlEntry{seg.text, at(seg.offset), std::move(value)});
      }
      return;
    }
    if (entry == nullptr && table == &root && merges_by_id(seg.text)) {
      throw InputError(at(segments[k + 1].offset),
                       "unknown " + element_kind(seg.text) + " '" + segments[k + 1].text +
                           "' in --set path " + quoted + " (there are no [[" + seg.text + "]])");
    }
    if (entry == nullptr) {
      TomlNode created;
      created.type = TomlNode::Type::table;
      created.where = at(seg.offset);
      table->entries.push_back(TomlEntry{seg.text, at(seg.offset), std::move(created)});
      entry = &table->entries.back();
    }
    TomlNode& next = entry->value;
    if (next.is_table()) {
      table = &next;
      continue;
    }
    if (!next.is_array()) {
      throw InputError(at(seg.offset), "cannot set " + quoted + ": " + walked + " is " +
                                           std::string(describe(next.type)) + ", not a table");
    }
    // An array of tables: the next segment names an element by its id.
    std::vector<std::string> ids;
    for (const TomlNode& item : next.items) {
      if (item.id() == nullptr) {
        throw InputError(at(seg.offset), "cannot set " + quoted + ": " + walked +
                                             " is an array whose elements have no id; set "
                                             "the whole array instead");
      }
      ids.push_back(*item.id());
    }
    const Segment& id = segments[++k];
    if (id.text.empty()) throw InputError(at(id.offset), "empty key in --set path " + quoted);
    const std::string kind = element_kind(seg.text);
    TomlNode* element = nullptr;
    for (TomlNode& item : next.items) {
      if (*item.id() == id.text && element == nullptr) element = &item;
    }
    if (element == nullptr) {
      throw InputError(at(id.offset), "unknown " + kind + " '" + id.text + "' in --set path " +
                                          quoted + suggestion(id.text, ids));
    }
    walked += "." + id.text;
    if (k + 1 == segments.size()) {
      throw InputError(at(id.offset), "--set path " + quoted + " names a whole " + kind +
                                          "; set one of its keys, e.g. '" + o.path + ".name'");
    }
    table = element;
  }
}

}  // namespace entente::detail
