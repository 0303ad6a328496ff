#include "entente/report/report.hpp"

#include "entente/util/diagnostics.hpp"
#include "report/assets.hpp"
#include "report/calibrate_data.hpp"
#include "report/compare_data.hpp"
#include "report/run_data.hpp"
#include "report/sweep_data.hpp"
#include "util/atomic_file.hpp"
#include "util/manifest.hpp"

namespace entente {

std::string_view to_string(OutputKind kind) {
  switch (kind) {
    case OutputKind::run:
      return "run";
    case OutputKind::compare:
      return "compare";
    case OutputKind::sweep:
      return "sweep";
    case OutputKind::calibration:
      return "calibration";
  }
  return "run";
}

namespace {

OutputKind kind_of(const boost::json::object& manifest, const std::filesystem::path& dir) {
  const std::string file = (dir / "manifest.json").string();
  std::string kind;
  const auto* k = manifest.if_contains("kind");
  const auto* c = manifest.if_contains("command");
  if (k != nullptr && k->is_string()) {
    kind = k->get_string();
  } else if (c != nullptr && c->is_array() && c->get_array().size() > 1 &&
             c->get_array()[1].is_string() &&
             (c->get_array()[1] == "run" || c->get_array()[1] == "compare" ||
              c->get_array()[1] == "sweep")) {
    kind = c->get_array()[1].get_string();
  } else if (c != nullptr && c->is_array() && c->get_array().size() > 1 &&
             c->get_array()[1] == "merge") {
    kind = "sweep";  // `entente merge` joins the shards of a sweep
  } else if (manifest.contains("resolved_scenario")) {
    kind = "run";
  }
  if (kind == "run") return OutputKind::run;
  if (kind == "compare") return OutputKind::compare;
  if (kind == "sweep") return OutputKind::sweep;
  if (kind == "calibration") return OutputKind::calibration;
  throw InputError({file, 0, 0},
                   kind.empty()
                       ? std::string("not an entente output manifest (no resolved_scenario)")
                       : "unknown kind of output '" + kind +
                             "' (a report shows: run, compare, sweep, calibration)");
}

std::string html_escape(std::string_view s) {
  std::string out;
  for (const char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

// The scenario's name for the page title, from the data's "scenario" object.
std::string title_of(const boost::json::object& manifest) {
  const auto* sweep = manifest.if_contains("sweep");  // a sweep's name before its scenario's
  if (sweep != nullptr && sweep->is_string()) return std::string(sweep->get_string());
  const auto* inputs = manifest.if_contains("inputs");  // a compare's: "A vs B, C"
  if (inputs != nullptr && inputs->is_array() && !inputs->get_array().empty()) {
    std::string title;
    int k = 0;
    for (const auto& in : inputs->get_array()) {
      const auto* n = in.is_object() ? in.get_object().if_contains("scenario") : nullptr;
      if (n == nullptr || !n->is_string()) continue;
      title += (k == 0 ? "" : k == 1 ? " vs " : ", ") + std::string(n->get_string());
      ++k;
    }
    if (k > 0) return title;
  }
  const auto* name = manifest.if_contains("scenario");
  if (name != nullptr && name->is_string()) return std::string(name->get_string());
  return "entente";
}

}  // namespace

OutputKind output_kind(const std::filesystem::path& dir) {
  return kind_of(detail::read_manifest(dir), dir);
}

std::string report_data_json(const std::filesystem::path& dir) {
  const auto manifest = detail::read_manifest(dir);
  const OutputKind kind = kind_of(manifest, dir);
  switch (kind) {
    case OutputKind::run:
      return report_detail::run_report_data(dir, manifest);
    case OutputKind::sweep:
      return report_detail::sweep_report_data(dir, manifest);
    case OutputKind::compare:
      return report_detail::compare_report_data(dir, manifest);
    case OutputKind::calibration:
      return report_detail::calibration_report_data(dir, manifest);
  }
  throw std::logic_error("report_data_json: an OutputKind without a report");
}

std::string report_html(const std::filesystem::path& dir) {
  const auto manifest = detail::read_manifest(dir);
  const std::string data = report_data_json(dir);
  // The template's placeholders, each replaced once, in the order they
  // appear; inserted text is never scanned again.
  const std::pair<std::string_view, std::string> parts[] = {
      {"{{title}}", html_escape(title_of(manifest)) + " · entente report"},
      {"{{style}}", std::string(report_assets::report_css())},
      {"{{notice}}", html_escape(report_assets::echarts_notice())},
      {"{{data}}", data},
      {"{{echarts}}", std::string(report_assets::echarts_js())},
      {"{{script}}",
       std::string(report_assets::report_js()) + "\n" + std::string(report_assets::view_run_js()) +
           "\n" + std::string(report_assets::view_sweep_js()) + "\n" +
           std::string(report_assets::view_compare_js()) + "\n" +
           std::string(report_assets::view_calibrate_js()) + "\nententeReport.start();\n"},
  };
  const std::string_view page = report_assets::template_html();
  std::string out;
  out.reserve(page.size() + data.size() + report_assets::echarts_js().size() + (1 << 16));
  std::size_t pos = 0;
  for (const auto& [placeholder, text] : parts) {
    const auto at = page.find(placeholder, pos);
    if (at == std::string_view::npos) {
      throw std::logic_error("report template lacks " + std::string(placeholder));
    }
    out.append(page.substr(pos, at - pos));
    out.append(text);
    pos = at + placeholder.size();
  }
  out.append(page.substr(pos));
  return out;
}

std::filesystem::path default_report_path(const std::filesystem::path& dir) {
  return dir / "report.html";
}

std::uintmax_t write_report(const std::filesystem::path& dir, const std::filesystem::path& file) {
  const std::string html = report_html(dir);
  detail::write_file_atomically(file, html);
  return html.size();
}

}  // namespace entente
