// Reads the calls and meetings behind a plan's fact one by one, with the KPI store's conditions.
#include <algorithm>

#include "db/nullable.hpp"
#include "plans/fact_records.hpp"

namespace otdel::plans::store {
namespace {

constexpr const char* kSelectActivityRefs =
    "SELECT a.id, a.owner_user_id, a.kind FROM activities a WHERE a.workspace_id = :ws AND {visible} AND "
    "a.deleted_at IS NULL AND a.kind IN ('call', 'meeting') AND a.at >= :from1 AND a.at < :to1 ORDER BY a.at, a.id";

}  // namespace

std::vector<ActivityRef> ActivityRefs(soci::session& sql, const KpiFilter& f, const auth::Visibility& vis) {
    const auth::Predicate visible = vis.Read("a");
    long long ws = f.workspace_id, from = f.from, to = f.until ? std::min(f.to, *f.until) : f.to, id = 0;
    db::NullableId owner;
    std::string kind;
    soci::statement st =
        (sql.prepare << visible.Expand(kSelectActivityRefs), soci::use(ws, "ws"), soci::use(from, "from1"),
         soci::use(to, "to1"), soci::into(id), soci::into(owner.v, owner.ind), soci::into(kind), visible);
    st.execute(false);
    std::vector<ActivityRef> out;
    while (st.fetch()) out.push_back({id, owner.get(), kind});
    return out;
}

}  // namespace otdel::plans::store
