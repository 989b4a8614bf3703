#pragma once
/// Visibility along the org tree (ORG-6): which rows of a business table the caller may see and change.
///
/// BuildVisibility reads the caller's place once per request (employee row, role scope and permission set,
/// department path); Visibility then answers two questions every store needs:
///   * Can(action, object_type): may this caller take the action on this kind of object at all (role rights);
///   * Read(...) / Write(...): a SQL condition, with bound parameters, selecting the rows the caller may read /
///     change. Every store query over business records puts it in its WHERE clause: lists, counts, search,
///     reports, exports and by-id reads, updates and deletes. A row outside the condition does not exist for
///     the caller: by-id operations answer kNotFound, never kForbidden, so ids do not leak.
///
/// Usage in a store (SQL stays a named constant; "{visible}" marks where the condition goes):
///
///     constexpr const char* kSelectLeadPage =
///         "SELECT l.id, l.title FROM leads l WHERE {visible} AND l.deleted_at IS NULL AND l.id < :before "
///         "ORDER BY l.id DESC LIMIT :lim";
///     if (!vis.Can(Action::kRead, "lead")) return Error::Of(ErrorCode::kForbidden);
///     const Predicate visible = vis.Read("l");       // l.workspace_id, l.owner_user_id
///     soci::statement st = (sql.prepare << visible.Expand(kSelectLeadPage), soci::into(id), soci::into(title),
///                           soci::use(before, "before"), soci::use(lim, "lim"), visible);
///
/// The condition binds its own parameters (:vis_ws, :vis_uid, :vis_path, :vis_today, :vis_dN — do not use these names
/// in the store's SQL); it always restricts to the caller's workspace. Rows with a NULL owner (an unassigned
/// pool) match only the unrestricted scopes (all, read_all, administrators).
#include <soci/soci.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/permissions.hpp"
#include "core/actor.hpp"
#include "core/result.hpp"

namespace otdel::auth {

/// A role's visibility scope (roles.scope). kNone is what callers without a place get: no rows at all.
enum class Scope { kNone, kOwn, kTeam, kAll, kReadAll };

/// "none", "own", "team", "all", "read_all".
std::string_view ScopeName(Scope s);
/// "own", "team", "all", "read_all" (the values roles.scope may hold); anything else is nullopt.
std::optional<Scope> ParseScope(std::string_view name);

/// Parses a stored permission set: {"lead": ["create", "read"], "client": ["read"], "*": ["read"]}.
/// Unknown actions, non-array values or non-JSON are a kValidation error naming the object type.
core::Result<PermissionSet> ParsePermissions(std::string_view json);

/// The caller's place, as BuildVisibility loads it (unit tests may write one by hand).
struct Caller {
    core::Id workspace_id = 0;
    core::Id user_id = 0;
    /// Administrators and the system actor: every row of the workspace and every action.
    bool unrestricted = false;
    Scope scope = Scope::kNone;
    /// The caller's department path, "/1/4/9/"; only kTeam uses it. Empty: no subtree (direct reports only).
    std::string department_path;
    PermissionSet permissions;
    /// Whose records the caller sees today as a substitute (delegation by absence), when BuildVisibility has read
    /// them: the condition then names these owners as bound values, so the database can walk an owner index.
    /// Unset (a Caller written by hand): the condition reads the absences itself at query time.
    std::optional<std::vector<core::Id>> delegators;
};

/// Where a store's SQL template puts the visibility condition.
inline constexpr std::string_view kVisibleMarker = "{visible}";

/// One visibility condition: SQL text plus the values of its :vis_* parameters. It is appended to a SOCI
/// statement like a soci::use (`..., soci::use(x, "x"), visible)`), and the statement binds references to its
/// members — so it is neither copyable nor movable and must outlive the statement.
class Predicate {
public:
    Predicate(const Predicate&) = delete;
    Predicate& operator=(const Predicate&) = delete;

    /// The parenthesised condition, e.g. "(l.workspace_id = :vis_ws AND (l.owner_user_id = :vis_uid OR ...))".
    const std::string& sql() const { return sql_; }
    /// `sql_template` with every "{visible}" replaced by sql(). Throws std::logic_error when there is none
    /// (a store query without visibility is a programming error).
    std::string Expand(std::string_view sql_template) const;

    /// When the condition is exactly "owned by one of these users" (scope own with today's delegators read by
    /// BuildVisibility): the caller first, then the delegators. A store may then add one walk per owner of an
    /// (owner, sort key) index, each still under the condition. Otherwise nullopt.
    std::optional<std::vector<long long>> owners() const {
        if (!owners_only_) return std::nullopt;
        std::vector<long long> out{uid_};
        out.insert(out.end(), delegators_.begin(), delegators_.end());
        return out;
    }

    /// Appends exactly the parameters sql() uses (SQLite refuses names a statement does not contain).
    template <class Statement>
    Statement& BindTo(Statement& st) const {
        st, soci::use(ws_, "vis_ws");
        if (uses_uid_) st, soci::use(uid_, "vis_uid");
        if (uses_path_) st, soci::use(path_like_, "vis_path");
        if (uses_today_) st, soci::use(today_, "vis_today");
        for (std::size_t i = 0; i < delegators_.size(); ++i) st, soci::use(delegators_[i], DelegatorParam(i));
        return st;
    }
    /// The same for a statement assembled step by step (soci::statement::exchange).
    void BindTo(soci::statement& st) const {
        st.exchange(soci::use(ws_, "vis_ws"));
        if (uses_uid_) st.exchange(soci::use(uid_, "vis_uid"));
        if (uses_path_) st.exchange(soci::use(path_like_, "vis_path"));
        if (uses_today_) st.exchange(soci::use(today_, "vis_today"));
        for (std::size_t i = 0; i < delegators_.size(); ++i) st.exchange(soci::use(delegators_[i], DelegatorParam(i)));
    }

    /// For a statement prepared once per connection and condition text (db/prepared.hpp): a copy that the statement
    /// binds instead of the request's predicate, refreshed before each execute with AssignValues.
    std::unique_ptr<Predicate> Clone() const {
        return std::unique_ptr<Predicate>(new Predicate(sql_, ws_, uid_, path_like_, today_, uses_uid_, uses_path_,
                                                        uses_today_, delegators_, owners_only_));
    }
    /// Copies the bound values of `other`, whose sql() is this one's (so its parameters are the same), into the
    /// members a prepared statement holds references to.
    void AssignValues(const Predicate& other) {
        ws_ = other.ws_;
        uid_ = other.uid_;
        path_like_ = other.path_like_;
        today_ = other.today_;
        for (std::size_t i = 0; i < delegators_.size() && i < other.delegators_.size(); ++i)
            delegators_[i] = other.delegators_[i];
    }

private:
    friend class Visibility;
    Predicate(std::string sql, long long ws, long long uid, std::string path_like, std::string today, bool uses_uid,
              bool uses_path, bool uses_today, std::vector<long long> delegators, bool owners_only)
        : sql_(std::move(sql)),
          ws_(ws),
          uid_(uid),
          path_like_(std::move(path_like)),
          today_(std::move(today)),
          uses_uid_(uses_uid),
          uses_path_(uses_path),
          uses_today_(uses_today),
          delegators_(std::move(delegators)),
          owners_only_(owners_only) {}
    /// ":vis_d0", ":vis_d1", ... name the owners the caller substitutes today.
    static std::string DelegatorParam(std::size_t i) { return "vis_d" + std::to_string(i); }

    std::string sql_;
    long long ws_;
    long long uid_;
    std::string path_like_;
    std::string today_;
    bool uses_uid_;
    bool uses_path_;
    bool uses_today_;
    std::vector<long long> delegators_;
    bool owners_only_;
};

/// `sql.prepare << text, soci::into(...), soci::use(...), visible` and `sql << text, ..., visible`.
inline soci::details::prepare_temp_type& operator,(soci::details::prepare_temp_type& st, const Predicate& p) {
    return p.BindTo(st);
}
inline soci::details::once_temp_type& operator,(soci::details::once_temp_type& st, const Predicate& p) {
    return p.BindTo(st);
}
/// The same when the predicate follows the query text directly (`sql.prepare << text, visible`).
inline soci::details::prepare_temp_type& operator,(soci::details::prepare_temp_type&& st, const Predicate& p) {
    return p.BindTo(st);
}
inline soci::details::once_temp_type& operator,(soci::details::once_temp_type&& st, const Predicate& p) {
    return p.BindTo(st);
}

/// What the caller may see and change. Cheap to copy; build once per request with BuildVisibility.
class Visibility {
public:
    /// `today` is the calendar day 'YYYY-MM-DD' in the workspace's time zone (absences are days).
    /// Throws std::invalid_argument when it is malformed.
    Visibility(Caller caller, std::string today);

    const Caller& caller() const { return caller_; }
    Scope scope() const { return caller_.scope; }
    const std::string& today() const { return today_; }

    /// May the caller take `a` on `object_type` at all? Unrestricted: yes. kNone: no. kReadAll: never a write
    /// action (create/update/delete/assign), whatever the permission set says. Otherwise the role's set.
    /// A by-id operation refused here must still answer kNotFound, like an invisible row.
    bool Can(Action a, std::string_view object_type) const;

    /// Rows the caller may read (list, count, search, report, export, by-id read):
    ///   own      — owned by the caller, or by someone the caller substitutes today (delegation by absence);
    ///   team     — own, plus owners whose department lies in the subtree of the caller's department or of a
    ///              department the caller heads (whatever the owner's status, so a dismissed person's records stay
    ///              with the former chain), or who report to the caller (employees.manager_user_id);
    ///   all, read_all, unrestricted — every row of the workspace;
    ///   none     — no row.
    /// `qualifier` is the table name or alias; the table must have `workspace_id` and `owner_column`.
    /// Both are code constants: anything but [A-Za-z_][A-Za-z0-9_]* throws std::invalid_argument.
    Predicate Read(std::string_view qualifier, std::string_view owner_column = "owner_user_id") const;
    /// Rows the caller may change (update, delete, assign): as Read, except read_all, which changes nothing.
    Predicate Write(std::string_view qualifier, std::string_view owner_column = "owner_user_id") const;

private:
    Predicate Make(bool for_write, std::string_view qualifier, std::string_view owner_column) const;

    Caller caller_;
    std::string today_;
};

/// Loads the caller's place: administrators and the system actor are unrestricted; a user gets the scope and
/// permission set of their employee row's role and their department's path. Fails closed — anonymous actors,
/// users without an employee row, dismissed employees, an unknown scope get kNone; a malformed permission set
/// grants nothing.
Visibility BuildVisibility(soci::session& sql, const core::Actor& actor, std::string today);

}  // namespace otdel::auth
