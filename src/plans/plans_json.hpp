#pragma once
/// A plan as JSON: the API's answer and the audit log's before/after are the same object.
#include <boost/json.hpp>

#include "plans/plan.hpp"

namespace otdel::plans {

boost::json::object PlanJson(const Plan& p);

}  // namespace otdel::plans
