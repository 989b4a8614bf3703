#include "deals/deal.hpp"

#include <algorithm>

namespace otdel::deals {
namespace {

using core::kDay;

struct FieldLabel {
    const char* code;
    const char* ru;
    const char* en;
};

constexpr FieldLabel kGateFields[] = {
    {"amount", "Сумма сделки", "Deal amount"},
    {"expected_close_date", "Ожидаемая дата закрытия", "Expected close date"},
    {"company", "Компания", "Company"},
    {"contact", "Контактное лицо", "Contact person"},
    {"company.inn", "ИНН компании", "Company INN"},
    {"company.kpp", "КПП компании", "Company KPP"},
    {"company.ogrn", "ОГРН компании", "Company OGRN"},
    {"company.legal_address", "Юридический адрес", "Legal address"},
    {"company.actual_address", "Фактический адрес", "Actual address"},
    {"company.bank_details", "Банковские реквизиты", "Bank details"},
    {"company.phone", "Телефон компании", "Company phone"},
    {"company.email", "E-mail компании", "Company e-mail"},
    {"contact.phone", "Телефон контакта", "Contact phone"},
    {"contact.email", "E-mail контакта", "Contact e-mail"},
};

bool IsCustomCode(std::string_view s) {
    if (s.empty() || s.size() > 64 || s[0] < 'a' || s[0] > 'z') return false;
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

Stage Make(std::string name, int probability, std::string kind, bool decision = false, std::optional<int> idle = {}) {
    Stage s;
    s.name = std::move(name);
    s.probability = probability;
    s.kind = std::move(kind);
    s.is_decision = decision;
    s.idle_days = idle;
    return s;
}

}  // namespace

const std::vector<std::string>& StageKinds() {
    static const std::vector<std::string> k = {"open", "won", "lost"};
    return k;
}

const std::vector<std::string>& ForecastCategories() {
    static const std::vector<std::string> k = {"pipeline", "best_case", "commit"};
    return k;
}

const std::vector<std::string>& BuiltinGateFields() {
    static const std::vector<std::string> k = [] {
        std::vector<std::string> v;
        for (const auto& f : kGateFields) v.emplace_back(f.code);
        return v;
    }();
    return k;
}

bool IsGateField(std::string_view code) {
    for (const auto& f : kGateFields)
        if (code == f.code) return true;
    for (std::string_view prefix : {"company.custom.", "contact.custom."})
        if (code.substr(0, prefix.size()) == prefix) return IsCustomCode(code.substr(prefix.size()));
    return false;
}

std::string GateFieldLabel(std::string_view code, core::Lang lang) {
    for (const auto& f : kGateFields)
        if (code == f.code) return lang == core::Lang::kEn ? f.en : f.ru;
    return {};
}

std::vector<GateGap> CheckGate(const Stage& target, const GateFacts& facts,
                               const std::vector<std::string>& required_from) {
    std::vector<GateGap> gaps;
    if (target.kind == "lost") return gaps;
    std::set<std::string> named;
    auto need = [&](const std::string& field) {
        if (!named.insert(field).second) return;
        if (!facts.filled.count(field)) gaps.push_back({field, "gate_required", ""});
    };
    for (const auto& f : target.required_fields) need(f);
    for (const auto& f : required_from) need(f);
    for (const auto& item : target.checklist)
        if (!facts.ticked.count(item.code)) gaps.push_back({"checklist/" + item.code, "gate_unchecked", item.label});
    return gaps;
}

bool IsIdle(const Stage& stage, const std::string& status, core::Millis last_activity_at, core::Millis now) {
    if (status != "open" || !stage.idle_days || *stage.idle_days <= 0) return false;
    return now - last_activity_at >= static_cast<core::Millis>(*stage.idle_days) * kDay;
}

WindowChange PaymentWindowOnEntry(const Stage& target, bool window_running, std::optional<int> decision_position,
                                  bool awaiting_payment) {
    if (target.kind == "won" && awaiting_payment) return WindowChange::kKeep;
    if (target.kind != "open") return window_running ? WindowChange::kClear : WindowChange::kKeep;
    if (target.is_decision) return window_running ? WindowChange::kKeep : WindowChange::kStart;
    if (window_running && decision_position && target.position < *decision_position) return WindowChange::kClear;
    return WindowChange::kKeep;
}

core::Result<void> ValidateStage(const Stage& s) {
    std::vector<core::FieldError> errs;
    if (s.name.empty()) errs.push_back({"name", "required", ""});
    if (s.name.size() > kMaxStageName) errs.push_back({"name", "too_long", std::to_string(kMaxStageName)});
    if (s.probability < 0 || s.probability > 100) errs.push_back({"probability", "out_of_range", "0–100"});
    if (std::find(StageKinds().begin(), StageKinds().end(), s.kind) == StageKinds().end())
        errs.push_back({"kind", "not_one_of", "open, won, lost"});
    if (s.idle_days && (*s.idle_days < 1 || *s.idle_days > kMaxIdleDays))
        errs.push_back({"idle_days", "out_of_range", "1–" + std::to_string(kMaxIdleDays)});
    if (s.required_fields.size() > kMaxGateFields)
        errs.push_back({"required_fields", "too_many", std::to_string(kMaxGateFields)});
    std::set<std::string> seen;
    for (std::size_t i = 0; i < s.required_fields.size(); ++i) {
        if (!IsGateField(s.required_fields[i]))
            errs.push_back({"required_fields/" + std::to_string(i), "invalid", ""});
        else if (!seen.insert(s.required_fields[i]).second)
            errs.push_back({"required_fields/" + std::to_string(i), "not_unique", ""});
    }
    if (s.checklist.size() > kMaxChecklist) errs.push_back({"checklist", "too_many", std::to_string(kMaxChecklist)});
    std::set<std::string> codes;
    for (std::size_t i = 0; i < s.checklist.size(); ++i) {
        const auto& item = s.checklist[i];
        const std::string at = "checklist/" + std::to_string(i);
        if (item.label.empty()) errs.push_back({at + "/label", "required", ""});
        if (item.label.size() > 200) errs.push_back({at + "/label", "too_long", "200"});
        if (!IsCustomCode(item.code))
            errs.push_back({at + "/code", "invalid", ""});
        else if (!codes.insert(item.code).second)
            errs.push_back({at + "/code", "not_unique", ""});
    }
    if (s.kind != "open" && s.is_decision) errs.push_back({"is_decision", "invalid", ""});
    if (s.kind == "won" && s.probability != 100) errs.push_back({"probability", "out_of_range", "100"});
    if (s.kind == "lost" && s.probability != 0) errs.push_back({"probability", "out_of_range", "0"});
    if (!errs.empty()) return core::Error{core::ErrorCode::kValidation, {}, std::move(errs), 0};
    return core::Ok();
}

void AssignChecklistCodes(std::vector<ChecklistItem>& items) {
    std::set<std::string> used;
    for (const auto& i : items)
        if (!i.code.empty()) used.insert(i.code);
    int n = 1;
    for (auto& i : items) {
        if (!i.code.empty()) continue;
        while (used.count("c" + std::to_string(n))) ++n;
        i.code = "c" + std::to_string(n);
        used.insert(i.code);
    }
}

std::vector<Stage> StandardStages(core::Lang lang) {
    const bool en = lang == core::Lang::kEn;
    std::vector<Stage> v = {
        Make(en ? "New request" : "Новая заявка", 10, "open", false, 3),
        Make(en ? "Measurement" : "Замер", 25, "open", false, 7),
        Make(en ? "Proposal sent" : "КП отправлено", 40, "open", false, 7),
        Make(en ? "Decision made" : "Решение принято", 70, "open", true, 3),
        Make(en ? "Contract signed" : "Договор подписан", 90, "open", false, 14),
        Make(en ? "Won" : "Успешно", 100, "won"),
        Make(en ? "Lost" : "Проиграна", 0, "lost"),
    };
    for (std::size_t i = 0; i < v.size(); ++i) v[i].position = static_cast<int>(i);
    return v;
}

std::vector<LossReason> StandardLossReasons() {
    const std::pair<const char*, const char*> k[] = {
        {"Дорого", "Too expensive"},
        {"Выбрали конкурента", "Chose a competitor"},
        {"Не устроили сроки", "Lead time did not suit"},
        {"Передумал / отложил покупку", "Changed mind or postponed"},
        {"Не удалось связаться", "Could not reach the client"},
        {"Не наш продукт", "Not our product"},
    };
    std::vector<LossReason> v;
    int pos = 0;
    for (const auto& [ru, en] : k) {
        LossReason r;
        r.name_ru = ru;
        r.name_en = en;
        r.position = pos++;
        v.push_back(r);
    }
    return v;
}

bool IsCurrency(std::string_view s) {
    return s.size() == 3 && std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

}  // namespace otdel::deals
