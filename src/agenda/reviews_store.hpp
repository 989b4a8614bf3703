#pragma once
/// SQL of reviews (ACT-3): the workspace's checklist, reviews with their marks and timestamped comments, and the
/// per-person scores the KPI room reads. Queries over reviews carry the visibility predicate on the reviewed person.
#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "agenda/review.hpp"
#include "auth/visibility.hpp"

namespace otdel::agenda::store {

std::vector<Criterion> SelectCriteria(soci::session& sql, core::Id ws, bool include_archived);
/// Inserts the default checklist when the workspace has no criteria at all (first use). Returns whether it did.
bool EnsureDefaultCriteria(soci::session& sql, core::Id ws, core::Millis now);
core::Id InsertCriterion(soci::session& sql, core::Id ws, const Criterion& c, core::Millis now);
void UpdateCriterion(soci::session& sql, core::Id ws, const Criterion& c, core::Millis now);
void ArchiveCriterion(soci::session& sql, core::Id ws, core::Id id, core::Millis now);

struct Review {
    core::Id id = 0, activity_id = 0;
    std::string activity_kind, activity_subject;
    core::Millis activity_at = 0;
    std::optional<int> call_duration_s;
    bool has_recording = false;
    core::Id reviewed_user_id = 0, reviewer_user_id = 0;
    std::string reviewed_name, reviewer_name;
    std::optional<int> score_bp;
    std::string summary;
    core::Millis created_at = 0, updated_at = 0;
    std::vector<Mark> marks;
    std::vector<ReviewComment> comments;
};

core::Id InsertReview(soci::session& sql, core::Id ws, const Review& r, core::Millis now);
void UpdateReview(soci::session& sql, core::Id ws, core::Id id, std::optional<int> score_bp, const std::string& summary,
                  core::Millis now);
void DeleteReview(soci::session& sql, core::Id ws, core::Id id, core::Millis now);
void ReplaceMarks(soci::session& sql, core::Id ws, core::Id review_id, const std::vector<Mark>& marks);
core::Id InsertComment(soci::session& sql, core::Id ws, core::Id review_id, const ReviewComment& c, core::Millis now);
/// The live review of `reviewer` on the activity, if any (no visibility: the reviewer's own).
std::optional<core::Id> FindReview(soci::session& sql, core::Id ws, core::Id activity_id, core::Id reviewer);

/// A live review the caller sees (the reviewed person under `visible`, Read("r", "reviewed_user_id")), with its
/// marks and comments.
std::optional<Review> SelectReview(soci::session& sql, core::Id ws, core::Id id, const auth::Predicate& visible);

struct ReviewFilter {
    std::optional<core::Id> reviewed_user_id, reviewer_user_id, activity_id;
    std::optional<core::Millis> from, to;  // activity time
    std::optional<core::Id> before_id;
    int limit = 50;
};
/// Newest first (by id), without marks and comments.
std::vector<Review> ListReviews(soci::session& sql, const ReviewFilter& f, const auth::Predicate& visible);

struct ScoreRow {
    core::Id user_id = 0;
    std::string full_name;
    int reviews = 0;
    long long sum_bp = 0;
};
/// Per reviewed person: live scored reviews with the activity in [from, to) (and only people under `visible`).
std::vector<ScoreRow> Scores(soci::session& sql, core::Millis from, core::Millis to, const auth::Predicate& visible);

/// Recorded calls and meetings of people under `visible` (Read("a")) in [from, to) that `reviewer` has not reviewed
/// yet, newest first; calls only with a recording.
struct QueueItem {
    core::Id activity_id = 0, owner_user_id = 0;
    std::string kind, subject, owner_name;
    core::Millis at = 0;
    std::optional<int> duration_s;
    bool has_recording = false;
};
std::vector<QueueItem> ReviewQueue(soci::session& sql, core::Id reviewer, core::Millis from, core::Millis to, int limit,
                                   const auth::Predicate& visible);

}  // namespace otdel::agenda::store
