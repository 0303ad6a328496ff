#include "entente/scenario/scenario.hpp"

namespace entente {

std::string_view to_string(StepUnit u) {
  switch (u) {
    case StepUnit::day:
      return "day";
    case StepUnit::week:
      return "week";
    case StepUnit::month:
      return "month";
    case StepUnit::quarter:
      return "quarter";
    case StepUnit::year:
      return "year";
    case StepUnit::step:
      return "step";
  }
  return "step";
}

const std::array<RateInfo, 10>& rate_table() {
  static const std::array<RateInfo, 10> table{{
      {"influence", &Rates::influence, 0.0, 1.0},
      {"balance", &Rates::balance, 0.0, 1.0},
      {"similarity", &Rates::similarity, 0.0, 1.0},
      {"institutions", &Rates::institutions, 0.0, 1.0},
      {"interdependence", &Rates::interdependence, 0.0, 1.0},
      {"stakes", &Rates::stakes, 0.0, 1.0},
      {"memory", &Rates::memory, 0.0, 1.0},
      {"power_exponent", &Rates::power_exponent, 0.0, 10.0},
      {"noise_position", &Rates::noise_position, 0.0, 1.0},
      {"noise_affinity", &Rates::noise_affinity, 0.0, 1.0},
  }};
  return table;
}

int find_rate(std::string_view name) {
  const auto& t = rate_table();
  for (std::size_t k = 0; k < t.size(); ++k) {
    if (t[k].name == name) return static_cast<int>(k);
  }
  return -1;
}

namespace {
template <class Vec>
int find_by_id(const Vec& v, std::string_view id) {
  for (std::size_t k = 0; k < v.size(); ++k) {
    if (v[k].id == id) return static_cast<int>(k);
  }
  return -1;
}
}  // namespace

int Scenario::find_actor(std::string_view id) const {
  return find_by_id(actors, id);
}
int Scenario::find_axis(std::string_view id) const {
  return find_by_id(axes, id);
}
int Scenario::find_institution(std::string_view id) const {
  return find_by_id(institutions, id);
}
int Scenario::find_issue(std::string_view id) const {
  return find_by_id(issues, id);
}
int Scenario::find_event(std::string_view id) const {
  return find_by_id(events, id);
}
int Scenario::find_move(std::string_view id) const {
  return find_by_id(moves, id);
}

}  // namespace entente
