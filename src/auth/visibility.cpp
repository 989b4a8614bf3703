#include "auth/visibility.hpp"

#include <boost/json.hpp>

#include <stdexcept>

#include "db/prepared.hpp"

namespace otdel::auth {
namespace {

// Pieces of the condition. {q} is the caller's table qualifier, {o} its owner column; both are checked to be
// identifiers before they are substituted. Subquery aliases start with vis_ so they cannot shadow the store's.
constexpr std::string_view kInWorkspace = "{q}.workspace_id = :vis_ws";
constexpr std::string_view kOwnedByCaller = "{q}.{o} = :vis_uid";
// Delegation by absence: the caller is today's substitute of an absent owner (cancelled absences do not count;
// days are 'YYYY-MM-DD' text in the workspace zone, compared as strings).
constexpr std::string_view kOwnedByAbsentDelegator =
    "{q}.{o} IN (SELECT vis_a.user_id FROM absences vis_a WHERE vis_a.workspace_id = :vis_ws "
    "AND vis_a.substitute_user_id = :vis_uid AND vis_a.cancelled_at IS NULL "
    "AND vis_a.starts_on <= :vis_today AND vis_a.ends_on >= :vis_today)";
// The caller's department subtree: employee rows of any status, so dismissed people's records stay visible.
constexpr std::string_view kOwnedInSubtree =
    "{q}.{o} IN (SELECT vis_e.user_id FROM employees vis_e JOIN departments vis_d "
    "ON vis_d.workspace_id = vis_e.workspace_id AND vis_d.id = vis_e.department_id "
    "WHERE vis_e.workspace_id = :vis_ws AND vis_d.path LIKE :vis_path)";
// Subtrees of the departments the caller heads (departments.head_user_id), wherever the caller is placed.
constexpr std::string_view kOwnedInHeadedSubtree =
    "{q}.{o} IN (SELECT vis_he.user_id FROM employees vis_he JOIN departments vis_hd "
    "ON vis_hd.workspace_id = vis_he.workspace_id AND vis_hd.id = vis_he.department_id "
    "JOIN departments vis_h ON vis_h.workspace_id = vis_hd.workspace_id AND vis_h.head_user_id = :vis_uid "
    "WHERE vis_he.workspace_id = :vis_ws AND vis_hd.path LIKE vis_h.path || '%')";
constexpr std::string_view kOwnedByReport =
    "{q}.{o} IN (SELECT vis_r.user_id FROM employees vis_r WHERE vis_r.workspace_id = :vis_ws "
    "AND vis_r.manager_user_id = :vis_uid)";
constexpr std::string_view kNoRow = "1 = 0";

// The owners the caller substitutes today (kOwnedByAbsentDelegator, read once per request instead of per row).
constexpr const char* kSelectDelegators =
    "SELECT DISTINCT a.user_id FROM absences a WHERE a.workspace_id = :ws AND a.substitute_user_id = :uid "
    "AND a.cancelled_at IS NULL AND a.starts_on <= :today AND a.ends_on >= :today ORDER BY a.user_id LIMIT :lim";
// More than this many and the condition keeps the subquery (a statement's parameter count stays small).
constexpr long long kMaxBoundDelegators = 32;

constexpr const char* kSelectCallerPlace =
    "SELECT e.status, r.scope, r.permissions, d.path FROM employees e "
    "JOIN roles r ON r.workspace_id = e.workspace_id AND r.id = e.role_id "
    "LEFT JOIN departments d ON d.workspace_id = e.workspace_id AND d.id = e.department_id "
    "WHERE e.workspace_id = :ws AND e.user_id = :uid";

// Every request of a user builds its visibility: both reads are prepared once per pooled connection.
struct CallerPlaceSet {
    long long ws = 0, uid = 0;
    std::string status, scope, permissions, path;
    soci::indicator path_ind = soci::i_null;
    soci::statement st;
    explicit CallerPlaceSet(soci::session& sql)
        : st((sql.prepare << kSelectCallerPlace, soci::into(status), soci::into(scope), soci::into(permissions),
              soci::into(path, path_ind), soci::use(ws, "ws"), soci::use(uid, "uid"))) {}
    void Reset(soci::session& sql) { db::ResetStatement(sql, st); }
};

struct DelegatorsSet {
    long long ws = 0, uid = 0, lim = kMaxBoundDelegators + 1, delegator = 0;
    std::string today;
    soci::statement st;
    explicit DelegatorsSet(soci::session& sql)
        : st((sql.prepare << kSelectDelegators, soci::into(delegator), soci::use(ws, "ws"), soci::use(uid, "uid"),
              soci::use(today, "today"), soci::use(lim, "lim"))) {}
    void Reset(soci::session& sql) { db::ResetStatement(sql, st); }
};

bool IsIdentifier(std::string_view s) {
    if (s.empty()) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        const bool digit = c >= '0' && c <= '9';
        if (!(alpha || (digit && i > 0))) return false;
    }
    return true;
}

// 'YYYY-MM-DD' with digits where digits belong (the calendar validity is the caller's business).
bool IsDay(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
        if (s[i] < '0' || s[i] > '9') return false;
    }
    return true;
}

// A materialised path "/1/4/9/": ids (digits) between slashes. Anything else (which could carry LIKE wildcards)
// is refused, and the caller then gets no subtree.
bool IsDepartmentPath(std::string_view s) {
    if (s.size() < 3 || s.front() != '/' || s.back() != '/') return false;
    bool digit_seen = false;
    for (std::size_t i = 1; i < s.size(); ++i) {
        if (s[i] == '/') {
            if (!digit_seen) return false;
            digit_seen = false;
        } else if (s[i] >= '0' && s[i] <= '9') {
            digit_seen = true;
        } else {
            return false;
        }
    }
    return true;
}

std::string Substitute(std::string_view piece, std::string_view q, std::string_view o) {
    std::string out;
    out.reserve(piece.size() + 32);
    for (std::size_t i = 0; i < piece.size();) {
        if (piece.substr(i, 3) == "{q}") {
            out += q;
            i += 3;
        } else if (piece.substr(i, 3) == "{o}") {
            out += o;
            i += 3;
        } else {
            out += piece[i++];
        }
    }
    return out;
}

}  // namespace

std::string_view ScopeName(Scope s) {
    switch (s) {
        case Scope::kNone: return "none";
        case Scope::kOwn: return "own";
        case Scope::kTeam: return "team";
        case Scope::kAll: return "all";
        case Scope::kReadAll: return "read_all";
    }
    return "none";
}

std::optional<Scope> ParseScope(std::string_view name) {
    if (name == "own") return Scope::kOwn;
    if (name == "team") return Scope::kTeam;
    if (name == "all") return Scope::kAll;
    if (name == "read_all") return Scope::kReadAll;
    return std::nullopt;
}

core::Result<PermissionSet> ParsePermissions(std::string_view json) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(json, ec);
    if (ec || !v.is_object()) return core::Error::Field("permissions", "invalid");
    PermissionSet out;
    for (const auto& [key, actions] : v.as_object()) {
        const std::string field = "permissions/" + std::string(key);
        if (key.empty()) return core::Error::Field(field, "invalid");
        if (!actions.is_array()) return core::Error::Field(field, "wrong_type", "array");
        for (const auto& a : actions.as_array()) {
            if (!a.is_string()) return core::Error::Field(field, "wrong_type", "string");
            auto action = ParseAction(std::string_view(a.as_string()));
            if (!action) return core::Error::Field(field, "invalid", std::string(a.as_string()));
            out.Grant(std::string_view(key), *action);
        }
    }
    return out;
}

std::string Predicate::Expand(std::string_view sql_template) const {
    std::string out;
    bool found = false;
    std::size_t from = 0;
    while (true) {
        const std::size_t at = sql_template.find(kVisibleMarker, from);
        if (at == std::string_view::npos) break;
        out.append(sql_template.substr(from, at - from));
        out += sql_;
        from = at + kVisibleMarker.size();
        found = true;
    }
    if (!found) throw std::logic_error("SQL template without {visible}: " + std::string(sql_template));
    out.append(sql_template.substr(from));
    return out;
}

Visibility::Visibility(Caller caller, std::string today) : caller_(std::move(caller)), today_(std::move(today)) {
    if (!IsDay(today_)) throw std::invalid_argument("Visibility: today must be 'YYYY-MM-DD', got '" + today_ + "'");
    if (!caller_.department_path.empty() && !IsDepartmentPath(caller_.department_path)) {
        caller_.department_path.clear();  // never let a malformed path become a LIKE pattern
    }
}

bool Visibility::Can(Action a, std::string_view object_type) const {
    if (caller_.unrestricted) return true;
    switch (caller_.scope) {
        case Scope::kNone: return false;
        case Scope::kReadAll:
            if (IsWrite(a)) return false;
            break;
        case Scope::kOwn:
        case Scope::kTeam:
        case Scope::kAll: break;
    }
    return caller_.permissions.Can(a, object_type);
}

Predicate Visibility::Read(std::string_view qualifier, std::string_view owner_column) const {
    return Make(false, qualifier, owner_column);
}

Predicate Visibility::Write(std::string_view qualifier, std::string_view owner_column) const {
    return Make(true, qualifier, owner_column);
}

Predicate Visibility::Make(bool for_write, std::string_view qualifier, std::string_view owner_column) const {
    if (!IsIdentifier(qualifier) || !IsIdentifier(owner_column)) {
        throw std::invalid_argument("Visibility: bad SQL identifier '" + std::string(qualifier) + "." +
                                    std::string(owner_column) + "'");
    }
    bool uses_uid = false, uses_path = false, uses_today = false;
    std::string path_like;
    std::vector<long long> delegators;
    bool owners_only = false;
    std::string cond;  // the part after "workspace AND"
    Scope scope = caller_.unrestricted ? Scope::kAll : caller_.scope;
    if (scope == Scope::kReadAll) scope = for_write ? Scope::kNone : Scope::kAll;
    switch (scope) {
        case Scope::kAll: break;
        case Scope::kNone: cond = kNoRow; break;
        case Scope::kTeam:
        case Scope::kOwn: {
            uses_uid = true;
            if (!caller_.delegators) {
                uses_today = true;
                cond = Substitute(kOwnedByCaller, qualifier, owner_column);
                cond += " OR " + Substitute(kOwnedByAbsentDelegator, qualifier, owner_column);
            } else if (caller_.delegators->empty()) {
                // A single owner: an index on (workspace, owner, sort key) answers a sorted page in order.
                cond = Substitute(kOwnedByCaller, qualifier, owner_column);
                owners_only = scope == Scope::kOwn;
            } else {
                owners_only = scope == Scope::kOwn;
                cond = Substitute("{q}.{o} IN (:vis_uid", qualifier, owner_column);
                for (std::size_t i = 0; i < caller_.delegators->size(); ++i) {
                    cond += ", :" + Predicate::DelegatorParam(i);
                    delegators.push_back((*caller_.delegators)[i]);
                }
                cond += ")";
            }
            if (scope == Scope::kTeam) {
                if (!caller_.department_path.empty()) {
                    uses_path = true;
                    path_like = caller_.department_path + "%";
                    cond += " OR " + Substitute(kOwnedInSubtree, qualifier, owner_column);
                }
                cond += " OR " + Substitute(kOwnedInHeadedSubtree, qualifier, owner_column);
                cond += " OR " + Substitute(kOwnedByReport, qualifier, owner_column);
            }
            break;
        }
        case Scope::kReadAll: cond = kNoRow; break;  // unreachable: mapped above
    }
    std::string sql = "(" + Substitute(kInWorkspace, qualifier, owner_column);
    if (!cond.empty()) sql += " AND (" + cond + ")";
    sql += ")";
    return Predicate(std::move(sql), caller_.workspace_id, caller_.user_id, std::move(path_like), today_, uses_uid,
                     uses_path, uses_today, std::move(delegators), owners_only);
}

Visibility BuildVisibility(soci::session& sql, const core::Actor& actor, std::string today) {
    Caller c;
    c.workspace_id = actor.workspace_id;
    c.user_id = actor.user_id;
    if (actor.kind == core::ActorKind::kSystem || (actor.authenticated() && actor.is_admin)) {
        c.unrestricted = true;
        c.scope = Scope::kAll;
        c.permissions = PermissionSet::Everything();
        return Visibility(std::move(c), std::move(today));
    }
    if (!actor.authenticated() || actor.user_id == 0) return Visibility(std::move(c), std::move(today));

    std::string status, scope, permissions, path;
    soci::indicator path_ind = soci::i_null;
    const bool found = db::WithPrepared<CallerPlaceSet>(sql, [&](CallerPlaceSet& q) {
        q.ws = actor.workspace_id;
        q.uid = actor.user_id;
        if (!q.st.execute(true)) return false;
        status = q.status;
        scope = q.scope;
        permissions = q.permissions;
        path = q.path;
        path_ind = q.path_ind;
        return true;
    });
    if (!found || status != "active") return Visibility(std::move(c), std::move(today));

    const auto parsed_scope = ParseScope(scope);
    if (!parsed_scope) return Visibility(std::move(c), std::move(today));
    c.scope = *parsed_scope;
    if (auto p = ParsePermissions(permissions); p.ok()) c.permissions = std::move(*p);
    if (path_ind == soci::i_ok) c.department_path = path;
    if (c.scope == Scope::kOwn || c.scope == Scope::kTeam) {
        std::vector<core::Id> delegators;
        db::WithPrepared<DelegatorsSet>(sql, [&](DelegatorsSet& q) {
            q.ws = actor.workspace_id;
            q.uid = actor.user_id;
            q.today = today;
            q.st.execute();
            while (q.st.fetch()) delegators.push_back(q.delegator);
        });
        if (static_cast<long long>(delegators.size()) <= kMaxBoundDelegators) c.delegators = std::move(delegators);
    }
    return Visibility(std::move(c), std::move(today));
}

}  // namespace otdel::auth
