// Everything entente offers to a program that embeds it: one include.
//   #include <entente/entente.hpp>
// (examples/embed/main.cpp shows a small ensemble in about thirty lines.)
#pragma once

#include "entente/model/blocs.hpp"
#include "entente/model/condition.hpp"
#include "entente/model/events.hpp"
#include "entente/model/model.hpp"
#include "entente/model/observable.hpp"
#include "entente/model/rng.hpp"
#include "entente/model/simulation.hpp"
#include "entente/model/stability.hpp"
#include "entente/model/step.hpp"
#include "entente/report/report.hpp"
#include "entente/run/ensemble.hpp"
#include "entente/run/output.hpp"
#include "entente/run/summary.hpp"
#include "entente/scenario/scenario.hpp"
#include "entente/scenario/scenario_io.hpp"
#include "entente/scenario/scenario_template.hpp"
#include "entente/sweep/analyze.hpp"
#include "entente/sweep/design.hpp"
#include "entente/sweep/sweep.hpp"
#include "entente/util/date.hpp"
#include "entente/util/diagnostics.hpp"
#include "entente/workshop/compare.hpp"
#include "entente/workshop/play.hpp"
#include "entente/workshop/review.hpp"
