#include "leads/leads_demo.hpp"

#include <stdexcept>

#include "core/messages.hpp"
#include "leads/lead_intake.hpp"
#include "leads/lead_service.hpp"

namespace otdel::leads {
namespace {

struct DemoLead {
    const char* channel;
    const char* event_kind;
    const char* contact;
    const char* phone;
    const char* email;
    const char* text;
    const char* utm_source;
    // What happens next: "" stays new, "in_work", "qualified", "junk:<reason>", "convert".
    const char* then;
};

// Requests in the studio's own words, concrete and vague, over every channel.
constexpr DemoLead kLeads[] = {
    {"form", "request", "Анастасия Григорьева", "+7 916 204-11-37", "a.grigorieva@yandex.ru",
     "Хочу угловую кухню 3,4 м с островом, фасады эмаль, бюджет около 400 тыс. руб., нужно до конца месяца", "yandex",
     ""},
    {"form", "request", "Сергей Миронов", "8 (903) 771-20-45", "",
     "Шкаф-купе в прихожую 2,4 м, зеркальные двери, до 90 000 ₽", "yandex",
     "in_work"},
    {"form", "request", "Мария", "", "maria.k@mail.ru", "Сколько стоит кухня?", "vk", ""},
    {"telegram", "message_in", "Дмитрий Котов", "+7 925 118-64-09", "",
     "Здравствуйте! Нужна столешница из кварцевого агломерата, 3 метра, срочно — старая треснула", "", "qualified"},
    {"email", "email_in", "Ольга Левина", "", "olga.levina@gmail.com",
     "Добрый день. Переезжаем в новую квартиру, нужна кухня и гардеробная. Можно ли сделать замер на следующей "
     "неделе? Бюджет на всё 650 тыс.",
     "", "in_work"},
    {"phone", "call_missed", "", "+7 495 640-72-18", "", "", "", ""},
    {"form", "request", "Игорь", "+7 912 300-45-67", "", "просто интересуюсь ценами", "google", "junk:no_contact"},
    {"webhook", "request", "Екатерина Белова", "+7 921 455-80-12", "", "Заказ с маркетплейса: комод белый, 2 шт",
     "avito", ""},
    {"form", "request", "Павел Андреев", "+7 967 123-98-76", "p.andreev@list.ru",
     "Кухня для дачи, простая, 2,2 м, к 1 июня", "yandex", ""},
    {"manual", "request", "Наталья Сорокина", "+7 905 777-31-20", "",
     "Пришла в салон, выбрала фасады, просит дизайн-проект кухни", "", "qualified"},
    {"form", "request", "SEO Pro", "", "sales@seo-pro.example", "Продвинем ваш сайт в ТОП-10 за месяц!", "",
     "junk:spam"},
    {"telegram", "message_in", "Алексей", "+7 999 210-43-55", "", "А у вас есть кухни в стиле лофт?", "", ""},
    {"form", "request", "Юлия Ефимова", "+7 926 840-17-63", "yulia.efimova@yandex.ru",
     "Нужны встроенные шкафы в детскую — два шкафа по 1,8 м, бюджет 150 тыс", "vk", "convert"},
    {"email", "email_in", "Roman Keller", "", "r.keller@kellerbau.de",
     "Hello, we need kitchen cabinets for 12 apartments, budget about 60 000 EUR, delivery by September 1", "",
     "in_work"},
    {"phone", "call_finished", "Виктор Пахомов", "+7 916 555-02-19", "",
     "Звонил узнать про сроки изготовления кухни, просил перезвонить вечером", "", ""},
    {"form", "request", "Тест", "+7 900 000-00-00", "", "тест тест", "", "junk:test"},
    {"form", "request", "Лариса Зуева", "+7 915 602-33-81", "",
     "Кухня 4 метра под потолок, встроенная техника, бюджет 700 000 руб, хотим к новому году", "google", ""},
    {"webhook", "request", "Михаил Ершов", "+7 903 145-66-20", "", "Заказ: стол обеденный раздвижной, 1 шт", "ozon",
     "convert"},
    {"form", "request", "Светлана", "+7 977 410-29-08", "", "Перезвоните", "yandex", ""},
    {"telegram", "message_in", "Кирилл Жуков", "+7 985 230-74-16", "",
     "Нужна гардеробная в нишу 2х1,5 м, можно посмотреть образцы?", "", ""},
    {"form", "request", "Ирина Щербакова", "+7 916 204-11-38", "irina.sh@bk.ru",
     "Хотим поменять фасады и столешницу на кухне, кухне 10 лет", "vk", ""},
    {"email", "email_in", "Отдел снабжения ГК «Строй-Инвест»", "", "snab@stroy-invest.example",
     "Запрос КП: кухонные гарнитуры для жилого комплекса, 48 квартир, срок поставки — до 15 октября", "", "qualified"},
    {"phone", "call_missed", "", "+7 926 111-20-30", "", "", "", ""},
    {"form", "request", "Геннадий", "+7 903 880-14-52", "", "Сколько стоит?", "google", "junk:not_our_product"},
    {"manual", "request", "Вера Николаевна", "+7 916 730-25-11", "",
     "Пенсионерка, хочет небольшую кухню 1,8 м, бюджет до 120 тыс, не торопится", "", "in_work"},
    {"form", "request", "Тимур Садыков", "+7 917 342-61-09", "t.sadykov@yandex.ru",
     "Кухня + прихожая + шкаф в спальню, квартира в новостройке, ключи через 2 недели", "yandex", ""},
    {"telegram", "message_in", "Анастасия Григорьева", "8 916 204 11 37", "",
     "И ещё вопрос: можно ли добавить барную стойку?", "", ""},
};

}  // namespace

int SeedDemoLeads(db::Database& db, const core::Clock& clock, clients::ClientsService& clients, core::Id ws,
                  const std::vector<core::Id>& managers) {
    LeadIntake intake(db, clock);
    LeadService service(db, clock, clients, intake);
    const core::Actor system = core::Actor::System(ws);
    LeadQuery any;
    any.statuses = {"all"};
    any.limit = 1;
    auto existing = service.List(system, any);
    if (!existing)
        throw std::runtime_error("cannot read demo leads: " + core::ErrorMessage(existing.error(), core::Lang::kEn));
    if (!existing->items.empty()) return 0;

    // A few requests come from demo clients the clients room seeded: their first phones make intake link them.
    std::vector<std::string> client_phones;
    clients::ListQuery companies;
    companies.filter.limit = 5;
    companies.filter.has_phone = true;
    if (auto page = clients.ListCompanies(system, companies)) {
        for (const auto& c : page->items) {
            auto card = clients.GetCompany(system, c.id);
            if (card && !card->points.empty() && card->points.front().kind == "phone")
                client_phones.push_back(card->points.front().value);
        }
    }

    int created = 0;
    std::size_t turn = 0;
    const core::Millis now = clock.NowMs();
    auto owner_for = [&](std::size_t i) -> std::optional<core::Id> {
        if (managers.empty() || i % 5 == 4) return std::nullopt;
        return managers[turn++ % managers.size()];
    };
    auto accept = [&](IncomingLead in) {
        auto r = intake.Accept(in);
        if (!r) throw std::runtime_error("demo lead refused: " + core::ErrorMessage(r.error(), core::Lang::kEn));
        return *r;
    };
    for (std::size_t i = 0; i < std::size(kLeads); ++i) {
        const DemoLead& d = kLeads[i];
        IncomingLead in;
        in.workspace_id = ws;
        in.channel = d.channel;
        in.event_kind = d.event_kind;
        in.contact_name = d.contact;
        if (*d.phone) in.phones.push_back(d.phone);
        if (*d.email) in.emails.push_back(d.email);
        in.request_text = d.text;
        in.utm_source = d.utm_source;
        if (*d.utm_source) in.utm_medium = "cpc";
        in.occurred_at = now - static_cast<core::Millis>(std::size(kLeads) - i) * 47 * 60 * 1000;
        in.external_ref = std::string("demo-") + std::to_string(i);
        in.default_owner_user_id = owner_for(i);
        const IntakeOutcome out = accept(in);
        if (out.kind != IntakeKind::kCreatedLead || !out.lead_id) continue;
        ++created;
        const std::string then = d.then;
        if (then.empty()) continue;
        core::Result<Lead> step = core::Error::Of(core::ErrorCode::kInternal);
        if (then == "convert") {
            ConvertInput c;
            c.contact = clients::ContactInput{};
            auto r = service.Convert(system, *out.lead_id, c);
            if (!r) throw std::runtime_error("demo convert refused: " + core::ErrorMessage(r.error(), core::Lang::kEn));
            continue;
        }
        if (then.rfind("junk:", 0) == 0) {
            step = service.SetStatus(system, *out.lead_id, "junk", then.substr(5), "Демо: отсеяно при первом звонке");
        } else {
            step = service.SetStatus(system, *out.lead_id, then, std::nullopt, "");
        }
        if (!step)
            throw std::runtime_error("demo status refused: " + core::ErrorMessage(step.error(), core::Lang::kEn));
    }
    // Requests from known clients: a new request opens a lead linked to the company.
    const char* client_requests[] = {"Повторный заказ: ещё две кухни для шоурума, как в прошлый раз",
                                     "Нужна столешница на замену, 2,6 м, до конца месяца"};
    for (std::size_t i = 0; i < client_phones.size() && i < std::size(client_requests); ++i) {
        IncomingLead in;
        in.workspace_id = ws;
        in.channel = i == 0 ? "email" : "form";
        in.phones.push_back(client_phones[i]);
        in.request_text = client_requests[i];
        in.external_ref = "demo-client-" + std::to_string(i);
        in.default_owner_user_id = owner_for(i);
        if (accept(in).kind == IntakeKind::kCreatedLead) ++created;
    }
    return created;
}

}  // namespace otdel::leads
