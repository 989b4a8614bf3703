#pragma once
/// Call and meeting reviews (ACT-3) as pure rules: the workspace's checklist (criteria with weights), the default one,
/// the weighted score of a review's marks, and the checks on what a reviewer sends. No SQL, JSON or HTTP here.
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"

namespace otdel::agenda {

inline constexpr int kMinWeight = 1;
inline constexpr int kMaxWeight = 100;
inline constexpr std::size_t kMaxCriteria = 30;
inline constexpr std::size_t kMaxLabel = 200;
inline constexpr std::size_t kMaxSummary = 4000;
inline constexpr std::size_t kMaxComment = 2000;
inline constexpr std::size_t kMaxComments = 100;
/// A mark: 0 = not done, 1 = partly, 2 = done; "not applicable" is no mark at all.
inline constexpr int kMaxMark = 2;
/// Scores are basis points: 10000 = every applicable criterion fully met.
inline constexpr int kFullScoreBp = 10'000;

struct Criterion {
    core::Id id = 0;
    std::string code, label_ru, label_en;
    int weight = 0;
    int position = 0;
    bool archived = false;
};

/// One criterion as a review scored it (label and weight copied, so a later checklist edit leaves old reviews alone).
struct Mark {
    core::Id criterion_id = 0;
    std::string code, label_ru, label_en;
    int weight = 0;
    std::optional<int> mark;
};

struct ReviewComment {
    core::Id id = 0;
    std::optional<int> at_second;
    std::string body;
    core::Id author_user_id = 0;
    std::string author_name;
    core::Millis created_at = 0;
};

/// The checklist a workspace starts with (ru and en labels): greeting, needs, presentation, objections, next step…
std::vector<Criterion> DefaultCriteria();

/// A checklist as a workspace sends it: 1..kMaxCriteria items, codes [a-z0-9_]{2,50} unique, both labels 1..200
/// characters, weights kMinWeight..kMaxWeight. Field errors are "items/N/<field>".
std::vector<core::FieldError> ValidateCriteria(const std::vector<Criterion>& items);

/// The weighted score in basis points: Σ weight·mark / Σ weight·kMaxMark over the marked criteria, rounded half up;
/// nullopt when nothing was marked (every criterion "not applicable").
std::optional<int> ScoreBp(const std::vector<Mark>& marks);

/// The average of scores (basis points, rounded half up), nullopt for none: a person's score over a period.
std::optional<int> AverageBp(const std::vector<int>& scores);
/// The same from a sum of `count` scores (what SQL aggregates).
std::optional<int> MeanBp(long long sum_bp, long long count);

/// A comment's moment must fall inside the recording (0..duration; any non-negative second when the duration is
/// unknown) and its text must be 1..kMaxComment characters. Errors name `field_prefix` + "at_second" / "body".
std::vector<core::FieldError> ValidateComment(const std::optional<int>& at_second, const std::string& body,
                                              std::optional<int> duration_s, const std::string& field_prefix);

/// A review's summary: at most kMaxSummary characters (empty is fine).
std::vector<core::FieldError> ValidateSummary(const std::string& summary);

/// What may be reviewed: only a call or a meeting, and never one's own.
enum class ReviewRefusal { kNone, kSelf, kWrongKind };
ReviewRefusal CheckReviewTarget(core::Id reviewer, core::Id reviewed, const std::string& kind);

}  // namespace otdel::agenda
