#include "events/audit.hpp"

#include <boost/json.hpp>

#include "db/prepared.hpp"

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

namespace {

/// The audit INSERT, prepared once per pooled connection: every write in Otdel runs it.
struct InsertAudit {
    long long ws = 0, at = 0, uid = 0, oid = 0;
    std::string kind, action, otype, before, after, rid, ip;
    soci::indicator uid_ind = soci::i_null, oid_ind = soci::i_null, before_ind = soci::i_null, after_ind = soci::i_null;
    soci::statement st;
    explicit InsertAudit(soci::session& sql)
        : st((sql.prepare << kInsertAudit, soci::use(ws, "ws"), soci::use(at, "at"), soci::use(kind, "kind"),
              soci::use(uid, uid_ind, "uid"), soci::use(action, "action"), soci::use(otype, "otype"),
              soci::use(oid, oid_ind, "oid"), soci::use(before, before_ind, "before"),
              soci::use(after, after_ind, "after"), soci::use(rid, "rid"), soci::use(ip, "ip"))) {}
    void Reset(soci::session& sql) { db::ResetStatement(sql, st); }
};

}  // namespace

void WriteAudit(soci::session& sql, const core::Actor& actor, core::Millis at, const AuditEntry& e) {
    db::WithPrepared<InsertAudit>(sql, [&](InsertAudit& q) {
        q.ws = actor.workspace_id;
        q.at = at;
        q.kind = ActorKindName(actor.kind);
        q.uid = actor.user_id;
        q.uid_ind = actor.user_id ? soci::i_ok : soci::i_null;
        q.oid = e.object_id.value_or(0);
        q.oid_ind = e.object_id ? soci::i_ok : soci::i_null;
        q.before = e.before ? boost::json::serialize(*e.before) : std::string();
        q.after = e.after ? boost::json::serialize(*e.after) : std::string();
        q.before_ind = e.before ? soci::i_ok : soci::i_null;
        q.after_ind = e.after ? soci::i_ok : soci::i_null;
        q.action = e.action;
        q.otype = e.object_type;
        q.rid = actor.request_id;
        q.ip = actor.ip;
        q.st.execute(true);
    });
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
