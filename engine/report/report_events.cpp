// Parts of a run's report data: the scenario header, the events that fired
// (events.csv) and the drivers of every relation's change (drivers.csv).
#include <algorithm>
#include <map>

#include "entente/model/step.hpp"
#include "entente/util/diagnostics.hpp"
#include "report/run_data.hpp"

namespace entente::report_detail {

void write_scenario(JsonWriter& w, const Scenario& scenario, const boost::json::object& manifest,
                    const std::string& text) {
  write_generator(w);
  write_manifest_without(w, manifest, {"resolved_scenario"});  // the text follows once
  w.key("scenario");
  w.begin_object();
  w.key("name");
  w.value(scenario.name);
  w.key("description");
  w.value(scenario.description);
  w.key("step_unit");
  w.value(to_string(scenario.step_unit));
  w.key("text");
  w.value(text);
  w.key("axes");
  w.begin_array();
  for (const auto& a : scenario.axes) {
    w.begin_object();
    w.key("id");
    w.value(a.id);
    w.key("low");
    w.value(a.low);
    w.key("high");
    w.value(a.high);
    w.end_object();
  }
  w.end_array();
  w.key("actors");
  w.begin_array();
  for (const auto& a : scenario.actors) {
    w.begin_object();
    w.key("id");
    w.value(a.id);
    w.key("name");
    w.value(a.name);
    w.key("power");
    w.value(a.power);
    w.end_object();
  }
  w.end_array();
  w.key("bloc_anchor");
  w.value(scenario.actors[static_cast<std::size_t>(scenario.output.bloc_anchor)].id);
  w.end_object();
}

void write_events(JsonWriter& w, const Scenario& scenario, const std::filesystem::path& file,
                  int steps, int runs) {
  detail::CsvReader r(file);
  const int run = r.column("run"), step = r.column("step"), event = r.column("event"),
            detail = r.column("detail");
  // Per event (file order): how many runs fired it at each step, and what it
  // did the first time it is seen.
  std::vector<std::map<int, int>> fired(scenario.events.size());
  std::vector<std::string> details(scenario.events.size());
  while (r.next()) {
    r.integer(run, 0, runs - 1);
    const int t = static_cast<int>(r.integer(step, 1, steps));
    const int e = scenario.find_event(r.field(event));
    if (e < 0) r.fail(event, "unknown event '" + std::string(r.field(event)) + "'");
    const auto ue = static_cast<std::size_t>(e);
    ++fired[ue][t];
    if (details[ue].empty()) details[ue] = r.field(detail);
  }
  w.key("events");
  w.begin_array();
  for (std::size_t e = 0; e < scenario.events.size(); ++e) {
    if (fired[e].empty()) continue;
    const auto& ev = scenario.events[e];
    w.begin_object();
    w.key("id");
    w.value(ev.id);
    w.key("name");
    w.value(ev.name.empty() ? ev.id : ev.name);
    w.key("description");
    w.value(ev.description);
    w.key("when");
    w.value(ev.when_text);
    w.key("detail");
    w.value(details[e]);
    w.key("fired");  // [[step, share of runs], …]
    w.begin_array();
    for (const auto& [t, count] : fired[e]) {
      w.begin_array();
      w.value(t);
      w.value(count / static_cast<double>(runs));
      w.end_array();
    }
    w.end_array();
    w.end_object();
  }
  w.end_array();
}

namespace {

// Drivers in the order of MODEL.md §5.3: events, then mechanisms (or
// influences), then noise and clip; names the model does not list go last,
// in order of appearance.
std::vector<std::string> driver_order(const Scenario& scenario, bool positions) {
  std::vector<std::string> order;
  for (const auto& e : scenario.events) order.push_back("event:" + e.id);
  for (auto& name : positions ? position_driver_names(scenario) : affinity_driver_names(scenario))
    order.push_back(std::move(name));
  return order;
}

// `{"names":[…],"<member>":[{"driver index": mean per step, …} per slot]}`:
// the mean over the runs of each driver's contribution to each slot's change
// (a missing row counts as 0), summed in file order. `slot_of(row)` reads
// the row's slot (and fails the row when it names no slot).
template <class SlotOf>
void write_driver_means(JsonWriter& w, detail::CsvReader& r, std::vector<std::string> names,
                        const char* member, int slots, int steps, int runs, SlotOf slot_of) {
  const int run = r.column("run"), step = r.column("step"), driver = r.column("driver"),
            contribution = r.column("contribution");
  // sums[slot][driver][step]
  std::vector<std::map<std::size_t, std::vector<double>>> sums(static_cast<std::size_t>(slots));
  while (r.next()) {
    r.integer(run, 0, runs - 1);
    const int t = static_cast<int>(r.integer(step, 1, steps));
    const int slot = slot_of(r);
    const auto name = r.field(driver);
    auto d = static_cast<std::size_t>(std::find(names.begin(), names.end(), name) - names.begin());
    if (d == names.size()) names.emplace_back(name);
    auto& per_step = sums[static_cast<std::size_t>(slot)][d];
    if (per_step.empty()) per_step.assign(static_cast<std::size_t>(steps + 1), 0.0);
    per_step[static_cast<std::size_t>(t)] += r.number(contribution);
  }
  w.begin_object();
  w.key("names");
  w.strings(names);
  w.key(member);  // per slot: {"driver index": mean contribution per step}
  w.begin_array();
  for (auto& per_driver : sums) {
    w.begin_object();
    for (auto& [d, per_step] : per_driver) {
      for (auto& v : per_step) v /= runs;
      w.key(std::to_string(d));
      w.numbers(per_step);
    }
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

}  // namespace

void write_drivers(JsonWriter& w, const Scenario& scenario, const std::filesystem::path& file,
                   int steps, int runs) {
  detail::CsvReader r(file);
  const int from = r.column("from"), to = r.column("to");
  const int n = scenario.actor_count();
  write_driver_means(w, r, driver_order(scenario, false), "pairs", n * (n - 1), steps, runs,
                     [&](const detail::CsvReader& row) {
                       const int i = scenario.find_actor(row.field(from));
                       const int j = scenario.find_actor(row.field(to));
                       if (i < 0)
                         row.fail(from, "unknown actor '" + std::string(row.field(from)) + "'");
                       if (j < 0 || j == i)
                         row.fail(to, "unknown actor '" + std::string(row.field(to)) + "'");
                       return i * (n - 1) + (j < i ? j : j - 1);
                     });
}

void write_position_drivers(JsonWriter& w, const Scenario& scenario,
                            const std::filesystem::path& file, int steps, int runs) {
  detail::CsvReader r(file);
  const int actor = r.column("actor"), axis = r.column("axis");
  const int k = scenario.axis_count();
  write_driver_means(w, r, driver_order(scenario, true), "slots", scenario.actor_count() * k, steps,
                     runs, [&](const detail::CsvReader& row) {
                       const int i = scenario.find_actor(row.field(actor));
                       if (i < 0)
                         row.fail(actor, "unknown actor '" + std::string(row.field(actor)) + "'");
                       const int a = scenario.find_axis(row.field(axis));
                       if (a < 0)
                         row.fail(axis, "unknown axis '" + std::string(row.field(axis)) + "'");
                       return i * k + a;
                     });
}

}  // namespace entente::report_detail
