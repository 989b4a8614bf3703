#pragma once
// Test support for visibility: builds the org of visibility_org_fixture.hpp in a fresh database, and a probe
// store over a test-only business table (vis_probe) that applies auth::Visibility exactly as real stores must:
// Can() for the action, then Read()/Write() inside every query — keyset pages, counts, by-id reads, updates,
// soft deletes and exports.
#include <gtest/gtest.h>

#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "auth/tests/visibility_org_fixture.hpp"
#include "auth/visibility.hpp"
#include "core/result.hpp"
#include "db/testing/test_db.hpp"

namespace otdel::auth::testing {

inline constexpr long long kNow = 1'750'000'000'000;

// ---- probe store: what a real store looks like ------------------------------------------------------------------

struct ProbeRow {
    long long id = 0;
    long long owner_user_id = 0;  // 0: NULL (unassigned)
    std::string title;
    bool deleted = false;
    bool operator==(const ProbeRow&) const = default;
};

class ProbeStore {
public:
    static constexpr const char* kSelectPage =
        "SELECT p.id, p.owner_user_id, p.title FROM vis_probe p "
        "WHERE {visible} AND p.kind = :kind AND p.deleted_at IS NULL AND p.id < :before ORDER BY p.id DESC LIMIT :lim";
    static constexpr const char* kCount =
        "SELECT COUNT(*) FROM vis_probe p WHERE {visible} AND p.kind = :kind AND p.deleted_at IS NULL";
    static constexpr const char* kSelectById =
        "SELECT p.id, p.owner_user_id, p.title FROM vis_probe p "
        "WHERE {visible} AND p.kind = :kind AND p.id = :id AND p.deleted_at IS NULL";
    static constexpr const char* kSelectExport =
        "SELECT p.id, p.owner_user_id, p.title FROM vis_probe p "
        "WHERE {visible} AND p.kind = :kind AND p.deleted_at IS NULL ORDER BY p.id";
    // Writes: the condition goes into the UPDATE itself, so an invisible row is never touched (no read-then-write).
    static constexpr const char* kUpdateTitle =
        "UPDATE vis_probe SET title = :title, updated_at = :now "
        "WHERE {visible} AND vis_probe.kind = :kind AND vis_probe.id = :id AND vis_probe.deleted_at IS NULL "
        "RETURNING id";
    static constexpr const char* kSoftDelete =
        "UPDATE vis_probe SET deleted_at = :now, updated_at = :now "
        "WHERE {visible} AND vis_probe.kind = :kind AND vis_probe.id = :id AND vis_probe.deleted_at IS NULL "
        "RETURNING id";

    explicit ProbeStore(db::Database& db) : db_(db) {}

    /// One keyset page, newest first.
    core::Result<std::vector<ProbeRow>> Page(const Visibility& vis, const std::string& kind, long long before,
                                             int limit) {
        if (!vis.Can(Action::kRead, kind)) return core::Error::Of(core::ErrorCode::kForbidden);
        return db_.Read([&](soci::session& sql) -> core::Result<std::vector<ProbeRow>> {
            const Predicate visible = vis.Read("p");
            long long lim = limit;
            return Fetch(sql, visible, kSelectPage, kind, &before, &lim);
        });
    }
    /// Every visible row, walking keyset pages of `page_size`.
    core::Result<std::vector<ProbeRow>> ListAll(const Visibility& vis, const std::string& kind, int page_size = 7) {
        std::vector<ProbeRow> out;
        long long before = std::numeric_limits<long long>::max();
        while (true) {
            auto page = Page(vis, kind, before, page_size);
            if (!page) return page.take_error();
            out.insert(out.end(), page->begin(), page->end());
            if (static_cast<int>(page->size()) < page_size) return out;
            before = page->back().id;
        }
    }
    core::Result<long long> Count(const Visibility& vis, const std::string& kind) {
        if (!vis.Can(Action::kRead, kind)) return core::Error::Of(core::ErrorCode::kForbidden);
        return db_.Read([&](soci::session& sql) -> core::Result<long long> {
            const Predicate visible = vis.Read("p");
            long long n = -1;
            sql << visible.Expand(kCount), soci::into(n), soci::use(kind, "kind"), visible;
            return n;
        });
    }
    /// By id: anything the caller may not read is kNotFound, exactly like a missing id.
    core::Result<ProbeRow> Get(const Visibility& vis, const std::string& kind, long long id) {
        if (!vis.Can(Action::kRead, kind)) return core::Error::Of(core::ErrorCode::kNotFound);
        return db_.Read([&](soci::session& sql) -> core::Result<ProbeRow> {
            const Predicate visible = vis.Read("p");
            ProbeRow r;
            soci::indicator owner_ind = soci::i_null;
            sql << visible.Expand(kSelectById), soci::into(r.id), soci::into(r.owner_user_id, owner_ind),
                soci::into(r.title), soci::use(kind, "kind"), soci::use(id, "id"), visible;
            if (!sql.got_data()) return core::Error::Of(core::ErrorCode::kNotFound);
            if (owner_ind != soci::i_ok) r.owner_user_id = 0;
            return r;
        });
    }
    core::Result<void> Update(const Visibility& vis, const std::string& kind, long long id, const std::string& title) {
        if (!vis.Can(Action::kUpdate, kind)) return core::Error::Of(core::ErrorCode::kNotFound);
        return db_.InTx([&](soci::session& sql) -> core::Result<void> {
            const Predicate visible = vis.Write("vis_probe");
            long long changed = 0, now = kNow;
            sql << visible.Expand(kUpdateTitle), soci::into(changed), soci::use(title, "title"), soci::use(now, "now"),
                soci::use(kind, "kind"), soci::use(id, "id"), visible;
            if (!sql.got_data()) return core::Error::Of(core::ErrorCode::kNotFound);
            return core::Ok();
        });
    }
    core::Result<void> Delete(const Visibility& vis, const std::string& kind, long long id) {
        if (!vis.Can(Action::kDelete, kind)) return core::Error::Of(core::ErrorCode::kNotFound);
        return db_.InTx([&](soci::session& sql) -> core::Result<void> {
            const Predicate visible = vis.Write("vis_probe");
            long long changed = 0, now = kNow;
            sql << visible.Expand(kSoftDelete), soci::into(changed), soci::use(now, "now"), soci::use(kind, "kind"),
                soci::use(id, "id"), visible;
            if (!sql.got_data()) return core::Error::Of(core::ErrorCode::kNotFound);
            return core::Ok();
        });
    }
    core::Result<std::vector<ProbeRow>> Export(const Visibility& vis, const std::string& kind) {
        if (!vis.Can(Action::kExport, kind)) return core::Error::Of(core::ErrorCode::kForbidden);
        return db_.Read([&](soci::session& sql) -> core::Result<std::vector<ProbeRow>> {
            const Predicate visible = vis.Read("p");
            return Fetch(sql, visible, kSelectExport, kind, nullptr, nullptr);
        });
    }

private:
    static std::vector<ProbeRow> Fetch(soci::session& sql, const Predicate& visible, const char* text,
                                       const std::string& kind, const long long* before, const long long* lim) {
        std::vector<ProbeRow> out;
        ProbeRow r;
        soci::indicator owner_ind = soci::i_null;
        const std::string query = visible.Expand(text);
        auto prep = (sql.prepare << query, soci::into(r.id), soci::into(r.owner_user_id, owner_ind),
                     soci::into(r.title), soci::use(kind, "kind"), visible);
        if (before) prep, soci::use(*before, "before"), soci::use(*lim, "lim");
        soci::statement st(prep);
        st.execute();
        while (st.fetch()) {
            ProbeRow row = r;
            if (owner_ind != soci::i_ok) row.owner_user_id = 0;
            out.push_back(row);
        }
        return out;
    }

    db::Database& db_;
};

// ---- the generated org ------------------------------------------------------------------------------------------

class OrgWorld {
public:
    explicit OrgWorld(db::Engine engine) : tdb_(engine) {
        Change([&](soci::session& sql) {
            CreateProbeTable(sql, engine);
            ws_ = InsertWorkspace(sql, "ООО Ромашка", "romashka");
            other_ws_ = InsertWorkspace(sql, "ООО Лютик", "lyutik");
            BuildOrg(sql);
            BuildOtherWorkspace(sql);
        });
    }

    /// Runs f(session) in a committed transaction (direct changes to the org for a test).
    template <class F>
    void Change(F&& f) {
        auto r = tdb_.db().InTx([&](soci::session& sql) {
            f(sql);
            return core::Ok();
        });
        ASSERT_TRUE(r.ok());
    }

    db::Database& db() { return tdb_.db(); }
    ProbeStore& store() { return store_; }
    long long ws() const { return ws_; }
    long long other_ws() const { return other_ws_; }
    long long User(std::string_view key) const {
        auto it = users_.find(std::string(key));
        EXPECT_NE(it, users_.end()) << "no person " << key << " in the fixture";
        return it == users_.end() ? -1 : it->second;
    }
    /// The other workspace's administrator and its team-scope head.
    long long OtherAdmin() const { return other_admin_; }
    long long OtherHead() const { return other_head_; }

    core::Actor ActorOf(long long ws, long long user_id, bool is_admin) const {
        core::Actor a;
        a.kind = core::ActorKind::kUser;
        a.workspace_id = ws;
        a.user_id = user_id;
        a.is_admin = is_admin;
        return a;
    }
    core::Actor ActorOf(std::string_view key) const {
        bool admin = false;
        for (const auto& p : kPeople) {
            if (p.key == key) admin = p.is_admin;
        }
        return ActorOf(ws_, User(key), admin);
    }
    Visibility VisibilityOf(const core::Actor& actor, std::string_view today = kToday) {
        return tdb_.db().Read([&](soci::session& sql) { return BuildVisibility(sql, actor, std::string(today)); });
    }
    Visibility VisibilityOf(std::string_view key, std::string_view today = kToday) {
        return VisibilityOf(ActorOf(key), today);
    }

    /// Inserts a probe record directly (owner 0 = unassigned).
    long long AddProbe(long long ws, const std::string& kind, long long owner, const std::string& title) {
        return tdb_.db()
            .InTx([&](soci::session& sql) -> core::Result<long long> {
                long long id = 0, now = kNow;
                soci::indicator owner_ind = owner == 0 ? soci::i_null : soci::i_ok;
                sql << "INSERT INTO vis_probe (workspace_id, kind, owner_user_id, title, created_at, updated_at) "
                       "VALUES (:ws, :kind, :owner, :title, :now, :now) RETURNING id",
                    soci::into(id), soci::use(ws, "ws"), soci::use(kind, "kind"), soci::use(owner, owner_ind, "owner"),
                    soci::use(title, "title"), soci::use(now, "now");
                return id;
            })
            .value();
    }
    /// The stored row, bypassing visibility (to prove a refused write changed nothing).
    std::optional<ProbeRow> Raw(long long id) {
        return tdb_.db().Read([&](soci::session& sql) -> std::optional<ProbeRow> {
            ProbeRow r;
            long long deleted_at = 0;
            soci::indicator owner_ind = soci::i_null, deleted_ind = soci::i_null;
            sql << "SELECT id, owner_user_id, title, deleted_at FROM vis_probe WHERE id = :id", soci::into(r.id),
                soci::into(r.owner_user_id, owner_ind), soci::into(r.title), soci::into(deleted_at, deleted_ind),
                soci::use(id, "id");
            if (!sql.got_data()) return std::nullopt;
            if (owner_ind != soci::i_ok) r.owner_user_id = 0;
            r.deleted = deleted_ind == soci::i_ok;
            return r;
        });
    }

private:
    static void CreateProbeTable(soci::session& sql, db::Engine engine) {
        if (engine == db::Engine::kSqlite) {
            sql << "CREATE TABLE vis_probe (workspace_id INTEGER NOT NULL, id INTEGER PRIMARY KEY, kind TEXT NOT NULL, "
                   "owner_user_id INTEGER, title TEXT NOT NULL, deleted_at INTEGER, created_at INTEGER NOT NULL, "
                   "updated_at INTEGER NOT NULL)";
        } else {
            sql << "CREATE TABLE vis_probe (workspace_id BIGINT NOT NULL, id BIGINT GENERATED BY DEFAULT AS IDENTITY, "
                   "kind TEXT NOT NULL, owner_user_id BIGINT, title TEXT NOT NULL, deleted_at BIGINT, "
                   "created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (workspace_id, id))";
        }
        sql << "CREATE INDEX vis_probe_owner_idx ON vis_probe (workspace_id, owner_user_id, id)";
    }

    static long long InsertWorkspace(soci::session& sql, const std::string& name, const std::string& slug) {
        long long id = 0, now = kNow;
        sql << "INSERT INTO workspaces (name, slug, created_at, updated_at) VALUES (:name, :slug, :now, :now) "
               "RETURNING id",
            soci::into(id), soci::use(name, "name"), soci::use(slug, "slug"), soci::use(now, "now");
        return id;
    }
    static long long InsertUser(soci::session& sql, long long ws, const std::string& email, const std::string& name,
                                bool admin) {
        long long id = 0, now = kNow;
        int is_admin = admin ? 1 : 0;
        sql << "INSERT INTO users (workspace_id, email, full_name, password_hash, is_admin, created_at, updated_at) "
               "VALUES (:ws, :email, :name, '', :admin, :now, :now) RETURNING id",
            soci::into(id), soci::use(ws, "ws"), soci::use(email, "email"), soci::use(name, "name"),
            soci::use(is_admin, "admin"), soci::use(now, "now");
        return id;
    }
    static void InsertDepartment(soci::session& sql, long long ws, long long id, long long parent,
                                 const std::string& name, const std::string& path, long long head) {
        long long now = kNow;
        soci::indicator parent_ind = parent == 0 ? soci::i_null : soci::i_ok;
        soci::indicator head_ind = head == 0 ? soci::i_null : soci::i_ok;
        sql << "INSERT INTO departments (workspace_id, id, parent_id, name, path, division, head_user_id, "
               "created_at, updated_at) VALUES (:ws, :id, :parent, :name, :path, '{}', :head, :now, :now)",
            soci::use(ws, "ws"), soci::use(id, "id"), soci::use(parent, parent_ind, "parent"), soci::use(name, "name"),
            soci::use(path, "path"), soci::use(head, head_ind, "head"), soci::use(now, "now");
    }
    static long long InsertRole(soci::session& sql, long long ws, const std::string& code, const std::string& scope,
                                const std::string& permissions) {
        long long id = 0, now = kNow;
        sql << "INSERT INTO roles (workspace_id, code, name_ru, name_en, kpis, permissions, scope, created_at, "
               "updated_at) VALUES (:ws, :code, :code, :code, '[]', :permissions, :scope, :now, :now) RETURNING id",
            soci::into(id), soci::use(ws, "ws"), soci::use(code, "code"), soci::use(permissions, "permissions"),
            soci::use(scope, "scope"), soci::use(now, "now");
        return id;
    }
    static void InsertEmployee(soci::session& sql, long long ws, long long user, long long role, long long dept,
                               long long manager, const std::string& status) {
        long long now = kNow;
        soci::indicator manager_ind = manager == 0 ? soci::i_null : soci::i_ok;
        sql << "INSERT INTO employees (workspace_id, user_id, role_id, department_id, manager_user_id, status, "
               "created_at, updated_at) VALUES (:ws, :user, :role, :dept, :manager, :status, :now, :now)",
            soci::use(ws, "ws"), soci::use(user, "user"), soci::use(role, "role"), soci::use(dept, "dept"),
            soci::use(manager, manager_ind, "manager"), soci::use(status, "status"), soci::use(now, "now");
    }

public:
    /// Adds an absence (also used by tests that vary delegation).
    void AddAbsence(soci::session& sql, long long ws, long long user, long long substitute, const std::string& from,
                    const std::string& to, bool cancelled) {
        long long now = kNow, cancelled_at = kNow;
        soci::indicator cancelled_ind = cancelled ? soci::i_ok : soci::i_null;
        sql << "INSERT INTO absences (workspace_id, user_id, kind, starts_on, ends_on, substitute_user_id, "
               "cancelled_at, created_at, updated_at) VALUES (:ws, :user, 'vacation', :from, :to, :sub, :cancelled, "
               ":now, :now)",
            soci::use(ws, "ws"), soci::use(user, "user"), soci::use(from, "from"), soci::use(to, "to"),
            soci::use(substitute, "sub"), soci::use(cancelled_at, cancelled_ind, "cancelled"), soci::use(now, "now");
    }

private:
    void BuildOrg(soci::session& sql) {
        for (const auto& p : kPeople) {
            users_[std::string(p.key)] =
                InsertUser(sql, ws_, std::string(p.key) + "@romashka.test", std::string(p.full_name), p.is_admin);
        }
        for (const auto& d : kDepartments) {
            const long long head = d.head.empty() ? 0 : users_.at(std::string(d.head));
            InsertDepartment(sql, ws_, d.id, d.parent_id, std::string(d.name), std::string(d.path), head);
        }
        std::map<std::string, long long, std::less<>> roles;
        for (const auto& r : kRoles) {
            roles[std::string(r.code)] =
                InsertRole(sql, ws_, std::string(r.code), std::string(r.scope), std::string(r.permissions));
        }
        for (const auto& p : kPeople) {
            if (p.role.empty()) continue;
            const long long manager = p.manager.empty() ? 0 : users_.at(std::string(p.manager));
            InsertEmployee(sql, ws_, users_.at(std::string(p.key)), roles.find(p.role)->second, p.department_id,
                           manager, std::string(p.status));
        }
        for (const auto& a : kAbsences) {
            AddAbsence(sql, ws_, users_.at(std::string(a.person)), users_.at(std::string(a.substitute)),
                       std::string(a.starts_on), std::string(a.ends_on), a.cancelled);
        }
    }

    // A second tenant: an administrator and a team head at its root (department ids of its own).
    void BuildOtherWorkspace(soci::session& sql) {
        other_admin_ = InsertUser(sql, other_ws_, "admin@lyutik.test", "Админ Лютиков", true);
        other_head_ = InsertUser(sql, other_ws_, "head@lyutik.test", "Глава Лютиков", false);
        InsertDepartment(sql, other_ws_, 901, 0, "Продажи", "/901/", other_head_);
        const long long role =
            InsertRole(sql, other_ws_, "l1_sales_leader", "team", std::string(kRoles[0].permissions));
        InsertEmployee(sql, other_ws_, other_head_, role, 901, 0, "active");
    }

    otdel::testing::TestDatabase tdb_;
    ProbeStore store_{tdb_.db()};
    long long ws_ = 0, other_ws_ = 0, other_admin_ = 0, other_head_ = 0;
    std::map<std::string, long long, std::less<>> users_;
};

}  // namespace otdel::auth::testing
