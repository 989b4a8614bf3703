#include "agenda/reviews_store.hpp"

namespace otdel::agenda::store {
namespace {

constexpr const char* kSelectCriteria =
    "SELECT id, code, label_ru, label_en, weight, position, CASE WHEN archived_at IS NULL THEN 0 ELSE 1 END "
    "FROM review_criteria WHERE workspace_id = :ws AND (:all = 1 OR archived_at IS NULL) ORDER BY position, id";
constexpr const char* kCountCriteria = "SELECT COUNT(*) FROM review_criteria WHERE workspace_id = :ws";
constexpr const char* kInsertCriterion =
    "INSERT INTO review_criteria (workspace_id, code, label_ru, label_en, weight, position, created_at, updated_at) "
    "VALUES (:ws, :code, :ru, :en, :weight, :pos, :now, :now) RETURNING id";
constexpr const char* kUpdateCriterion =
    "UPDATE review_criteria SET label_ru = :ru, label_en = :en, weight = :weight, position = :pos, archived_at = NULL, "
    "updated_at = :now WHERE workspace_id = :ws AND id = :id";
constexpr const char* kArchiveCriterion =
    "UPDATE review_criteria SET archived_at = :now, updated_at = :now WHERE workspace_id = :ws AND id = :id "
    "AND archived_at IS NULL";

constexpr const char* kInsertReview =
    "INSERT INTO reviews (workspace_id, activity_id, activity_kind, activity_at, reviewed_user_id, reviewer_user_id, "
    "score_bp, summary, created_at, updated_at) VALUES (:ws, :act, :kind, :at, :reviewed, :reviewer, :score, "
    ":summary, :now, :now) RETURNING id";
constexpr const char* kUpdateReview =
    "UPDATE reviews SET score_bp = :score, summary = :summary, updated_at = :now WHERE workspace_id = :ws AND id = :id";
constexpr const char* kDeleteReview =
    "UPDATE reviews SET deleted_at = :now, updated_at = :now WHERE workspace_id = :ws AND id = :id";
constexpr const char* kDeleteMarks = "DELETE FROM review_marks WHERE workspace_id = :ws AND review_id = :id";
constexpr const char* kInsertMark =
    "INSERT INTO review_marks (workspace_id, review_id, criterion_id, position, code, label_ru, label_en, weight, "
    "mark) VALUES (:ws, :id, :crit, :pos, :code, :ru, :en, :weight, :mark)";
constexpr const char* kInsertComment =
    "INSERT INTO review_comments (workspace_id, review_id, at_second, body, author_user_id, created_at) "
    "VALUES (:ws, :id, :sec, :body, :author, :now) RETURNING id";
constexpr const char* kFindReview =
    "SELECT id FROM reviews WHERE workspace_id = :ws AND activity_id = :act AND reviewer_user_id = :reviewer "
    "AND deleted_at IS NULL";

constexpr const char* kReviewColumns =
    "SELECT r.id, r.activity_id, r.activity_kind, a.subject, r.activity_at, a.call_duration_s, "
    "CASE WHEN a.recording_file_id IS NULL AND a.recording_url IS NULL THEN 0 ELSE 1 END, r.reviewed_user_id, "
    "r.reviewer_user_id, ud.full_name, ur.full_name, r.score_bp, r.summary, r.created_at, r.updated_at "
    "FROM reviews r JOIN activities a ON a.workspace_id = r.workspace_id AND a.id = r.activity_id "
    "JOIN users ud ON ud.workspace_id = r.workspace_id AND ud.id = r.reviewed_user_id "
    "JOIN users ur ON ur.workspace_id = r.workspace_id AND ur.id = r.reviewer_user_id ";
constexpr const char* kSelectReviewWhere = "WHERE {visible} AND r.id = :id AND r.deleted_at IS NULL";
constexpr const char* kListReviewsWhere =
    "WHERE {visible} AND r.deleted_at IS NULL AND (:reviewed = 0 OR r.reviewed_user_id = :reviewed) "
    "AND (:reviewer = 0 OR r.reviewer_user_id = :reviewer) AND (:act = 0 OR r.activity_id = :act) "
    "AND r.activity_at >= :from AND r.activity_at < :to AND r.id < :before ORDER BY r.id DESC LIMIT :lim";
constexpr const char* kSelectMarks =
    "SELECT criterion_id, code, label_ru, label_en, weight, mark FROM review_marks WHERE workspace_id = :ws "
    "AND review_id = :id ORDER BY position, criterion_id";
constexpr const char* kSelectComments =
    "SELECT c.id, c.at_second, c.body, c.author_user_id, u.full_name, c.created_at FROM review_comments c "
    "JOIN users u ON u.workspace_id = c.workspace_id AND u.id = c.author_user_id WHERE c.workspace_id = :ws "
    "AND c.review_id = :id ORDER BY CASE WHEN c.at_second IS NULL THEN 1 ELSE 0 END, c.at_second, c.id";
constexpr const char* kScores =
    "SELECT r.reviewed_user_id, u.full_name, COUNT(*), CAST(SUM(r.score_bp) AS BIGINT) FROM reviews r "
    "JOIN users u ON u.workspace_id = r.workspace_id AND u.id = r.reviewed_user_id WHERE {visible} "
    "AND r.deleted_at IS NULL AND r.score_bp IS NOT NULL AND r.activity_at >= :from AND r.activity_at < :to "
    "GROUP BY r.reviewed_user_id, u.full_name ORDER BY r.reviewed_user_id";
constexpr const char* kQueue =
    "SELECT a.id, a.owner_user_id, a.kind, a.subject, u.full_name, a.at, a.call_duration_s, "
    "CASE WHEN a.recording_file_id IS NULL AND a.recording_url IS NULL THEN 0 ELSE 1 END FROM activities a "
    "JOIN users u ON u.workspace_id = a.workspace_id AND u.id = a.owner_user_id "
    "WHERE {visible} AND a.deleted_at IS NULL AND a.owner_user_id <> :reviewer AND a.at >= :from AND a.at < :to "
    "AND ((a.kind = 'call' AND (a.recording_file_id IS NOT NULL OR a.recording_url IS NOT NULL)) "
    "OR (a.kind = 'meeting' AND a.done = 1)) "
    "AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.workspace_id = a.workspace_id AND r.activity_id = a.id "
    "AND r.reviewer_user_id = :reviewer AND r.deleted_at IS NULL) ORDER BY a.at DESC, a.id DESC LIMIT :lim";

constexpr long long kMaxId = 9'000'000'000'000'000'000LL;

void LoadChildren(soci::session& sql, core::Id ws_id, Review& r) {
    long long ws = ws_id, id = r.id, crit = 0, weight = 0;
    int mark = 0;
    soci::indicator mark_ind;
    Mark m;
    soci::statement marks = (sql.prepare << kSelectMarks, soci::into(crit), soci::into(m.code), soci::into(m.label_ru),
                             soci::into(m.label_en), soci::into(weight), soci::into(mark, mark_ind),
                             soci::use(ws, "ws"), soci::use(id, "id"));
    marks.execute();
    while (marks.fetch()) {
        m.criterion_id = crit;
        m.weight = static_cast<int>(weight);
        m.mark = mark_ind == soci::i_ok ? std::optional<int>(mark) : std::nullopt;
        r.marks.push_back(m);
    }
    long long cid = 0, author = 0, at = 0;
    int sec = 0;
    soci::indicator sec_ind;
    ReviewComment c;
    soci::statement comments =
        (sql.prepare << kSelectComments, soci::into(cid), soci::into(sec, sec_ind), soci::into(c.body),
         soci::into(author), soci::into(c.author_name), soci::into(at), soci::use(ws, "ws"), soci::use(id, "id"));
    comments.execute();
    while (comments.fetch()) {
        c.id = cid;
        c.at_second = sec_ind == soci::i_ok ? std::optional<int>(sec) : std::nullopt;
        c.author_user_id = author;
        c.created_at = at;
        r.comments.push_back(c);
    }
}

// The columns of kReviewColumns, bound once per statement.
struct ReviewRow {
    long long id = 0, act = 0, at = 0, reviewed = 0, reviewer = 0, created = 0, updated = 0;
    int duration = 0, recorded = 0, score = 0;
    soci::indicator duration_ind = soci::i_ok, score_ind = soci::i_ok;
    std::string kind, subject, reviewed_name, reviewer_name, summary;

    void Into(soci::statement& st) {
        st.exchange(soci::into(id));
        st.exchange(soci::into(act));
        st.exchange(soci::into(kind));
        st.exchange(soci::into(subject));
        st.exchange(soci::into(at));
        st.exchange(soci::into(duration, duration_ind));
        st.exchange(soci::into(recorded));
        st.exchange(soci::into(reviewed));
        st.exchange(soci::into(reviewer));
        st.exchange(soci::into(reviewed_name));
        st.exchange(soci::into(reviewer_name));
        st.exchange(soci::into(score, score_ind));
        st.exchange(soci::into(summary));
        st.exchange(soci::into(created));
        st.exchange(soci::into(updated));
    }
    Review Get() const {
        Review r;
        r.id = id;
        r.activity_id = act;
        r.activity_kind = kind;
        r.activity_subject = subject;
        r.activity_at = at;
        r.call_duration_s = duration_ind == soci::i_ok ? std::optional<int>(duration) : std::nullopt;
        r.has_recording = recorded != 0;
        r.reviewed_user_id = reviewed;
        r.reviewer_user_id = reviewer;
        r.reviewed_name = reviewed_name;
        r.reviewer_name = reviewer_name;
        r.score_bp = score_ind == soci::i_ok ? std::optional<int>(score) : std::nullopt;
        r.summary = summary;
        r.created_at = created;
        r.updated_at = updated;
        return r;
    }
};

}  // namespace

std::vector<Criterion> SelectCriteria(soci::session& sql, core::Id ws_id, bool include_archived) {
    long long ws = ws_id, id = 0, weight = 0, position = 0;
    int all = include_archived ? 1 : 0, archived = 0;
    Criterion c;
    std::vector<Criterion> out;
    soci::statement st = (sql.prepare << kSelectCriteria, soci::into(id), soci::into(c.code), soci::into(c.label_ru),
                          soci::into(c.label_en), soci::into(weight), soci::into(position), soci::into(archived),
                          soci::use(ws, "ws"), soci::use(all, "all"));
    st.execute();
    while (st.fetch()) {
        c.id = id;
        c.weight = static_cast<int>(weight);
        c.position = static_cast<int>(position);
        c.archived = archived != 0;
        out.push_back(c);
    }
    return out;
}

bool EnsureDefaultCriteria(soci::session& sql, core::Id ws_id, core::Millis now) {
    long long ws = ws_id, n = 0;
    sql << kCountCriteria, soci::use(ws, "ws"), soci::into(n);
    if (n > 0) return false;
    for (const auto& c : DefaultCriteria()) InsertCriterion(sql, ws_id, c, now);
    return true;
}

core::Id InsertCriterion(soci::session& sql, core::Id ws_id, const Criterion& c, core::Millis now) {
    long long ws = ws_id, weight = c.weight, pos = c.position, at = now, id = 0;
    sql << kInsertCriterion, soci::use(ws, "ws"), soci::use(c.code, "code"), soci::use(c.label_ru, "ru"),
        soci::use(c.label_en, "en"), soci::use(weight, "weight"), soci::use(pos, "pos"), soci::use(at, "now"),
        soci::into(id);
    return id;
}

void UpdateCriterion(soci::session& sql, core::Id ws_id, const Criterion& c, core::Millis now) {
    long long ws = ws_id, weight = c.weight, pos = c.position, at = now, id = c.id;
    sql << kUpdateCriterion, soci::use(c.label_ru, "ru"), soci::use(c.label_en, "en"), soci::use(weight, "weight"),
        soci::use(pos, "pos"), soci::use(at, "now"), soci::use(ws, "ws"), soci::use(id, "id");
}

void ArchiveCriterion(soci::session& sql, core::Id ws_id, core::Id id_, core::Millis now) {
    long long ws = ws_id, id = id_, at = now;
    sql << kArchiveCriterion, soci::use(at, "now"), soci::use(ws, "ws"), soci::use(id, "id");
}

core::Id InsertReview(soci::session& sql, core::Id ws_id, const Review& r, core::Millis now) {
    long long ws = ws_id, act = r.activity_id, at = r.activity_at, reviewed = r.reviewed_user_id,
              reviewer = r.reviewer_user_id, score = r.score_bp.value_or(0), t = now, id = 0;
    soci::indicator score_ind = r.score_bp ? soci::i_ok : soci::i_null;
    sql << kInsertReview, soci::use(ws, "ws"), soci::use(act, "act"), soci::use(r.activity_kind, "kind"),
        soci::use(at, "at"), soci::use(reviewed, "reviewed"), soci::use(reviewer, "reviewer"),
        soci::use(score, score_ind, "score"), soci::use(r.summary, "summary"), soci::use(t, "now"), soci::into(id);
    return id;
}

void UpdateReview(soci::session& sql, core::Id ws_id, core::Id id_, std::optional<int> score_bp,
                  const std::string& summary, core::Millis now) {
    long long ws = ws_id, id = id_, score = score_bp.value_or(0), t = now;
    soci::indicator score_ind = score_bp ? soci::i_ok : soci::i_null;
    sql << kUpdateReview, soci::use(score, score_ind, "score"), soci::use(summary, "summary"), soci::use(t, "now"),
        soci::use(ws, "ws"), soci::use(id, "id");
}

void DeleteReview(soci::session& sql, core::Id ws_id, core::Id id_, core::Millis now) {
    long long ws = ws_id, id = id_, t = now;
    sql << kDeleteReview, soci::use(t, "now"), soci::use(ws, "ws"), soci::use(id, "id");
}

void ReplaceMarks(soci::session& sql, core::Id ws_id, core::Id review_id, const std::vector<Mark>& marks) {
    long long ws = ws_id, id = review_id;
    sql << kDeleteMarks, soci::use(ws, "ws"), soci::use(id, "id");
    long long pos = 0;
    for (const auto& m : marks) {
        long long crit = m.criterion_id, weight = m.weight, mark = m.mark.value_or(0);
        soci::indicator mark_ind = m.mark ? soci::i_ok : soci::i_null;
        sql << kInsertMark, soci::use(ws, "ws"), soci::use(id, "id"), soci::use(crit, "crit"), soci::use(pos, "pos"),
            soci::use(m.code, "code"), soci::use(m.label_ru, "ru"), soci::use(m.label_en, "en"),
            soci::use(weight, "weight"), soci::use(mark, mark_ind, "mark");
        ++pos;
    }
}

core::Id InsertComment(soci::session& sql, core::Id ws_id, core::Id review_id, const ReviewComment& c,
                       core::Millis now) {
    long long ws = ws_id, id = review_id, sec = c.at_second.value_or(0), author = c.author_user_id, t = now, out = 0;
    soci::indicator sec_ind = c.at_second ? soci::i_ok : soci::i_null;
    sql << kInsertComment, soci::use(ws, "ws"), soci::use(id, "id"), soci::use(sec, sec_ind, "sec"),
        soci::use(c.body, "body"), soci::use(author, "author"), soci::use(t, "now"), soci::into(out);
    return out;
}

std::optional<core::Id> FindReview(soci::session& sql, core::Id ws_id, core::Id activity_id, core::Id reviewer_id) {
    long long ws = ws_id, act = activity_id, reviewer = reviewer_id, id = 0;
    sql << kFindReview, soci::use(ws, "ws"), soci::use(act, "act"), soci::use(reviewer, "reviewer"), soci::into(id);
    if (!sql.got_data()) return std::nullopt;
    return id;
}

std::optional<Review> SelectReview(soci::session& sql, core::Id ws, core::Id id_, const auth::Predicate& visible) {
    long long id = id_;
    ReviewRow row;
    soci::statement st(sql);
    st.alloc();
    st.prepare(visible.Expand(std::string(kReviewColumns) + kSelectReviewWhere));
    row.Into(st);
    st.exchange(soci::use(id, "id"));
    visible.BindTo(st);
    st.define_and_bind();
    st.execute(false);
    if (!st.fetch()) return std::nullopt;
    Review r = row.Get();
    st.clean_up();
    LoadChildren(sql, ws, r);
    return r;
}

std::vector<Review> ListReviews(soci::session& sql, const ReviewFilter& f, const auth::Predicate& visible) {
    long long reviewed = f.reviewed_user_id.value_or(0), reviewer = f.reviewer_user_id.value_or(0),
              act = f.activity_id.value_or(0), from = f.from.value_or(0), to = f.to.value_or(kMaxId),
              before = f.before_id.value_or(kMaxId), lim = f.limit;
    ReviewRow row;
    soci::statement st(sql);
    st.alloc();
    st.prepare(visible.Expand(std::string(kReviewColumns) + kListReviewsWhere));
    row.Into(st);
    st.exchange(soci::use(reviewed, "reviewed"));
    st.exchange(soci::use(reviewer, "reviewer"));
    st.exchange(soci::use(act, "act"));
    st.exchange(soci::use(from, "from"));
    st.exchange(soci::use(to, "to"));
    st.exchange(soci::use(before, "before"));
    st.exchange(soci::use(lim, "lim"));
    visible.BindTo(st);
    st.define_and_bind();
    st.execute(false);
    std::vector<Review> out;
    while (st.fetch()) out.push_back(row.Get());
    return out;
}

std::vector<ScoreRow> Scores(soci::session& sql, core::Millis from_, core::Millis to_, const auth::Predicate& visible) {
    long long from = from_, to = to_, uid = 0, n = 0, sum = 0;
    std::string name;
    std::vector<ScoreRow> out;
    soci::statement st = (sql.prepare << visible.Expand(kScores), soci::into(uid), soci::into(name), soci::into(n),
                          soci::into(sum), soci::use(from, "from"), soci::use(to, "to"), visible);
    st.execute();
    while (st.fetch()) out.push_back({uid, name, static_cast<int>(n), sum});
    return out;
}

std::vector<QueueItem> ReviewQueue(soci::session& sql, core::Id reviewer_id, core::Millis from_, core::Millis to_,
                                   int limit, const auth::Predicate& visible) {
    long long reviewer = reviewer_id, from = from_, to = to_, lim = limit, id = 0, owner = 0, at = 0;
    int duration = 0, recorded = 0;
    soci::indicator duration_ind;
    QueueItem q;
    std::vector<QueueItem> out;
    soci::statement st = (sql.prepare << visible.Expand(kQueue), soci::into(id), soci::into(owner), soci::into(q.kind),
                          soci::into(q.subject), soci::into(q.owner_name), soci::into(at),
                          soci::into(duration, duration_ind), soci::into(recorded), soci::use(reviewer, "reviewer"),
                          soci::use(from, "from"), soci::use(to, "to"), soci::use(lim, "lim"), visible);
    st.execute();
    while (st.fetch()) {
        q.activity_id = id;
        q.owner_user_id = owner;
        q.at = at;
        q.duration_s = duration_ind == soci::i_ok ? std::optional<int>(duration) : std::nullopt;
        q.has_recording = recorded != 0;
        out.push_back(q);
    }
    return out;
}

}  // namespace otdel::agenda::store
