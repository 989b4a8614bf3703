#include "events/audit.hpp"

#include <boost/json.hpp>

namespace otdel::events {
namespace {

constexpr const char* kInsertAudit =
    "INSERT INTO audit_log (workspace_id, at, actor_kind, actor_user_id, action, object_type, object_id, "
    "before_json, after_json, request_id, ip) "
    "VALUES (:ws, :at, :kind, :uid, :action, :otype, :oid, :before, :after, :rid, :ip)";

constexpr const char* kSelectAuditPage =
    "SELECT id, at, actor_kind, actor_user_id, action, object_type, object_id, before_json, after_json, "
    "request_id, ip FROM audit_log WHERE workspace_id = :ws AND id < :before "
    "AND (:otype = '' OR object_type = :otype2) AND (:oid = 0 OR object_id = :oid2) ORDER BY id DESC LIMIT :lim";

std::string_view ActorKindName(core::ActorKind k) {
    switch (k) {
        case core::ActorKind::kUser: return "user";
        case core::ActorKind::kApiToken: return "api_token";
        case core::ActorKind::kSystem: return "system";
        case core::ActorKind::kAnonymous: return "anonymous";
    }
    return "anonymous";
}

}  // namespace

void WriteAudit(soci::session& sql, const core::Actor& actor, core::Millis at, const AuditEntry& e) {
    long long ws = actor.workspace_id;
    long long at_ll = at;
    std::string kind(ActorKindName(actor.kind));
    long long uid = actor.user_id;
    soci::indicator uid_ind = actor.user_id ? soci::i_ok : soci::i_null;
    long long oid = e.object_id.value_or(0);
    soci::indicator oid_ind = e.object_id ? soci::i_ok : soci::i_null;
    std::string before = e.before ? boost::json::serialize(*e.before) : std::string();
    std::string after = e.after ? boost::json::serialize(*e.after) : std::string();
    soci::indicator before_ind = e.before ? soci::i_ok : soci::i_null;
    soci::indicator after_ind = e.after ? soci::i_ok : soci::i_null;
    sql << kInsertAudit, soci::use(ws, "ws"), soci::use(at_ll, "at"), soci::use(kind, "kind"),
        soci::use(uid, uid_ind, "uid"), soci::use(e.action, "action"), soci::use(e.object_type, "otype"),
        soci::use(oid, oid_ind, "oid"), soci::use(before, before_ind, "before"), soci::use(after, after_ind, "after"),
        soci::use(actor.request_id, "rid"), soci::use(actor.ip, "ip");
}

std::vector<AuditRow> ListAudit(soci::session& sql, core::Id workspace_id, std::optional<std::string> object_type,
                                std::optional<core::Id> object_id, std::optional<core::Id> before_id, int limit) {
    long long ws = workspace_id;
    long long before = before_id.value_or(INT64_MAX);
    std::string otype = object_type.value_or("");
    long long oid = object_id.value_or(0);
    int lim = limit;
    AuditRow a;
    long long id = 0, at = 0, uid = 0, oid_out = 0;
    soci::indicator uid_ind, oid_ind, before_ind, after_ind;
    soci::statement st =
        (sql.prepare << kSelectAuditPage, soci::into(id), soci::into(at), soci::into(a.actor_kind),
         soci::into(uid, uid_ind), soci::into(a.action), soci::into(a.object_type), soci::into(oid_out, oid_ind),
         soci::into(a.before_json, before_ind), soci::into(a.after_json, after_ind), soci::into(a.request_id),
         soci::into(a.ip), soci::use(ws, "ws"), soci::use(before, "before"), soci::use(otype, "otype"),
         soci::use(otype, "otype2"), soci::use(oid, "oid"), soci::use(oid, "oid2"), soci::use(lim, "lim"));
    st.execute();
    std::vector<AuditRow> out;
    while (st.fetch()) {
        AuditRow row = a;
        row.id = id;
        row.at = at;
        if (uid_ind == soci::i_ok) row.actor_user_id = uid;
        if (oid_ind == soci::i_ok) row.object_id = oid_out;
        if (before_ind != soci::i_ok) row.before_json.clear();
        if (after_ind != soci::i_ok) row.after_json.clear();
        out.push_back(std::move(row));
    }
    return out;
}

}  // namespace otdel::events
