#include "agenda/review.hpp"

#include <set>

namespace otdel::agenda {
namespace {

Criterion Make(const char* code, const char* ru, const char* en, int weight, int position) {
    Criterion c;
    c.code = code;
    c.label_ru = ru;
    c.label_en = en;
    c.weight = weight;
    c.position = position;
    return c;
}

bool ValidCode(const std::string& s) {
    if (s.size() < 2 || s.size() > 50 || s[0] < 'a' || s[0] > 'z') return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    return true;
}

// Characters, not bytes: labels and comments are Russian.
std::size_t Utf8Length(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

}  // namespace

std::vector<Criterion> DefaultCriteria() {
    return {
        Make("greeting", "Поздоровался, представился и назвал компанию",
             "Greeted the client, introduced themself and the company", 10, 0),
        Make("needs", "Выявил потребность: задал открытые вопросы, уточнил задачу и сроки",
             "Found out the need: asked open questions, clarified the task and the timing", 25, 1),
        Make("presentation", "Предложил решение под задачу клиента, а не весь каталог",
             "Offered a solution to the client's task rather than the whole catalogue", 20, 2),
        Make("objections", "Отработал возражения спокойно и по существу", "Handled objections calmly and to the point",
             20, 3),
        Make("next_step", "Договорился о следующем шаге с датой (встреча, замер, счёт)",
             "Agreed on a next step with a date (meeting, measurement, invoice)", 20, 4),
        Make("tone", "Говорил вежливо, не перебивал, без лишних пауз", "Was polite, did not interrupt, no dead air", 5,
             5),
    };
}

std::vector<core::FieldError> ValidateCriteria(const std::vector<Criterion>& items) {
    std::vector<core::FieldError> errs;
    if (items.empty()) errs.push_back({"items", "required", ""});
    if (items.size() > kMaxCriteria) errs.push_back({"items", "too_many", std::to_string(kMaxCriteria)});
    std::set<std::string> codes;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const auto& c = items[i];
        const std::string at = "items/" + std::to_string(i) + "/";
        if (!ValidCode(c.code)) {
            errs.push_back({at + "code", "invalid", ""});
        } else if (!codes.insert(c.code).second) {
            errs.push_back({at + "code", "duplicate", c.code});
        }
        for (const auto& [field, label] : {std::pair{"label_ru", &c.label_ru}, std::pair{"label_en", &c.label_en}}) {
            const std::size_t n = Utf8Length(*label);
            if (n == 0) errs.push_back({at + field, "required", ""});
            if (n > kMaxLabel) errs.push_back({at + field, "too_long", std::to_string(kMaxLabel)});
        }
        if (c.weight < kMinWeight || c.weight > kMaxWeight)
            errs.push_back(
                {at + "weight", "out_of_range", std::to_string(kMinWeight) + "–" + std::to_string(kMaxWeight)});
    }
    return errs;
}

std::optional<int> ScoreBp(const std::vector<Mark>& marks) {
    long long got = 0, max = 0;
    for (const auto& m : marks) {
        if (!m.mark) continue;
        got += static_cast<long long>(m.weight) * *m.mark;
        max += static_cast<long long>(m.weight) * kMaxMark;
    }
    if (max == 0) return std::nullopt;
    return static_cast<int>((got * kFullScoreBp * 2 + max) / (2 * max));
}

std::optional<int> AverageBp(const std::vector<int>& scores) {
    long long sum = 0;
    for (int s : scores) sum += s;
    return MeanBp(sum, static_cast<long long>(scores.size()));
}

std::optional<int> MeanBp(long long sum_bp, long long count) {
    if (count <= 0) return std::nullopt;
    return static_cast<int>((sum_bp * 2 + count) / (2 * count));
}

std::vector<core::FieldError> ValidateComment(const std::optional<int>& at_second, const std::string& body,
                                              std::optional<int> duration_s, const std::string& field_prefix) {
    std::vector<core::FieldError> errs;
    if (at_second) {
        if (*at_second < 0) {
            errs.push_back({field_prefix + "at_second", "out_of_range",
                            duration_s ? "0–" + std::to_string(*duration_s) : std::string("≥ 0")});
        } else if (duration_s && *at_second > *duration_s) {
            errs.push_back({field_prefix + "at_second", "out_of_range", "0–" + std::to_string(*duration_s)});
        }
    }
    const std::size_t n = Utf8Length(body);
    if (n == 0) errs.push_back({field_prefix + "body", "required", ""});
    if (n > kMaxComment) errs.push_back({field_prefix + "body", "too_long", std::to_string(kMaxComment)});
    return errs;
}

std::vector<core::FieldError> ValidateSummary(const std::string& summary) {
    if (Utf8Length(summary) <= kMaxSummary) return {};
    return {{"summary", "too_long", std::to_string(kMaxSummary)}};
}

ReviewRefusal CheckReviewTarget(core::Id reviewer, core::Id reviewed, const std::string& kind) {
    if (kind != "call" && kind != "meeting") return ReviewRefusal::kWrongKind;
    if (reviewer == reviewed) return ReviewRefusal::kSelf;
    return ReviewRefusal::kNone;
}

}  // namespace otdel::agenda
