#pragma once
/// Plan vs fact for the reports (REP-3) from the plans room (PLAN-2): its tree of departments and people with their
/// plans, facts and pace, flattened into report lines.
#include "plans/plans_service.hpp"
#include "reports/reports_service.hpp"

namespace otdel::reports {

/// A source reading `plans` (which must outlive it). The period is the month, quarter or year [from, to] spans
/// exactly, else the month containing `from`; `owner` keeps that person's lines only.
PlanFactSource PlanFactFrom(plans::PlansService& plans);
/// The records behind one of those lines, over the same period.
PlanFactDrillSource PlanFactDrillFrom(plans::PlansService& plans);

}  // namespace otdel::reports
