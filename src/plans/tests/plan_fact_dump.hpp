#pragma once
/// Plan vs fact as text, row by row (kind, id, then metric=fact/target/projected): the rollup tests compare the view
/// read from the rollups with the one read from the records through it.
#include <sstream>
#include <string>

#include "plans/plans_service.hpp"

namespace otdel::plans::test_support {

inline std::string Dump(const PlanVsFactView& v) {
    std::ostringstream o;
    for (const auto& r : v.rows) {
        o << r.kind << " " << r.id << ":";
        for (const auto& l : r.lines)
            o << " " << PlanMetricName(l.metric) << "=" << l.fact << "/" << (l.target ? *l.target : -1) << "/"
              << l.projected;
        o << "\n";
    }
    return o.str();
}

}  // namespace otdel::plans::test_support
