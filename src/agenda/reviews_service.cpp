#include "agenda/reviews_service.hpp"

#include <boost/json.hpp>

#include <map>
#include <set>

#include "agenda/plan.hpp"
#include "auth/visibility.hpp"
#include "core/access.hpp"
#include "events/audit.hpp"
#include "events/notifications.hpp"
#include "http/json.hpp"
#include "org/employee_store.hpp"

namespace otdel::agenda {
namespace json = boost::json;
using auth::Action;
using core::Error;
using core::ErrorCode;

namespace {

constexpr const char* kObject = "review";
using core::kDay;

using core::RequireSignedIn;

using core::NotFound;

auth::Visibility Vis(soci::session& sql, const core::Actor& a, core::Millis now) {
    return auth::BuildVisibility(sql, a, org::store::WorkspaceToday(sql, a.workspace_id, now));
}

// The checklist is the workspace's: administrators and roles that may change the organisation.
core::Result<void> MayConfigure(const auth::Visibility& vis) {
    if (vis.caller().unrestricted || vis.Can(Action::kUpdate, "org")) return core::Ok();
    return Error::Of(ErrorCode::kForbidden, "reviews.configure_forbidden");
}

using http::OrNull;

json::object Snapshot(const store::Review& r) {
    json::array marks;
    for (const auto& m : r.marks)
        marks.push_back(json::object{{"code", m.code}, {"weight", m.weight}, {"mark", OrNull(m.mark)}});
    return json::object{{"activity_id", r.activity_id},
                        {"reviewed_user_id", r.reviewed_user_id},
                        {"reviewer_user_id", r.reviewer_user_id},
                        {"score_bp", OrNull(r.score_bp)},
                        {"summary", r.summary},
                        {"marks", std::move(marks)},
                        {"comments", static_cast<std::int64_t>(r.comments.size())}};
}

json::object CriteriaSnapshot(const std::vector<Criterion>& items) {
    json::array out;
    for (const auto& c : items)
        out.push_back(
            json::object{{"code", c.code}, {"label_ru", c.label_ru}, {"label_en", c.label_en}, {"weight", c.weight}});
    return json::object{{"items", std::move(out)}};
}

std::vector<core::FieldError> CommentErrors(const std::vector<CommentInput>& in, std::optional<int> duration,
                                            const std::string& prefix) {
    std::vector<core::FieldError> errs;
    if (in.size() > kMaxComments) errs.push_back({"comments", "too_many", std::to_string(kMaxComments)});
    for (std::size_t i = 0; i < in.size(); ++i) {
        auto e = ValidateComment(in[i].at_second, in[i].body, duration, prefix + std::to_string(i) + "/");
        errs.insert(errs.end(), e.begin(), e.end());
    }
    return errs;
}

std::optional<int> DurationOf(const activities::Activity& act) {
    if (act.kind != "call" || !act.call_duration_s) return std::nullopt;
    return static_cast<int>(*act.call_duration_s);
}

// A review the caller sees and wrote (administrators may change any): 404 when unseen, 403 when someone else's.
core::Result<store::Review> OwnReview(soci::session& sql, const core::Actor& a, const auth::Visibility& vis,
                                      core::Id id) {
    const auth::Predicate readable = vis.Read("r", "reviewed_user_id");
    auto r = store::SelectReview(sql, a.workspace_id, id, readable);
    if (!r || !vis.Can(Action::kRead, kObject)) return NotFound();
    if (r->reviewer_user_id != a.user_id && !vis.caller().unrestricted)
        return Error::Of(ErrorCode::kForbidden, "reviews.not_reviewer");
    return *r;
}

}  // namespace

core::Result<std::vector<Mark>> ReviewsService::BuildMarks(soci::session& sql, core::Id ws,
                                                           const std::vector<MarkInput>& in,
                                                           const std::vector<Mark>& previous) {
    // The live checklist, plus criteria archived since the review was written (its marks stay editable).
    std::map<core::Id, Criterion> live;
    for (auto& c : store::SelectCriteria(sql, ws, true))
        if (!c.archived) live[c.id] = c;
    std::map<core::Id, Mark> marks;
    for (const auto& m : previous) marks[m.criterion_id] = m;
    for (const auto& [id, c] : live)
        if (!marks.count(id)) marks[id] = Mark{c.id, c.code, c.label_ru, c.label_en, c.weight, std::nullopt};
    std::vector<core::FieldError> errs;
    std::set<core::Id> seen;
    for (std::size_t i = 0; i < in.size(); ++i) {
        const std::string at = "marks/" + std::to_string(i) + "/";
        auto it = marks.find(in[i].criterion_id);
        if (it == marks.end()) {
            errs.push_back({at + "criterion_id", "invalid", ""});
            continue;
        }
        if (!seen.insert(in[i].criterion_id).second)
            errs.push_back({at + "criterion_id", "duplicate", std::to_string(in[i].criterion_id)});
        if (in[i].mark && (*in[i].mark < 0 || *in[i].mark > kMaxMark)) {
            errs.push_back({at + "mark", "out_of_range", "0–" + std::to_string(kMaxMark)});
            continue;
        }
        it->second.mark = in[i].mark;
    }
    if (!errs.empty()) return Error{ErrorCode::kValidation, {}, std::move(errs), 0};
    // In the checklist's order: live criteria by position, then the archived ones a review still carries.
    std::vector<Mark> out;
    for (const auto& c : store::SelectCriteria(sql, ws, true))
        if (auto it = marks.find(c.id); it != marks.end()) out.push_back(it->second);
    return out;
}

core::Result<std::vector<Criterion>> ReviewsService::Criteria(const core::Actor& a, bool include_archived) {
    OTDEL_TRY_VOID(RequireSignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<std::vector<Criterion>> {
        if (store::EnsureDefaultCriteria(sql, a.workspace_id, now))
            events::WriteAudit(sql, core::Actor::System(a.workspace_id), now,
                               {"review_criteria.default", "review_criteria", std::nullopt, std::nullopt,
                                CriteriaSnapshot(DefaultCriteria())});
        return store::SelectCriteria(sql, a.workspace_id, include_archived);
    });
}

core::Result<std::vector<Criterion>> ReviewsService::PutCriteria(const core::Actor& a,
                                                                 const std::vector<Criterion>& items) {
    OTDEL_TRY_VOID(RequireSignedIn(a));
    auto errs = ValidateCriteria(items);
    if (!errs.empty()) return Error{ErrorCode::kValidation, {}, std::move(errs), 0};
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<std::vector<Criterion>> {
        const auto vis = Vis(sql, a, now);
        OTDEL_TRY_VOID(MayConfigure(vis));
        store::EnsureDefaultCriteria(sql, a.workspace_id, now);
        const auto before = store::SelectCriteria(sql, a.workspace_id, true);
        std::map<std::string, Criterion> by_code;
        for (const auto& c : before) by_code[c.code] = c;
        std::set<core::Id> kept;
        std::vector<core::FieldError> id_errors;
        for (std::size_t i = 0; i < items.size(); ++i) {
            Criterion c = items[i];
            c.position = static_cast<int>(i);
            auto it = by_code.find(c.code);
            if (c.id != 0 && (it == by_code.end() || it->second.id != c.id)) {
                // An id must name the criterion with that code (codes never change: marks are read by them).
                id_errors.push_back({"items/" + std::to_string(i) + "/id", "invalid", ""});
                continue;
            }
            if (it != by_code.end()) {
                c.id = it->second.id;
                store::UpdateCriterion(sql, a.workspace_id, c, now);
            } else {
                c.id = store::InsertCriterion(sql, a.workspace_id, c, now);
            }
            kept.insert(c.id);
        }
        if (!id_errors.empty()) return Error{ErrorCode::kValidation, {}, std::move(id_errors), 0};
        for (const auto& c : before)
            if (!c.archived && !kept.count(c.id)) store::ArchiveCriterion(sql, a.workspace_id, c.id, now);
        auto after = store::SelectCriteria(sql, a.workspace_id, false);
        std::vector<Criterion> live_before;
        for (const auto& c : before)
            if (!c.archived) live_before.push_back(c);
        events::WriteAudit(sql, a, now,
                           {"review_criteria.update", "review_criteria", std::nullopt, CriteriaSnapshot(live_before),
                            CriteriaSnapshot(after)});
        return after;
    });
}

core::Result<std::vector<store::QueueItem>> ReviewsService::Queue(const core::Actor& a, int days, int limit) {
    OTDEL_TRY_VOID(RequireSignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.Read([&](soci::session& sql) -> core::Result<std::vector<store::QueueItem>> {
        const auto vis = Vis(sql, a, now);
        if (!vis.Can(Action::kCreate, kObject) || !vis.Can(Action::kRead, "activity"))
            return std::vector<store::QueueItem>{};
        // The people the caller may act for (the tree's write scope), as activity owners.
        const auth::Predicate visible = vis.Write("a");
        return store::ReviewQueue(sql, a.user_id, now - days * kDay, now + kDay, limit, visible);
    });
}

core::Result<store::Review> ReviewsService::Create(const core::Actor& a, const ReviewInput& in) {
    OTDEL_TRY_VOID(RequireSignedIn(a));
    if (!in.activity_id) return Error::Field("activity_id", "required");
    const core::Millis now = clock_.NowMs();
    core::Id reviewed = 0;
    auto done = db_.InTx([&](soci::session& sql) -> core::Result<store::Review> {
        const auto vis = Vis(sql, a, now);
        auto act = activities_.GetInTx(sql, a.workspace_id, *in.activity_id);
        if (!act || act->deleted_at || !activities_.CanReadInTx(sql, vis, *act)) return NotFound();
        if (!act->owner_user_id)
            return Error{ErrorCode::kValidation, "reviews.no_owner", {{"activity_id", "invalid", ""}}, 0};
        switch (CheckReviewTarget(a.user_id, *act->owner_user_id, act->kind)) {
            case ReviewRefusal::kSelf: return Error::Of(ErrorCode::kForbidden, "reviews.self");
            case ReviewRefusal::kWrongKind:
                return Error{ErrorCode::kValidation, "reviews.wrong_kind", {{"activity_id", "invalid", ""}}, 0};
            case ReviewRefusal::kNone: break;
        }
        if (!vis.Can(Action::kCreate, kObject)) return Error::Of(ErrorCode::kForbidden, "reviews.forbidden");
        // Only someone who may act for the seller along the tree (their manager up the tree, or a role whose scope
        // covers them) reviews them.
        if (!activities_.InScopeInTx(sql, vis, *act->owner_user_id))
            return Error::Of(ErrorCode::kForbidden, "reviews.not_manager");
        if (store::FindReview(sql, a.workspace_id, act->id, a.user_id))
            return Error::Of(ErrorCode::kConflict, "reviews.exists");
        auto cerrs = CommentErrors(in.comments, DurationOf(*act), "comments/");
        if (in.summary) {
            auto serrs = ValidateSummary(*in.summary);
            cerrs.insert(cerrs.end(), serrs.begin(), serrs.end());
        }
        if (!cerrs.empty()) return Error{ErrorCode::kValidation, {}, std::move(cerrs), 0};
        store::EnsureDefaultCriteria(sql, a.workspace_id, now);
        auto marks = BuildMarks(sql, a.workspace_id, in.marks.value_or(std::vector<MarkInput>{}), {});
        if (!marks) return marks.take_error();
        store::Review r;
        r.activity_id = act->id;
        r.activity_kind = act->kind;
        r.activity_at = act->at;
        r.reviewed_user_id = *act->owner_user_id;
        r.reviewer_user_id = a.user_id;
        r.marks = *marks;
        r.score_bp = ScoreBp(r.marks);
        r.summary = in.summary.value_or("");
        r.id = store::InsertReview(sql, a.workspace_id, r, now);
        store::ReplaceMarks(sql, a.workspace_id, r.id, r.marks);
        for (const auto& c : in.comments)
            store::InsertComment(sql, a.workspace_id, r.id, ReviewComment{0, c.at_second, c.body, a.user_id, "", 0},
                                 now);
        const auth::Predicate readable = vis.Read("r", "reviewed_user_id");
        auto saved = store::SelectReview(sql, a.workspace_id, r.id, readable);
        if (!saved) return NotFound();
        events::WriteAudit(sql, a, now, {"review.create", kObject, r.id, std::nullopt, Snapshot(*saved)});
        events::Notify(sql, a.workspace_id, saved->reviewed_user_id, "agenda.review_created",
                       json::object{{"review_id", saved->id},
                                    {"reviewer", saved->reviewer_name},
                                    {"subject", saved->activity_subject},
                                    {"score_bp", OrNull(saved->score_bp)},
                                    {"score_pct",
                                     saved->score_bp ? json::value((*saved->score_bp + 50) / 100) : json::value("—")}},
                       "/reviews/" + std::to_string(saved->id), now);
        reviewed = saved->reviewed_user_id;
        return *saved;
    });
    if (done.ok() && reviewed && after_commit_) after_commit_();
    return done;
}

core::Result<store::Review> ReviewsService::Update(const core::Actor& a, core::Id id, const ReviewInput& in) {
    OTDEL_TRY_VOID(RequireSignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<store::Review> {
        const auto vis = Vis(sql, a, now);
        auto r = OwnReview(sql, a, vis, id);
        if (!r) return r.take_error();
        if (in.summary)
            if (auto serrs = ValidateSummary(*in.summary); !serrs.empty())
                return Error{ErrorCode::kValidation, {}, std::move(serrs), 0};
        const json::object before = Snapshot(*r);
        std::vector<Mark> marks = r->marks;
        if (in.marks) {
            auto built = BuildMarks(sql, a.workspace_id, *in.marks, r->marks);
            if (!built) return built.take_error();
            marks = *built;
            store::ReplaceMarks(sql, a.workspace_id, id, marks);
        }
        store::UpdateReview(sql, a.workspace_id, id, ScoreBp(marks), in.summary.value_or(r->summary), now);
        auto saved = OwnReview(sql, a, vis, id);
        if (saved) events::WriteAudit(sql, a, now, {"review.update", kObject, id, before, Snapshot(*saved)});
        return saved;
    });
}

core::Result<store::Review> ReviewsService::AddComment(const core::Actor& a, core::Id id, const CommentInput& in) {
    OTDEL_TRY_VOID(RequireSignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<store::Review> {
        const auto vis = Vis(sql, a, now);
        auto r = OwnReview(sql, a, vis, id);
        if (!r) return r.take_error();
        auto errs = ValidateComment(in.at_second, in.body, r->call_duration_s, "");
        if (!errs.empty()) return Error{ErrorCode::kValidation, {}, std::move(errs), 0};
        if (r->comments.size() >= kMaxComments) return Error::Field("body", "too_many", std::to_string(kMaxComments));
        const core::Id cid = store::InsertComment(sql, a.workspace_id, id,
                                                  ReviewComment{0, in.at_second, in.body, a.user_id, "", 0}, now);
        events::WriteAudit(sql, a, now,
                           {"review.comment", kObject, id, std::nullopt,
                            json::object{{"comment_id", cid}, {"at_second", OrNull(in.at_second)}, {"body", in.body}}});
        return OwnReview(sql, a, vis, id);
    });
}

core::Result<void> ReviewsService::Delete(const core::Actor& a, core::Id id) {
    OTDEL_TRY_VOID(RequireSignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<void> {
        const auto vis = Vis(sql, a, now);
        auto r = OwnReview(sql, a, vis, id);
        if (!r) return r.take_error();
        store::DeleteReview(sql, a.workspace_id, id, now);
        events::WriteAudit(sql, a, now, {"review.delete", kObject, id, Snapshot(*r), std::nullopt});
        return core::Ok();
    });
}

core::Result<store::Review> ReviewsService::Get(const core::Actor& a, core::Id id) {
    OTDEL_TRY_VOID(RequireSignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<store::Review> {
        const auto vis = Vis(sql, a, clock_.NowMs());
        if (!vis.Can(Action::kRead, kObject)) return NotFound();
        const auth::Predicate readable = vis.Read("r", "reviewed_user_id");
        auto r = store::SelectReview(sql, a.workspace_id, id, readable);
        if (!r) return NotFound();
        return *r;
    });
}

core::Result<ReviewPage> ReviewsService::List(const core::Actor& a, const ReviewQuery& q) {
    OTDEL_TRY_VOID(RequireSignedIn(a));
    std::optional<core::Id> before;
    if (q.cursor) {
        before = http::DecodeCursor(*q.cursor);
        if (!before) return Error{ErrorCode::kBadRequest, {}, {{"cursor", "invalid", ""}}, 0};
    }
    return db_.Read([&](soci::session& sql) -> core::Result<ReviewPage> {
        const auto vis = Vis(sql, a, clock_.NowMs());
        ReviewPage page;
        if (!vis.Can(Action::kRead, kObject)) return page;
        store::ReviewFilter f;
        f.reviewed_user_id = q.reviewed_user_id;
        f.reviewer_user_id = q.written_by_me ? std::optional<core::Id>(a.user_id) : std::nullopt;
        f.activity_id = q.activity_id;
        f.from = q.from;
        f.to = q.to;
        f.before_id = before;
        f.limit = q.limit + 1;
        const auth::Predicate readable = vis.Read("r", "reviewed_user_id");
        page.items = store::ListReviews(sql, f, readable);
        if (static_cast<int>(page.items.size()) > q.limit) {
            page.items.resize(q.limit);
            page.next_cursor = http::EncodeCursor(page.items.back().id);
        }
        return page;
    });
}

core::Result<std::vector<ReviewScore>> ReviewsService::Scores(const core::Actor& a, const std::string& from_day,
                                                              const std::string& to_day,
                                                              std::optional<core::Id> user_id) {
    OTDEL_TRY_VOID(RequireSignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<std::vector<ReviewScore>> {
        const auto vis = Vis(sql, a, clock_.NowMs());
        const std::string tz = org::store::WorkspaceTimeZone(sql, a.workspace_id);
        const auto first = LocalDayWindow(tz, from_day);
        const auto last = LocalDayWindow(tz, to_day);
        std::vector<core::FieldError> errs;
        if (!first) errs.push_back({"from", from_day.empty() ? "required" : "invalid", "YYYY-MM-DD"});
        if (!last) errs.push_back({"to", to_day.empty() ? "required" : "invalid", "YYYY-MM-DD"});
        if (first && last && last->end <= first->start) errs.push_back({"to", "before_start", ""});
        if (!errs.empty()) return Error{ErrorCode::kBadRequest, {}, std::move(errs), 0};
        const core::Millis from = first->start, to = last->end;
        std::vector<ReviewScore> out;
        if (!vis.Can(Action::kRead, kObject)) return out;
        const auth::Predicate readable = vis.Read("r", "reviewed_user_id");
        for (const auto& row : store::Scores(sql, from, to, readable)) {
            if (user_id && row.user_id != *user_id) continue;
            out.push_back({row.user_id, row.full_name, row.reviews, MeanBp(row.sum_bp, row.reviews)});
        }
        return out;
    });
}

std::vector<ReviewScore> ReviewsService::ScoresInTx(soci::session& sql, core::Id ws, const std::vector<core::Id>& users,
                                                    core::Millis from, core::Millis to) {
    const auth::Visibility all = auth::BuildVisibility(sql, core::Actor::System(ws), "1970-01-01");
    const auth::Predicate readable = all.Read("r", "reviewed_user_id");
    const std::set<core::Id> wanted(users.begin(), users.end());
    std::vector<ReviewScore> out;
    for (const auto& row : store::Scores(sql, from, to, readable)) {
        if (!wanted.empty() && !wanted.count(row.user_id)) continue;
        out.push_back({row.user_id, row.full_name, row.reviews, MeanBp(row.sum_bp, row.reviews)});
    }
    return out;
}

}  // namespace otdel::agenda
