#include "intake/intake_store.hpp"

#include "db/prepared.hpp"

namespace otdel::intake::store {
namespace {

constexpr const char* kFormColumns =
    "workspace_id, id, name, public_key, allowed_origins, honeypot_field, rate_per_ip_per_min, rate_per_key_per_min, "
    "campaign, default_owner_user_id, success_url, active, created_at, updated_at";
const std::string kSelectFormById =
    std::string("SELECT ") + kFormColumns + " FROM intake_forms WHERE workspace_id = :ws AND id = :id";
const std::string kSelectFormByKey = std::string("SELECT ") + kFormColumns + " FROM intake_forms WHERE public_key = :k";
const std::string kSelectFormPage =
    std::string("SELECT ") + kFormColumns +
    " FROM intake_forms WHERE workspace_id = :ws AND id > :after ORDER BY id LIMIT :lim";
constexpr const char* kInsertForm =
    "INSERT INTO intake_forms (workspace_id, name, public_key, allowed_origins, honeypot_field, rate_per_ip_per_min, "
    "rate_per_key_per_min, campaign, default_owner_user_id, success_url, active, created_at, updated_at) VALUES (:ws, "
    ":name, :key, :origins, :honeypot, :per_ip, :per_key, :campaign, :owner, :success, :active, :created, :updated) "
    "RETURNING id";
constexpr const char* kUpdateForm =
    "UPDATE intake_forms SET name = :name, public_key = :key, allowed_origins = :origins, honeypot_field = :honeypot, "
    "rate_per_ip_per_min = :per_ip, rate_per_key_per_min = :per_key, campaign = :campaign, "
    "default_owner_user_id = :owner, success_url = :success, active = :active, updated_at = :updated "
    "WHERE workspace_id = :ws AND id = :id";
constexpr const char* kDeleteForm = "DELETE FROM intake_forms WHERE workspace_id = :ws AND id = :id";

constexpr const char* kChannelColumns =
    "workspace_id, id, kind, name, public_token, secret, config, poll_cursor, default_owner_user_id, last_error, "
    "last_polled_at, active, created_at, updated_at";
const std::string kSelectChannelById =
    std::string("SELECT ") + kChannelColumns + " FROM intake_channels WHERE workspace_id = :ws AND id = :id";
const std::string kSelectChannelByToken =
    std::string("SELECT ") + kChannelColumns + " FROM intake_channels WHERE public_token = :t";
const std::string kSelectChannelPage =
    std::string("SELECT ") + kChannelColumns +
    " FROM intake_channels WHERE workspace_id = :ws AND id > :after ORDER BY id LIMIT :lim";
const std::string kSelectActiveImap =
    std::string("SELECT ") + kChannelColumns + " FROM intake_channels WHERE kind = 'imap' AND active = 1 ORDER BY id";
constexpr const char* kInsertChannel =
    "INSERT INTO intake_channels (workspace_id, kind, name, public_token, secret, config, poll_cursor, "
    "default_owner_user_id, last_error, active, created_at, updated_at) VALUES (:ws, :kind, :name, :token, :secret, "
    ":config, :cursor, :owner, '', :active, :created, :updated) RETURNING id";
constexpr const char* kUpdateChannel =
    "UPDATE intake_channels SET name = :name, public_token = :token, secret = :secret, config = :config, "
    "poll_cursor = :cursor, default_owner_user_id = :owner, active = :active, updated_at = :updated "
    "WHERE workspace_id = :ws AND id = :id";
constexpr const char* kDeleteChannel = "DELETE FROM intake_channels WHERE workspace_id = :ws AND id = :id";
constexpr const char* kUpdatePollState =
    "UPDATE intake_channels SET poll_cursor = :cursor, last_error = :err, last_polled_at = :at "
    "WHERE workspace_id = :ws AND id = :id";

constexpr const char* kPullJobForward =
    "UPDATE jobs SET run_at = :at, payload = :payload, updated_at = :at WHERE workspace_id = :ws AND kind = :kind "
    "AND dedupe_key = :key AND status = 'pending' AND run_at > :at";
constexpr const char* kInsertReplay =
    "INSERT INTO intake_replay (workspace_id, channel_id, nonce, received_at) VALUES (:ws, :ch, :nonce, :at) "
    "ON CONFLICT DO NOTHING";
constexpr const char* kDeleteReplay =
    "DELETE FROM intake_replay WHERE workspace_id = :ws AND channel_id = :ch AND nonce = :nonce";
constexpr const char* kPruneReplay = "DELETE FROM intake_replay WHERE received_at < :before";

constexpr const char* kSelectIdempotent =
    "SELECT request_hash, status, response FROM idempotency_keys WHERE workspace_id = :ws AND scope = :scope AND "
    "idem_key = :k";
constexpr const char* kInsertIdempotent =
    "INSERT INTO idempotency_keys (workspace_id, scope, idem_key, request_hash, status, response, created_at) VALUES "
    "(:ws, :scope, :k, :hash, :status, :response, :at) ON CONFLICT DO NOTHING";
constexpr const char* kPruneIdempotent = "DELETE FROM idempotency_keys WHERE created_at < :before";

struct FormInto {
    long long ws = 0, id = 0, owner = 0, created = 0, updated = 0;
    int per_ip = 0, per_key = 0, active = 0;
    soci::indicator owner_ind = soci::i_null;
    FormRow r;

    template <class St>
    void Bind(St& st) {
        st, soci::into(ws), soci::into(id), soci::into(r.name), soci::into(r.public_key), soci::into(r.allowed_origins),
            soci::into(r.honeypot_field), soci::into(per_ip), soci::into(per_key), soci::into(r.campaign),
            soci::into(owner, owner_ind), soci::into(r.success_url), soci::into(active), soci::into(created),
            soci::into(updated);
    }
    FormRow Row() const {
        FormRow out = r;
        out.workspace_id = ws;
        out.id = id;
        out.rate_per_ip_per_min = per_ip;
        out.rate_per_key_per_min = per_key;
        if (owner_ind == soci::i_ok) out.default_owner_user_id = owner;
        out.active = active != 0;
        out.created_at = created;
        out.updated_at = updated;
        return out;
    }
};

struct ChannelInto {
    long long ws = 0, id = 0, owner = 0, polled = 0, created = 0, updated = 0;
    int active = 0;
    soci::indicator owner_ind = soci::i_null, polled_ind = soci::i_null;
    ChannelRow r;

    template <class St>
    void Bind(St& st) {
        st, soci::into(ws), soci::into(id), soci::into(r.kind), soci::into(r.name), soci::into(r.public_token),
            soci::into(r.secret), soci::into(r.config), soci::into(r.poll_cursor), soci::into(owner, owner_ind),
            soci::into(r.last_error), soci::into(polled, polled_ind), soci::into(active), soci::into(created),
            soci::into(updated);
    }
    ChannelRow Row() const {
        ChannelRow out = r;
        out.workspace_id = ws;
        out.id = id;
        if (owner_ind == soci::i_ok) out.default_owner_user_id = owner;
        if (polled_ind == soci::i_ok) out.last_polled_at = polled;
        out.active = active != 0;
        out.created_at = created;
        out.updated_at = updated;
        return out;
    }
};

template <class Into, class Row, class... Uses>
std::vector<Row> Fetch(soci::session& sql, const std::string& text, Uses&&... uses) {
    Into into;
    soci::details::prepare_temp_type p = (sql.prepare << text);
    if constexpr (sizeof...(uses) > 0) (p, ..., std::forward<Uses>(uses));
    into.Bind(p);
    soci::statement st(p);
    st.execute();
    std::vector<Row> out;
    while (st.fetch()) out.push_back(into.Row());
    return out;
}

}  // namespace

core::Id InsertForm(soci::session& sql, const FormRow& f) {
    long long ws = f.workspace_id, owner = f.default_owner_user_id.value_or(0), created = f.created_at,
              updated = f.updated_at, id = 0;
    int per_ip = f.rate_per_ip_per_min, per_key = f.rate_per_key_per_min, active = f.active ? 1 : 0;
    soci::indicator owner_ind = f.default_owner_user_id ? soci::i_ok : soci::i_null;
    sql << kInsertForm, soci::use(ws, "ws"), soci::use(f.name, "name"), soci::use(f.public_key, "key"),
        soci::use(f.allowed_origins, "origins"), soci::use(f.honeypot_field, "honeypot"), soci::use(per_ip, "per_ip"),
        soci::use(per_key, "per_key"), soci::use(f.campaign, "campaign"), soci::use(owner, owner_ind, "owner"),
        soci::use(f.success_url, "success"), soci::use(active, "active"), soci::use(created, "created"),
        soci::use(updated, "updated"), soci::into(id);
    return id;
}

std::optional<FormRow> SelectForm(soci::session& sql, core::Id ws, core::Id id) {
    long long w = ws, key = id;
    auto rows = Fetch<FormInto, FormRow>(sql, kSelectFormById, soci::use(w, "ws"), soci::use(key, "id"));
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

namespace {

// Every public form submission looks its form up by key (on the request thread, before the group commit): prepared
// once per pooled connection.
struct FormByKeyQuery {
    std::string key;
    FormInto into;
    soci::statement st;
    explicit FormByKeyQuery(soci::session& sql) : st(Prepare(sql)) {}
    soci::details::prepare_temp_type Prepare(soci::session& sql) {
        soci::details::prepare_temp_type p = (sql.prepare << kSelectFormByKey);
        p, soci::use(key, "k");
        into.Bind(p);
        return p;
    }
    void Reset(soci::session& sql) { db::ResetStatement(sql, st); }
};

}  // namespace

std::optional<FormRow> SelectFormByKey(soci::session& sql, const std::string& public_key) {
    return db::WithPrepared<FormByKeyQuery>(sql, [&](FormByKeyQuery& q) -> std::optional<FormRow> {
        q.key = public_key;
        if (!q.st.execute(true)) return std::nullopt;
        return q.into.Row();
    });
}

std::vector<FormRow> ListForms(soci::session& sql, core::Id ws, core::Id after_id, int limit) {
    long long w = ws, after = after_id;
    int lim = limit;
    return Fetch<FormInto, FormRow>(sql, kSelectFormPage, soci::use(w, "ws"), soci::use(after, "after"),
                                    soci::use(lim, "lim"));
}

void UpdateForm(soci::session& sql, const FormRow& f) {
    long long ws = f.workspace_id, id = f.id, owner = f.default_owner_user_id.value_or(0), updated = f.updated_at;
    int per_ip = f.rate_per_ip_per_min, per_key = f.rate_per_key_per_min, active = f.active ? 1 : 0;
    soci::indicator owner_ind = f.default_owner_user_id ? soci::i_ok : soci::i_null;
    sql << kUpdateForm, soci::use(f.name, "name"), soci::use(f.public_key, "key"),
        soci::use(f.allowed_origins, "origins"), soci::use(f.honeypot_field, "honeypot"), soci::use(per_ip, "per_ip"),
        soci::use(per_key, "per_key"), soci::use(f.campaign, "campaign"), soci::use(owner, owner_ind, "owner"),
        soci::use(f.success_url, "success"), soci::use(active, "active"), soci::use(updated, "updated"),
        soci::use(ws, "ws"), soci::use(id, "id");
}

bool DeleteForm(soci::session& sql, core::Id ws, core::Id id) {
    long long w = ws, key = id;
    soci::statement st = (sql.prepare << kDeleteForm, soci::use(w, "ws"), soci::use(key, "id"));
    st.execute(true);
    return st.get_affected_rows() > 0;
}

core::Id InsertChannel(soci::session& sql, const ChannelRow& c) {
    long long ws = c.workspace_id, owner = c.default_owner_user_id.value_or(0), created = c.created_at,
              updated = c.updated_at, id = 0;
    int active = c.active ? 1 : 0;
    soci::indicator owner_ind = c.default_owner_user_id ? soci::i_ok : soci::i_null;
    sql << kInsertChannel, soci::use(ws, "ws"), soci::use(c.kind, "kind"), soci::use(c.name, "name"),
        soci::use(c.public_token, "token"), soci::use(c.secret, "secret"), soci::use(c.config, "config"),
        soci::use(c.poll_cursor, "cursor"), soci::use(owner, owner_ind, "owner"), soci::use(active, "active"),
        soci::use(created, "created"), soci::use(updated, "updated"), soci::into(id);
    return id;
}

std::optional<ChannelRow> SelectChannel(soci::session& sql, core::Id ws, core::Id id) {
    long long w = ws, key = id;
    auto rows = Fetch<ChannelInto, ChannelRow>(sql, kSelectChannelById, soci::use(w, "ws"), soci::use(key, "id"));
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

std::optional<ChannelRow> SelectChannelByToken(soci::session& sql, const std::string& token) {
    auto rows = Fetch<ChannelInto, ChannelRow>(sql, kSelectChannelByToken, soci::use(token, "t"));
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

std::vector<ChannelRow> ListChannels(soci::session& sql, core::Id ws, core::Id after_id, int limit) {
    long long w = ws, after = after_id;
    int lim = limit;
    return Fetch<ChannelInto, ChannelRow>(sql, kSelectChannelPage, soci::use(w, "ws"), soci::use(after, "after"),
                                          soci::use(lim, "lim"));
}

std::vector<ChannelRow> ListActiveImapChannels(soci::session& sql) {
    return Fetch<ChannelInto, ChannelRow>(sql, kSelectActiveImap);
}

void UpdateChannel(soci::session& sql, const ChannelRow& c) {
    long long ws = c.workspace_id, id = c.id, owner = c.default_owner_user_id.value_or(0), updated = c.updated_at;
    int active = c.active ? 1 : 0;
    soci::indicator owner_ind = c.default_owner_user_id ? soci::i_ok : soci::i_null;
    sql << kUpdateChannel, soci::use(c.name, "name"), soci::use(c.public_token, "token"), soci::use(c.secret, "secret"),
        soci::use(c.config, "config"), soci::use(c.poll_cursor, "cursor"), soci::use(owner, owner_ind, "owner"),
        soci::use(active, "active"), soci::use(updated, "updated"), soci::use(ws, "ws"), soci::use(id, "id");
}

bool DeleteChannel(soci::session& sql, core::Id ws, core::Id id) {
    long long w = ws, key = id;
    soci::statement st = (sql.prepare << kDeleteChannel, soci::use(w, "ws"), soci::use(key, "id"));
    st.execute(true);
    return st.get_affected_rows() > 0;
}

void UpdatePollState(soci::session& sql, core::Id ws, core::Id id, const std::string& cursor,
                     const std::string& last_error, core::Millis at) {
    long long w = ws, key = id, when = at;
    sql << kUpdatePollState, soci::use(cursor, "cursor"), soci::use(last_error, "err"), soci::use(when, "at"),
        soci::use(w, "ws"), soci::use(key, "id");
}

void PullPendingJobForward(soci::session& sql, core::Id ws, const std::string& kind, const std::string& dedupe_key,
                           core::Millis at, const std::string& payload) {
    long long w = ws, when = at;
    sql << kPullJobForward, soci::use(when, "at"), soci::use(payload, "payload"), soci::use(w, "ws"),
        soci::use(kind, "kind"), soci::use(dedupe_key, "key");
}

bool InsertReplay(soci::session& sql, core::Id ws, core::Id channel_id, const std::string& nonce, core::Millis at) {
    long long w = ws, ch = channel_id, when = at;
    soci::statement st = (sql.prepare << kInsertReplay, soci::use(w, "ws"), soci::use(ch, "ch"),
                          soci::use(nonce, "nonce"), soci::use(when, "at"));
    st.execute(true);
    return st.get_affected_rows() > 0;
}

void DeleteReplay(soci::session& sql, core::Id ws, core::Id channel_id, const std::string& nonce) {
    long long w = ws, ch = channel_id;
    sql << kDeleteReplay, soci::use(w, "ws"), soci::use(ch, "ch"), soci::use(nonce, "nonce");
}

long long PruneReplay(soci::session& sql, core::Millis before) {
    long long b = before;
    soci::statement st = (sql.prepare << kPruneReplay, soci::use(b, "before"));
    st.execute(true);
    return st.get_affected_rows();
}

std::optional<IdempotentAnswer> SelectIdempotent(soci::session& sql, core::Id ws, const std::string& scope,
                                                 const std::string& key) {
    long long w = ws;
    IdempotentAnswer a;
    long long status = 0;
    sql << kSelectIdempotent, soci::use(w, "ws"), soci::use(scope, "scope"), soci::use(key, "k"),
        soci::into(a.request_hash), soci::into(status), soci::into(a.response);
    if (!sql.got_data()) return std::nullopt;
    a.status = static_cast<int>(status);
    return a;
}

bool InsertIdempotent(soci::session& sql, core::Id ws, const std::string& scope, const std::string& key,
                      const IdempotentAnswer& a, core::Millis at) {
    long long w = ws, when = at, status = a.status;
    soci::statement st = (sql.prepare << kInsertIdempotent, soci::use(w, "ws"), soci::use(scope, "scope"),
                          soci::use(key, "k"), soci::use(a.request_hash, "hash"), soci::use(status, "status"),
                          soci::use(a.response, "response"), soci::use(when, "at"));
    st.execute(true);
    return st.get_affected_rows() > 0;
}

long long PruneIdempotent(soci::session& sql, core::Millis before) {
    long long b = before;
    soci::statement st = (sql.prepare << kPruneIdempotent, soci::use(b, "before"));
    st.execute(true);
    return st.get_affected_rows();
}

}  // namespace otdel::intake::store
