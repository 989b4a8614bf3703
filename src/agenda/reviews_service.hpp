#pragma once
/// ReviewsService (ACT-3): the workspace's review checklist (created with the default on first use), reviews of a
/// seller's recorded calls and held meetings by a manager up the tree (or a role with review rights over them) — never
/// by the seller themself —, comments at a second of the recording, "my reviews" for the reviewed person, and the
/// per-person scores the KPI room reads (ScoresInTx). One transaction per change with its audit row; the reviewed
/// person is notified.
#include <optional>
#include <string>
#include <vector>

#include "activities/activities_service.hpp"
#include "agenda/review.hpp"
#include "agenda/reviews_store.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "http/router.hpp"

namespace otdel::agenda {

struct MarkInput {
    core::Id criterion_id = 0;
    std::optional<int> mark;  // nullopt: not applicable
};
struct CommentInput {
    std::optional<int> at_second;
    std::string body;
};
/// Create: activity_id required; marks of criteria not sent are "not applicable". Update: unset means unchanged.
struct ReviewInput {
    std::optional<core::Id> activity_id;
    std::optional<std::vector<MarkInput>> marks;
    std::optional<std::string> summary;
    std::vector<CommentInput> comments;
};

struct ReviewQuery {
    /// Reviews of this person ("me" is the caller); unset: every review the caller sees.
    std::optional<core::Id> reviewed_user_id;
    std::optional<core::Id> activity_id;
    /// Reviews the caller wrote.
    bool written_by_me = false;
    std::optional<core::Millis> from, to;
    std::optional<std::string> cursor;
    int limit = 50;
};
struct ReviewPage {
    std::vector<store::Review> items;
    std::optional<std::string> next_cursor;
};

/// A person's review score over a period (for the KPI room).
struct ReviewScore {
    core::Id user_id = 0;
    std::string full_name;
    int reviews = 0;
    std::optional<int> average_bp;
};

class ReviewsService {
public:
    ReviewsService(db::Database& db, const core::Clock& clock, activities::ActivitiesService& activities)
        : db_(db), clock_(clock), activities_(activities) {}

    /// The live checklist (the default one is written on first use); archived criteria too on request.
    core::Result<std::vector<Criterion>> Criteria(const core::Actor& a, bool include_archived);
    /// Replaces the checklist: items with an id are edited, new ones added, live ones left out archived (reviews keep
    /// the labels and weights they were scored with). Administrators and roles that may change the organisation.
    core::Result<std::vector<Criterion>> PutCriteria(const core::Actor& a, const std::vector<Criterion>& items);

    /// Calls with a recording and held meetings of the people the caller may review, not yet reviewed by them.
    core::Result<std::vector<store::QueueItem>> Queue(const core::Actor& a, int days, int limit);
    core::Result<store::Review> Create(const core::Actor& a, const ReviewInput& in);
    /// The reviewer (or an administrator) changes marks and summary.
    core::Result<store::Review> Update(const core::Actor& a, core::Id id, const ReviewInput& in);
    core::Result<store::Review> AddComment(const core::Actor& a, core::Id id, const CommentInput& in);
    core::Result<void> Delete(const core::Actor& a, core::Id id);
    core::Result<store::Review> Get(const core::Actor& a, core::Id id);
    core::Result<ReviewPage> List(const core::Actor& a, const ReviewQuery& q);
    /// Per visible person, reviews with the activity on the days `from`..`to` (YYYY-MM-DD, inclusive, the
    /// workspace's calendar).
    core::Result<std::vector<ReviewScore>> Scores(const core::Actor& a, const std::string& from, const std::string& to,
                                                  std::optional<core::Id> user_id);

    /// For the KPI room (inside the caller's transaction, no permission check): per person in `users` (everyone when
    /// empty), live scored reviews whose activity lies in [from, to); people without one are absent; by user id.
    static std::vector<ReviewScore> ScoresInTx(soci::session& sql, core::Id ws, const std::vector<core::Id>& users,
                                               core::Millis from, core::Millis to);

    void SetAfterCommit(std::function<void()> f) { after_commit_ = std::move(f); }
    /// /api/v1/review-criteria, /api/v1/reviews…
    void Register(http::Router& router);

private:
    core::Result<std::vector<Mark>> BuildMarks(soci::session& sql, core::Id ws, const std::vector<MarkInput>& in,
                                               const std::vector<Mark>& previous);

    db::Database& db_;
    const core::Clock& clock_;
    activities::ActivitiesService& activities_;
    std::function<void()> after_commit_;
};

}  // namespace otdel::agenda
