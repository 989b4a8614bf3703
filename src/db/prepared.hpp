#pragma once
/// Statements prepared once per pooled connection and reused by every later transaction on it.
///
/// SOCI compiles a statement anew at every `sql << …`; on SQLite that compilation costs more than running a small
/// INSERT or an index probe, so the hot paths (lead intake, import, audit) keep theirs prepared. A prepared set is a
/// type that owns the variables its statements are bound to:
///
/// ```cpp
/// struct InsertAuditSet {
///     long long ws = 0; std::string action;
///     soci::statement st;
///     explicit InsertAuditSet(soci::session& sql)
///         : st((sql.prepare << kInsertAudit, soci::use(ws, "ws"), soci::use(action, "action"))) {}
///     void Reset(soci::session& sql) { db::ResetStatement(sql, st); }
/// };
/// db::WithPrepared<InsertAuditSet>(sql, [&](InsertAuditSet& s) { s.ws = …; s.st.execute(true); });
/// ```
///
/// The set lives with the connection of the `Database` pool (sessions handed out by `InTx`/`Read`); on any other
/// session it is prepared for the one call. After each call its statements are reset, so a SELECT that read only
/// its first row does not keep a read snapshot open; when the call throws, the set is dropped and prepared again
/// next time (a failed statement may keep its state on PostgreSQL).
#include <soci/soci.h>

#include <cstddef>
#include <memory>
#include <string>
#include <typeindex>
#include <unordered_map>
#include <utility>
#include <vector>

namespace otdel::db {

/// Resets a statement so it holds no cursor or lock until its next execute (SQLite; a no-op on PostgreSQL).
void ResetStatement(soci::session& sql, soci::statement& st);

/// The prepared sets of one pooled connection. Used only by the thread that holds the connection.
class StatementCache {
public:
    StatementCache() = default;
    StatementCache(const StatementCache&) = delete;
    StatementCache& operator=(const StatementCache&) = delete;

    template <class T>
    T& Get(soci::session& sql) {
        auto it = sets_.find(std::type_index(typeid(T)));
        if (it == sets_.end()) {
            auto holder = std::make_unique<Holder<T>>(sql);
            T& ref = holder->value;
            sets_.emplace(std::type_index(typeid(T)), std::move(holder));
            return ref;
        }
        return static_cast<Holder<T>*>(it->second.get())->value;
    }
    template <class T>
    void Drop() {
        sets_.erase(std::type_index(typeid(T)));
    }
    void Clear() { sets_.clear(); }
    std::size_t size() const { return sets_.size(); }

private:
    struct HolderBase {
        virtual ~HolderBase() = default;
    };
    template <class T>
    struct Holder final : HolderBase {
        explicit Holder(soci::session& sql) : value(sql) {}
        T value;
    };
    std::unordered_map<std::type_index, std::unique_ptr<HolderBase>> sets_;
};

/// The cache of a session handed out by a Database's pool, or nullptr for any other session.
StatementCache* CacheOf(const soci::session& sql);
/// Called by Database for each pooled connection it opens / before it closes them.
void RegisterCache(const soci::session& sql, StatementCache* cache);
void UnregisterCache(const soci::session& sql);

/// Runs f(T&) with T prepared once per pooled connection (see the file comment); returns what f returns.
template <class T, class F>
decltype(auto) WithPrepared(soci::session& sql, F&& f) {
    StatementCache* cache = CacheOf(sql);
    if (!cache) {
        T once(sql);
        return std::forward<F>(f)(once);
    }
    T& set = cache->Get<T>(sql);
    struct ResetOnExit {
        T& set;
        StatementCache& cache;
        soci::session& sql;
        int exceptions = std::uncaught_exceptions();
        ~ResetOnExit() {
            if (std::uncaught_exceptions() > exceptions) {
                cache.Drop<T>();
            } else {
                set.Reset(sql);
            }
        }
    } guard{set, *cache, sql};
    return std::forward<F>(f)(set);
}

/// Statements of one shape whose text varies a little (a visibility condition, the fragments a filter needs), each
/// prepared once per pooled connection and text: a prepared set for WithPrepared holding up to kMaxTexts of them
/// (past that the connection starts again). `Q` owns its statement `st` and the variables bound to it.
template <class Q>
struct ByText {
    static constexpr std::size_t kMaxTexts = 32;
    std::unordered_map<std::string, std::unique_ptr<Q>> items;
    Q* last = nullptr;
    explicit ByText(soci::session&) {}
    template <class Make>
    Q& Get(const std::string& text, Make&& make) {
        auto it = items.find(text);
        if (it == items.end()) {
            if (items.size() >= kMaxTexts) items.clear();
            it = items.emplace(text, make()).first;
        }
        last = it->second.get();
        return *last;
    }
    void Reset(soci::session& sql) {
        if (last) ResetStatement(sql, last->st);
        last = nullptr;
    }
};

/// A SELECT of Into's columns (Into::Bind, Into::Take) scoped by :ws and one more id, named at preparation.
template <class Into>
struct RowsQuery {
    long long ws = 0, id = 0;
    Into row;
    soci::statement st;
    RowsQuery(soci::session& sql, const std::string& text, const char* id_name) : st(sql) {
        st.alloc();
        st.prepare(text);
        row.Bind(st);
        st.exchange(soci::use(ws, "ws"));
        st.exchange(soci::use(id, id_name));
        st.define_and_bind();
    }
};

/// The rows of `text` (a SELECT of Into's columns scoped by :ws and one more id named `id_name`), prepared once per
/// connection and text.
template <class Into>
auto RowsOf(soci::session& sql, const std::string& text, long long ws_id, const char* id_name, long long id_value) {
    return WithPrepared<ByText<RowsQuery<Into>>>(sql, [&](ByText<RowsQuery<Into>>& set) {
        auto& q = set.Get(text, [&] { return std::make_unique<RowsQuery<Into>>(sql, text, id_name); });
        q.ws = ws_id;
        q.id = id_value;
        q.st.execute(false);
        std::vector<decltype(q.row.Take())> out;
        while (q.st.fetch()) out.push_back(q.row.Take());
        return out;
    });
}

}  // namespace otdel::db
