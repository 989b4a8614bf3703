#pragma once
/// Lead priority (LEAD-3): an explained score 0..100 from what the request says and what contact data came with
/// it. A concrete request — a product named, a quantity, a budget, a deadline, a phone — scores above a vague one
/// ("сколько стоит?"). Pure: no SQL, JSON or HTTP; the inbox sorts by the score and shows the reasons.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/lang.hpp"

namespace otdel::leads {

/// One product or service the workspace sells, as people write it. `stem` is matched, case-folded, against the
/// beginning of every word of the request ("кухн" finds "кухню", "кухня"); `label` is what a reason shows.
struct VocabularyEntry {
    std::string stem;
    std::string label;
};

/// What the workspace sells. Longer stems win over shorter ones that also match ("столешниц" over "стол").
struct Vocabulary {
    std::vector<VocabularyEntry> entries;
};

/// Kitchen and cabinet furniture in Russian and English: the demo studio's trade and a sensible default.
const Vocabulary& DefaultVocabulary();

/// What the score is computed from: the lead's text and the data that came with it.
struct PriorityInput {
    std::string title;
    std::string request_text;
    /// The product field of a form or an import, if the channel had one.
    std::string product;
    std::string company_name;
    /// A valid INN (the caller checked it); empty when none was given.
    std::string inn;
    bool has_phone = false;
    bool has_email = false;
};

/// One part of the score: a stable code ("product", "quantity", "budget", "deadline", "phone", "email",
/// "company", "inn", "detailed", "vague"), its points (negative for "vague") and the values a text shows.
struct PriorityReason {
    std::string code;
    int points = 0;
    std::map<std::string, std::string> params;

    bool operator==(const PriorityReason&) const = default;
};

struct Priority {
    /// 0..100.
    int score = 0;
    std::vector<PriorityReason> reasons;
};

/// Points of each reason; the positive ones add up to 100.
inline constexpr int kPointsProduct = 25;
inline constexpr int kPointsBudget = 20;
inline constexpr int kPointsDeadline = 15;
inline constexpr int kPointsQuantity = 10;
inline constexpr int kPointsPhone = 10;
inline constexpr int kPointsEmail = 5;
inline constexpr int kPointsInn = 10;
inline constexpr int kPointsCompany = 5;
inline constexpr int kPointsDetailed = 5;
inline constexpr int kPointsVague = -15;

/// Scores a lead. Deterministic; every point is explained by exactly one reason.
Priority ScorePriority(const PriorityInput& in, const Vocabulary& vocabulary = DefaultVocabulary());

/// The reason as a person reads it: "+20 указан бюджет: 300 000 ₽" / "+20 budget given: 300 000 ₽".
std::string RenderReason(const PriorityReason& reason, core::Lang lang);

/// Case-folds `text` with ICU (Cyrillic included) and writes "ё" as "е", so matching ignores both.
std::string FoldText(std::string_view text);

}  // namespace otdel::leads
