#include "activities/activities_demo.hpp"

#include <date/tz.h>

#include <chrono>

#include "activities/activities_store.hpp"
#include "org/employee_store.hpp"

namespace otdel::activities {
namespace {

constexpr const char* kCountDemo =
    "SELECT COUNT(*) FROM activities WHERE workspace_id = :ws AND source = 'system' AND external_ref LIKE 'demo:%'";
// The people who sell, with their manager (the head sets some of their tasks).
constexpr const char* kSellers =
    "SELECT e.user_id, r.code FROM employees e JOIN roles r ON r.workspace_id = e.workspace_id AND r.id = e.role_id "
    "WHERE e.workspace_id = :ws AND e.status = 'active' AND r.code IN ('designer_manager', 'key_account_manager', "
    "'lead_manager') ORDER BY e.user_id";
constexpr const char* kHead =
    "SELECT e.user_id FROM employees e JOIN roles r ON r.workspace_id = e.workspace_id AND r.id = e.role_id "
    "WHERE e.workspace_id = :ws AND r.code = 'head_of_sales' AND e.status = 'active' ORDER BY e.user_id LIMIT 1";
constexpr const char* kDealsOf =
    "SELECT id FROM deals WHERE workspace_id = :ws AND owner_user_id = :u AND deleted_at IS NULL AND status = 'open' "
    "ORDER BY id LIMIT 4";
constexpr const char* kLeadsOf =
    "SELECT id FROM leads WHERE workspace_id = :ws AND owner_user_id = :u AND deleted_at IS NULL AND status IN "
    "('new', 'in_work', 'qualified') ORDER BY id LIMIT 3";
constexpr const char* kCompaniesOf =
    "SELECT id FROM companies WHERE workspace_id = :ws AND owner_user_id = :u AND deleted_at IS NULL ORDER BY id "
    "LIMIT 3";

std::vector<core::Id> Ids(soci::session& sql, const char* text, core::Id ws_id, core::Id user) {
    long long ws = ws_id, u = user, id = 0;
    soci::statement st = (sql.prepare << text, soci::into(id), soci::use(ws, "ws"), soci::use(u, "u"));
    st.execute(false);
    std::vector<core::Id> out;
    while (st.fetch()) out.push_back(id);
    return out;
}

struct Record {
    std::string type;
    core::Id id = 0;
};

}  // namespace

int SeedDemoActivities(db::Database& db, const core::Clock& clock, core::Id ws) {
    return db
        .InTx([&](soci::session& sql) -> core::Result<int> {
            long long wsv = ws, n = 0;
            sql << kCountDemo, soci::into(n), soci::use(wsv, "ws");
            if (n > 0) return 0;
            const core::Millis now = clock.NowMs();
            // Times of the seller's day in the workspace's time zone.
            const auto* zone = date::locate_zone(org::store::WorkspaceTimeZone(sql, ws));
            const auto local =
                zone->to_local(date::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(now)));
            const auto today = date::floor<date::days>(local);
            auto at = [&](int day, int hour, int minute) -> core::Millis {
                const auto t = today + date::days(day) + std::chrono::hours(hour) + std::chrono::minutes(minute);
                return std::chrono::duration_cast<std::chrono::milliseconds>(
                           zone->to_sys(t, date::choose::earliest).time_since_epoch())
                    .count();
            };
            std::optional<core::Id> head;
            {
                long long h = 0;
                sql << kHead, soci::into(h), soci::use(wsv, "ws");
                if (sql.got_data()) head = h;
            }
            std::vector<std::pair<core::Id, std::string>> sellers;
            {
                long long uid = 0;
                std::string code;
                soci::statement st = (sql.prepare << kSellers, soci::into(uid), soci::into(code), soci::use(wsv, "ws"));
                st.execute(false);
                while (st.fetch()) sellers.emplace_back(uid, code);
            }
            int created = 0, seq = 0;
            auto add = [&](Activity a, const Record& r) {
                a.workspace_id = ws;
                a.source = "system";
                a.external_ref = "demo:" + std::to_string(++seq);
                if (r.type == "deal" || r.type == "lead") {
                    if (auto f = store::FactsOf(sql, ws, r.type, r.id)) {
                        a.company_id = f->company_id;
                        a.contact_id = f->contact_id;
                    }
                    (r.type == "deal" ? a.deal_id : a.lead_id) = r.id;
                } else {
                    a.company_id = r.id;
                }
                if (!a.created_by) a.created_by = a.owner_user_id;
                if (a.at == 0) a.at = a.starts_at.value_or(a.due_at.value_or(now));
                a.created_at = std::min(a.at, now);
                a.updated_at = a.created_at;
                a.id = store::InsertActivity(sql, a);
                if (!a.participants.empty()) store::ReplaceParticipants(sql, a);
                if (!a.checklist.empty()) store::ReplaceChecklist(sql, a);
                if (!a.mentions.empty()) store::InsertMentions(sql, ws, a.id, a.mentions, a.created_at);
                ++created;
            };
            for (const auto& [uid, role] : sellers) {
                std::vector<Record> records;
                for (core::Id d : Ids(sql, kDealsOf, ws, uid)) records.push_back({"deal", d});
                for (core::Id l : Ids(sql, kLeadsOf, ws, uid)) records.push_back({"lead", l});
                for (core::Id c : Ids(sql, kCompaniesOf, ws, uid)) records.push_back({"company", c});
                if (records.empty()) continue;
                auto rec = [&](std::size_t i) { return records[i % records.size()]; };
                const std::string phone = "+7916" + std::to_string(5550000 + uid * 17 % 9999);

                // Calls: this morning's and yesterday's, with what came of them.
                struct CallSpec {
                    int day, hour, minute;
                    const char* dir;
                    const char* outcome;
                    int seconds;
                    const char* note;
                };
                // Today's calls are minutes before "now" (the demo is believable at any hour); day -1 is
                // yesterday at the given time.
                const CallSpec calls[] = {
                    {0, 0, 150, "out", "answered", 412,
                     "Уточнили размеры кухни и бюджет, клиент ждёт эскиз к пятнице."},
                    {0, 0, 95, "out", "no_answer", 0, "Не взяли трубку, перезвонить после обеда."},
                    {0, 0, 25, "in", "answered", 186, "Клиент спрашивал о сроках доставки фасадов."},
                    {-1, 16, 30, "out", "busy", 0, "Занято."},
                    {-1, 11, 0, "out", "voicemail", 35, "Оставил сообщение на автоответчике."},
                };
                for (std::size_t i = 0; i < std::size(calls); ++i) {
                    const auto& c = calls[i];
                    const core::Millis start = c.day == 0 ? now - c.minute * 60'000LL : at(c.day, c.hour, c.minute);
                    Activity a;
                    a.kind = "call";
                    a.owner_user_id = uid;
                    a.subject = std::string(c.dir) == "out" ? "Исходящий звонок" : "Входящий звонок";
                    a.body = c.note;
                    a.call_direction = c.dir;
                    a.call_outcome = c.outcome;
                    a.call_duration_s = c.seconds;
                    a.call_phone = phone;
                    a.starts_at = start;
                    a.ends_at = start + c.seconds * 1000LL;
                    a.done = true;
                    add(a, rec(i));
                }
                // Meetings: one in the office, one by video today; yesterday's with its result.
                {
                    Activity a;
                    a.kind = "meeting";
                    a.owner_user_id = uid;
                    a.subject = "Встреча в шоуруме: выбор фасадов";
                    a.body = "Показать образцы эмали и шпона, обсудить фурнитуру.";
                    a.meeting_place = "Шоурум на Ленинском, 12";
                    a.starts_at = now + 90 * 60'000LL;
                    a.ends_at = *a.starts_at + 60 * 60'000LL;
                    a.participants.push_back(Participant{0, std::nullopt, std::nullopt, "Клиент с супругой", ""});
                    add(a, rec(0));
                }
                {
                    Activity a;
                    a.kind = "meeting";
                    a.owner_user_id = uid;
                    a.subject = "Видеозвонок: согласование эскиза";
                    a.meeting_video_url = "https://telemost.yandex.ru/j/0000000000";
                    a.starts_at = now + 4 * 60 * 60'000LL;
                    a.ends_at = *a.starts_at + 30 * 60'000LL;
                    if (head) a.participants.push_back(Participant{0, head, std::nullopt, "", ""});
                    add(a, rec(1));
                }
                {
                    Activity a;
                    a.kind = "meeting";
                    a.owner_user_id = uid;
                    a.subject = "Замер на объекте";
                    a.meeting_place = "Клиент, ул. Садовая, 8, кв. 41";
                    a.meeting_result = "Замер сделан: стена 3 420 мм, вывод воды слева. Эскиз — до четверга.";
                    a.starts_at = at(-1, 14, 0);
                    a.ends_at = at(-1, 15, 0);
                    a.done = true;
                    a.done_at = a.ends_at;
                    a.done_by = uid;
                    add(a, rec(2));
                }
                // Tasks: due today, overdue, one with a checklist, one the head set.
                {
                    Activity a;
                    a.kind = "task";
                    a.owner_user_id = uid;
                    a.subject = "Отправить коммерческое предложение";
                    a.task_priority = "high";
                    a.due_at = now + 3 * 60 * 60'000LL;
                    add(a, rec(0));
                }
                {
                    Activity a;
                    a.kind = "task";
                    a.owner_user_id = uid;
                    a.subject = "Подготовить эскиз и спецификацию";
                    a.task_priority = "normal";
                    a.due_at = now + 60 * 60'000LL;
                    for (const char* t : {"Снять размеры с замерного листа", "Подобрать фурнитуру Blum",
                                          "Посчитать столешницу", "Согласовать цвет с клиентом"})
                        a.checklist.push_back(ChecklistItem{0, 0, t, false, std::nullopt, std::nullopt});
                    a.checklist[0].done = true;
                    a.checklist[0].done_at = now - 60 * 60'000LL;
                    a.checklist[0].done_by = uid;
                    add(a, rec(1));
                }
                {
                    Activity a;
                    a.kind = "task";
                    a.owner_user_id = uid;
                    a.subject = "Перезвонить по поводу предоплаты";
                    a.task_priority = "urgent";
                    a.due_at = at(-2, 12, 0);
                    add(a, rec(2));
                }
                if (head) {
                    Activity a;
                    a.kind = "task";
                    a.owner_user_id = uid;
                    a.created_by = head;
                    a.subject = "Разобрать отказ клиента и внести причину";
                    a.body = "Посмотри, почему ушли к конкурентам, и поставь причину в сделке.";
                    a.task_priority = "normal";
                    a.due_at = at(1, 18, 0);
                    add(a, rec(3));
                }
                {
                    Activity a;
                    a.kind = "task";
                    a.owner_user_id = uid;
                    a.subject = "Заказать образцы фасадов";
                    a.task_priority = "low";
                    a.due_at = at(-1, 18, 0);
                    a.done = true;
                    a.done_at = at(-1, 17, 20);
                    a.done_by = uid;
                    add(a, rec(0));
                }
                // E-mails: one sent yesterday, one received today.
                {
                    Activity a;
                    a.kind = "email";
                    a.owner_user_id = uid;
                    a.email_direction = "out";
                    a.email_status = "sent";
                    a.email_from = "Отдел продаж <sales@otdel.demo>";
                    a.email_to = {"client" + std::to_string(uid) + "@example.ru"};
                    a.subject = "Коммерческое предложение по кухне";
                    a.body = "Добрый день! Направляем расчёт и эскиз. Готовы обсудить детали в удобное время.";
                    a.at = at(-1, 17, 45);
                    a.done = true;
                    add(a, rec(0));
                }
                {
                    Activity a;
                    a.kind = "email";
                    a.owner_user_id = uid;
                    a.email_direction = "in";
                    a.email_status = "received";
                    a.email_from = "client" + std::to_string(uid) + "@example.ru";
                    a.subject = "Re: Коммерческое предложение по кухне";
                    a.body = "Спасибо! Можно ли заменить столешницу на кварцевую и сколько это добавит к сумме?";
                    a.at = now - 40 * 60'000LL;
                    a.done = true;
                    add(a, rec(0));
                }
                {
                    Activity a;
                    a.kind = "sms";
                    a.owner_user_id = uid;
                    a.sms_phone = phone;
                    a.sms_status = "sent";
                    a.body = "Напоминаем о встрече сегодня в шоуруме на Ленинском, 12.";
                    a.at = now - 30 * 60'000LL;
                    a.done = true;
                    add(a, rec(0));
                }
                {
                    Activity a;
                    a.kind = "note";
                    a.owner_user_id = uid;
                    a.body =
                        "Клиент сравнивает с двумя салонами, решающий фактор — срок изготовления. "
                        "Нужна скидка 5% — согласовать с руководителем.";
                    if (head) a.mentions = {*head};
                    a.at = at(-1, 18, 10);
                    a.done = true;
                    add(a, rec(1));
                }
            }
            // Templates every seller can use.
            if (store::SelectTemplates(sql, ws, true).empty()) {
                store::Template t;
                t.name = "Коммерческое предложение";
                t.subject = "Предложение для {{client.name}}";
                t.body =
                    "Здравствуйте, {{contact.first_name}}!\n\nНаправляю расчёт по проекту «{{deal.title}}». "
                    "Если удобно, обсудим детали по телефону.\n\nС уважением,\n{{user.name}}\n{{user.email}}";
                store::InsertTemplate(sql, ws, t, std::nullopt, now);
                t.name = "После замера";
                t.subject = "Итоги замера";
                t.body =
                    "Здравствуйте, {{contact.first_name}}!\n\nСпасибо за встречу. Эскиз и смету пришлём в "
                    "течение двух рабочих дней.\n\n{{user.name}}";
                store::InsertTemplate(sql, ws, t, std::nullopt, now);
                t.channel = "sms";
                t.name = "Напоминание о встрече";
                t.subject = "";
                t.body = "{{contact.first_name}}, напоминаем о встрече сегодня. {{user.name}}, салон кухонь.";
                store::InsertTemplate(sql, ws, t, std::nullopt, now);
            }
            return created;
        })
        .value();
}

}  // namespace otdel::activities
