// Loading a scenario (MODEL.md §4): parse, follow `extends`, merge, apply
// overrides, validate and build. The pieces live beside it in engine/scenario/:
// toml_tree (parsing), merge (extends), overrides (--set), toml_schema and
// scenario_build / scenario_events (validation).
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include "entente/model/stability.hpp"
#include "entente/scenario/scenario_io.hpp"
#include "entente/util/file.hpp"
#include "scenario/merge.hpp"
#include "scenario/overrides.hpp"
#include "scenario/toml_schema.hpp"
#include "scenario/toml_tree.hpp"
#include "util/sha256.hpp"

namespace entente {

namespace fs = std::filesystem;

namespace {

using detail::TomlNode;

// Files above this size are refused before they are read.
constexpr std::uintmax_t kMaxScenarioBytes = 16u << 20;

// The one whole-file reader (util/file.hpp), with the scenario's size limit
// explained.
bool read_file(const fs::path& path, std::string& out, std::string& reason) {
  if (try_read_file(path, out, reason, kMaxScenarioBytes)) return true;
  if (reason.starts_with("larger than")) reason += " (a scenario file is a few kilobytes)";
  return false;
}

// The identity of a file for cycle detection.
fs::path identity_of(const fs::path& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(path, ec);
  return ec ? fs::absolute(path, ec).lexically_normal() : p;
}

struct ChainLink {
  std::string name;  // as shown in messages
  fs::path identity;
};

// Parses `text` (the file `name` in directory `dir`) and, recursively, the
// file it extends; returns the merged tree. `chain` holds the files being
// loaded (for cycles), `files` every file read.
TomlNode load_chain(std::string_view text, const std::string& name, const fs::path& dir,
                    std::vector<ChainLink>& chain, std::vector<SourceFile>& files) {
  files.push_back(SourceFile{name, detail::sha256_hex(text)});
  TomlNode root = detail::parse_toml(text, name);
  const TomlNode* scenario = root.get("scenario");
  const TomlNode* extends =
      scenario != nullptr && scenario->is_table() ? scenario->get("extends") : nullptr;
  if (extends == nullptr) return root;

  const SourceLocation where = extends->where;
  const std::string relative = detail::string_value(*extends, "scenario.extends");
  if (relative.empty()) detail::fail(where, "scenario.extends must name a file");
  const fs::path base = (dir / relative).lexically_normal();
  const ChainLink link{base.generic_string(), identity_of(base)};
  for (std::size_t k = 0; k < chain.size(); ++k) {
    if (chain[k].identity != link.identity) continue;
    std::string cycle;
    for (std::size_t j = k; j < chain.size(); ++j) cycle += chain[j].name + " -> ";
    detail::fail(where, "cyclic extends: " + cycle + link.name);
  }
  std::string base_text;
  std::string reason;
  if (!read_file(base, base_text, reason)) {
    detail::fail(where,
                 "cannot read extends file '" + relative + "' (" + link.name + "): " + reason);
  }
  chain.push_back(link);
  TomlNode merged = load_chain(base_text, link.name, base.parent_path(), chain, files);
  chain.pop_back();
  detail::merge_over(merged, std::move(root));
  return merged;
}

LoadedScenario load(std::string_view text, const std::string& name, const fs::path& dir,
                    const fs::path& identity, std::span<const Override> overrides) {
  LoadedScenario out;
  std::vector<ChainLink> chain{ChainLink{name, identity}};
  TomlNode root = load_chain(text, name, dir, chain, out.files);
  for (const Override& o : overrides) detail::apply_override(root, o);
  out.scenario = detail::build_scenario(root, out.warnings);
  for (Diagnostic& d : stability_warnings(out.scenario, name)) out.warnings.push_back(std::move(d));
  return out;
}

}  // namespace

Override parse_override(std::string_view argument) {
  const std::string text(argument);
  const std::size_t equals = text.find('=');
  const SourceLocation where{"--set", 1, 1};
  if (equals == std::string::npos) {
    throw InputError(
        where, "override '" + text + "' must have the form PATH=VALUE (e.g. model.balance=0.05)");
  }
  std::size_t first = 0;
  std::size_t last = equals;
  while (first < last && (text[first] == ' ' || text[first] == '\t')) ++first;
  while (last > first && (text[last - 1] == ' ' || text[last - 1] == '\t')) --last;
  if (first == last) {
    throw InputError(
        where,
        "override '" + text + "' has an empty path; expected PATH=VALUE (e.g. model.balance=0.05)");
  }
  return Override{text, text.substr(first, last - first), text.substr(equals + 1)};
}

namespace detail {

// For ScenarioTemplate (engine/scenario/scenario_template.hpp): the merged tree
// of `file` and its `extends` chain, before overrides.
TomlNode load_merged_file(const fs::path& file, std::vector<SourceFile>& files) {
  const std::string name = file.string();
  std::string text;
  std::string reason;
  if (!read_file(file, text, reason)) {
    throw InputError(SourceLocation{name, 0, 0}, "cannot read scenario file: " + reason);
  }
  std::vector<ChainLink> chain{ChainLink{name, identity_of(file)}};
  return load_chain(text, name, file.parent_path(), chain, files);
}

}  // namespace detail

LoadedScenario load_scenario(const fs::path& file, std::span<const Override> overrides) {
  const std::string name = file.string();
  std::string text;
  std::string reason;
  if (!read_file(file, text, reason)) {
    throw InputError(SourceLocation{name, 0, 0}, "cannot read scenario file: " + reason);
  }
  return load(text, name, file.parent_path(), identity_of(file), overrides);
}

LoadedScenario load_scenario_text(std::string_view text, const std::string& name,
                                  std::span<const Override> overrides, const fs::path& base_dir) {
  return load(text, name, base_dir, identity_of(base_dir / name), overrides);
}

}  // namespace entente
