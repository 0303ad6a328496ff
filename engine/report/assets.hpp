// The files a report is made of, embedded into the binary at build time by
// engine/report/embed.cmake from engine/report/: the page template, its
// script and style, and the vendored charting library (Apache ECharts, with
// its licence header).
#pragma once

#include <string_view>

namespace entente::report_assets {

std::string_view template_html();      // engine/report/template.html
std::string_view report_css();         // engine/report/report.css
std::string_view report_js();          // engine/report/report.js
std::string_view view_run_js();        // engine/report/view_run.js
std::string_view view_sweep_js();      // engine/report/view_sweep.js
std::string_view view_compare_js();    // engine/report/view_compare.js
std::string_view view_calibrate_js();  // engine/report/view_calibrate.js
std::string_view echarts_js();         // engine/report/vendor/echarts/echarts.min.js
std::string_view echarts_notice();     // engine/report/vendor/echarts/NOTICE
std::string_view room_html();          // engine/room/pages/room.html (entente serve)
std::string_view room_css();           // engine/room/pages/room.css
std::string_view room_js();            // engine/room/pages/room.js

}  // namespace entente::report_assets
