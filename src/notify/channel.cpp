#include "notify/channel.hpp"

#include <algorithm>

#include "clients/normalize.hpp"

namespace otdel::notify {

std::string_view ChannelName(ChannelKind k) {
    return k == ChannelKind::kEmail ? "email" : "telegram";
}

std::optional<ChannelKind> ParseChannel(std::string_view name) {
    if (name == "email") return ChannelKind::kEmail;
    if (name == "telegram") return ChannelKind::kTelegram;
    return std::nullopt;
}

namespace {

std::string Trim(std::string s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return "";
    const auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

bool IsChatId(const std::string& s) {
    if (s.empty() || s.size() > 20) return false;
    const std::size_t from = s[0] == '-' ? 1 : 0;
    if (from == s.size()) return false;
    return std::all_of(s.begin() + static_cast<long>(from), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsKindPrefix(const std::string& k) {
    if (k.empty() || k.size() > 100) return false;
    return std::all_of(k.begin(), k.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_' || c == '.'; });
}

}  // namespace

core::Result<Channel> ValidateChannel(Channel c) {
    std::vector<core::FieldError> errs;
    c.target = Trim(c.target);
    if (c.target.empty()) {
        errs.push_back({"target", "required", ""});
    } else if (c.kind == ChannelKind::kEmail) {
        if (auto e = clients::NormalizeEmail(c.target)) {
            c.target = *e;
        } else {
            errs.push_back({"target", "invalid_email", ""});
        }
    } else if (!IsChatId(c.target)) {
        errs.push_back({"target", "invalid_chat_id", ""});
    }
    if (c.kinds.size() > kMaxKinds) errs.push_back({"kinds", "too_many", std::to_string(kMaxKinds)});
    for (std::size_t i = 0; i < c.kinds.size(); ++i)
        if (!IsKindPrefix(c.kinds[i])) errs.push_back({"kinds/" + std::to_string(i), "invalid_code", ""});
    if (!errs.empty()) return core::Error{core::ErrorCode::kValidation, {}, errs, 0};
    return c;
}

bool Wants(const Channel& c, std::string_view kind) {
    if (!c.enabled) return false;
    if (c.kinds.empty()) return true;
    return std::any_of(c.kinds.begin(), c.kinds.end(), [&](const std::string& p) { return kind.rfind(p, 0) == 0; });
}

namespace {

struct Text {
    const char* subject_ru;
    const char* body_ru;
    const char* subject_en;
    const char* body_en;
};

// {name} is replaced by the parameter of that name (missing ones by nothing).
const std::map<std::string_view, Text>& Texts() {
    static const std::map<std::string_view, Text> k = {
        {"routing.assigned",
         {"Новая заявка: {title}",
          "Вам назначена заявка «{title}». Ответьте клиенту за {sla_minutes} мин рабочего времени.",
          "New lead: {title}", "You have a new lead, “{title}”. Answer within {sla_minutes} working minutes."}},
        {"routing.reassigned_to_you",
         {"Заявка передана вам: {title}",
          "Заявка «{title}» передана вам: прежний ответственный не ответил вовремя. Ответьте за {sla_minutes} мин.",
          "Lead passed to you: {title}",
          "The lead “{title}” is now yours: the previous owner did not answer in time. Answer within {sla_minutes} "
          "minutes."}},
        {"routing.taken_away",
         {"Заявка передана другому: {title}", "Время ответа по заявке «{title}» вышло, и она передана {to_name}.",
          "Lead passed on: {title}", "The answer time for “{title}” ran out and the lead went to {to_name}."}},
        {"routing.breach",
         {"Нарушен срок ответа: {title}",
          "По заявке «{title}» не ответили вовремя; она передана {to_name}. Нарушений: {breaches}.",
          "Response time missed: {title}",
          "Nobody answered “{title}” in time; it went to {to_name}. Breaches so far: {breaches}."}},
        {"routing.escalated",
         {"Заявка эскалирована вам: {title}",
          "Заявку «{title}» несколько раз не взяли в работу вовремя (нарушений: {breaches}); теперь она у вас.",
          "Lead escalated to you: {title}",
          "The lead “{title}” missed its answer time repeatedly ({breaches} breaches); it is yours now."}},
        {"routing.queued",
         {"Заявку некому назначить: {title}",
          "По правилу «{rule}» сейчас нет свободных сотрудников; заявка «{title}» ждёт в очереди.",
          "Nobody to take a lead: {title}",
          "Nobody in the pool of “{rule}” can take a lead right now; “{title}” waits in the queue."}},
        {"routing.meeting_booked",
         {"Назначена встреча: {title}", "Вам назначена встреча с клиентом по заявке «{title}». Место: {place}.",
          "Meeting booked: {title}", "A client meeting has been booked with you for “{title}”. Place: {place}."}},
        {"routing.coverage_low",
         {"Мало менеджеров по заявкам: {rule}",
          "В пуле «{rule}» на ближайшей неделе есть дни (первый — {first_day}), когда на смене меньше двух "
          "менеджеров по заявкам.",
          "Too few lead managers: {rule}",
          "The pool of “{rule}” has days in the coming week (the first is {first_day}) with fewer than two lead "
          "managers on duty."}},
        {"deals.payment_reminder",
         {"Завтра истекают 72 часа на оплату: {title}",
          "Клиент принял решение по сделке «{title}», но оплаты пока нет: до конца 72-часового окна меньше суток. "
          "Свяжитесь с клиентом и помогите оплатить.",
          "72-hour payment window ends tomorrow: {title}",
          "The client decided on “{title}” but has not paid yet: less than a day of the 72-hour window is left. "
          "Get in touch and help them pay."}},
        {"deals.payment_overdue",
         {"72 часа на оплату истекли: {title}",
          "По сделке «{title}» оплата не поступила за 72 часа после решения клиента; сделка отмечена как просроченная.",
          "72-hour payment window missed: {title}",
          "No payment arrived for “{title}” within 72 hours of the client's decision; the deal is flagged overdue."}},
        {"billing.instalment_missed",
         {"Пропущен платёж по графику: счёт № {number}",
          "Клиент {payer} не внёс платёж по графику до {due_date} (счёт № {number}, сделка «{title}»). Свяжитесь с "
          "клиентом.",
          "Instalment missed: invoice {number}",
          "{payer} did not pay the instalment due {due_date} (invoice {number}, deal “{title}”). Get in touch with "
          "the client."}},
        {"billing.invoice_overdue",
         {"Счёт просрочен: № {number}",
          "Срок оплаты счёта № {number} ({payer}, сделка «{title}») истёк {due_date}, оплата не поступила.",
          "Invoice overdue: {number}",
          "Invoice {number} ({payer}, deal “{title}”) was due {due_date} and has not been paid."}},
        {"catalog.discount_approved",
         {"Скидка согласована: {title}", "Руководитель согласовал скидку до {discount} по сделке «{title}». {comment}",
          "Discount approved: {title}", "Your head approved a discount of up to {discount} on “{title}”. {comment}"}},
        {"catalog.discount_rejected",
         {"Скидка не согласована: {title}", "Руководитель отклонил скидку {discount} по сделке «{title}»: {comment}",
          "Discount rejected: {title}", "Your head rejected the {discount} discount on “{title}”: {comment}"}},
    };
    return k;
}

std::string Fill(std::string_view tpl, const std::map<std::string, std::string>& params) {
    std::string out;
    for (std::size_t i = 0; i < tpl.size(); ++i) {
        if (tpl[i] == '{') {
            const auto end = tpl.find('}', i);
            if (end != std::string_view::npos) {
                const std::string name(tpl.substr(i + 1, end - i - 1));
                if (auto it = params.find(name); it != params.end()) out += it->second;
                i = end;
                continue;
            }
        }
        out += tpl[i];
    }
    return out;
}

}  // namespace

Message Render(std::string_view kind, const std::map<std::string, std::string>& params, core::Lang lang,
               const std::string& link, const std::string& base_url) {
    const bool en = lang == core::Lang::kEn;
    Message m;
    if (auto it = Texts().find(kind); it != Texts().end()) {
        m.subject = Fill(en ? it->second.subject_en : it->second.subject_ru, params);
        m.body = Fill(en ? it->second.body_en : it->second.body_ru, params);
    } else {
        m.subject = en ? "Otdel: a new notification" : "Отдел: новое уведомление";
        m.body = en ? "You have a new notification in Otdel." : "В Отделе для вас новое уведомление.";
    }
    if (!base_url.empty() && !link.empty()) m.body += "\n\n" + base_url + link;
    return m;
}

}  // namespace otdel::notify
