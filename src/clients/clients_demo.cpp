#include "clients/clients_demo.hpp"

#include <stdexcept>

#include "core/messages.hpp"

namespace otdel::clients {
namespace {

struct DemoCompany {
    const char* legal_form;
    const char* name;
    const char* full_name;
    const char* city;
    const char* phone;
    const char* email;
    const char* tags;  // comma-separated
    const char* discipline;
    const char* state;
    long long volume_rub;
    const char* notes;
};

// Who buys kitchens from a furniture studio: developers furnishing show flats, interior designers bringing their
// clients, dealers in other towns, restaurants and offices. The names are invented.
constexpr DemoCompany kCompanies[] = {
    {"ooo", "СЗ «Новый квартал»", "Специализированный застройщик «Новый квартал»", "Москва", "+7 495 610-21-40",
     "zakupki@novkvartal.ru", "застройщик,опт", "good", "growing", 18'400'000,
     "Меблируют шоу-румы в трёх корпусах; закупка кухонь партиями по 12–20 штук."},
    {"ooo", "ГК «Северная гавань»", "ООО «Группа компаний Северная гавань»", "Санкт-Петербург", "+7 812 455-30-12",
     "office@sevgavan.ru", "застройщик", "late", "stable", 9'600'000,
     "Платят с задержкой до двух недель — держать предоплату 50%."},
    {"ip", "Студия Ларисы Вольской", "ИП Вольская Лариса Андреевна", "Москва", "+7 916 204-88-13",
     "larisa@volskaya-design.ru", "дизайнер", "good", "stable", 2'150'000,
     "Приводит клиентов с готовыми проектами, любит матовые фасады и скрытые ручки."},
    {"ooo", "Бюро «Линия света»", "ООО «Линия света»", "Казань", "+7 843 211-09-77", "hello@liniyasveta.ru", "дизайнер",
     "good", "growing", 1'300'000, "Работают в стиле минимализм, заказывают подсветку столешниц."},
    {"ooo", "Кухонный двор", "ООО «Кухонный двор»", "Тверь", "+7 482 265-40-18", "dealer@kuhdvor.ru", "дилер,опт",
     "good", "stable", 6'750'000, "Дилер в Твери: выставочный зал 300 м², берут 5 моделей."},
    {"ooo", "Ресторан «Печь и сад»", "ООО «Печь и сад»", "Москва", "+7 495 980-12-66", "chef@pechisad.ru", "horeca",
     "bad", "troubled", 780'000, "Кухня для персонала; два платежа просрочены, всё через РОП."},
    {"ao", "АО «Уралстройинвест»", "Акционерное общество «Уралстройинвест»", "Екатеринбург", "+7 343 377-51-02",
     "tender@uralsi.ru", "застройщик,тендер", "good", "stable", 24'900'000,
     "Тендеры на отделку «под ключ», нужен пакет документов и образцы."},
    {"ip", "Мастерская Гусева", "ИП Гусев Олег Петрович", "Ярославль", "+7 910 973-35-44", "gusev.master@yandex.ru",
     "монтаж,партнёр", "good", "stable", 410'000, "Партнёр по монтажу, иногда перепродаёт наши кухни."},
    {"ooo", "Офис-Комфорт", "ООО «Офис-Комфорт»", "Москва", "+7 499 703-17-20", "info@office-comfort.ru", "офис",
     "late", "declining", 1'050'000, "Кухни-кофепоинты для офисов; ужимают бюджеты."},
    {"ooo", "Интерьерная лаборатория", "ООО «Интерьерная лаборатория»", "Новосибирск", "+7 383 209-66-41",
     "lab@interior-lab.ru", "дизайнер", "good", "growing", 1'870'000, "Просят 3D-визуализацию до замера."},
    {"ooo", "СК «Монолит-Юг»", "ООО «Строительная компания Монолит-Юг»", "Краснодар", "+7 861 240-72-95",
     "snab@monolit-yug.ru", "застройщик", "good", "growing", 7'300'000, "Квартиры с отделкой, кухни в базе."},
    {"ooo", "Мебельный салон «Дуб и Ко»", "ООО «Дуб и Компания»", "Воронеж", "+7 473 255-18-03", "sales@dubico.ru",
     "дилер", "late", "stable", 3'400'000, "Дилер; хотят эксклюзив на область."},
    {"ip", "Архитектор Тимур Ахмедов", "ИП Ахмедов Тимур Ринатович", "Казань", "+7 917 266-40-09",
     "timur@akhmedov-arch.ru", "дизайнер,архитектор", "good", "stable", 960'000,
     "Загородные дома, кухни-гостиные с островом."},
    {"ooo", "Хостел «Пять комнат»", "ООО «Пять комнат»", "Санкт-Петербург", "+7 812 309-45-12", "admin@5rooms.ru",
     "horeca", "good", "stable", 350'000, "Общая кухня для гостей, нужны износостойкие фасады."},
    {"ooo", "ДомСтройПроект", "ООО «ДомСтройПроект»", "Тула", "+7 487 271-10-38", "dsp@domstroyproekt.ru", "застройщик",
     "good", "stable", 4'200'000, "Таунхаусы: типовой проект кухни на 40 домов."},
    {"pao", "ПАО «Волжская верфь»", "Публичное акционерное общество «Волжская верфь»", "Нижний Новгород",
     "+7 831 419-52-27", "aho@volga-verf.ru", "корпоративный", "good", "stable", 1'600'000,
     "Столовая и комнаты отдыха для заводоуправления."},
    {"ooo", "Студия «Белый лист»", "ООО «Белый лист»", "Москва", "+7 926 118-70-31", "studio@beliylist.ru", "дизайнер",
     "good", "growing", 2'900'000, "Ведут 6–8 квартир одновременно."},
    {"ooo", "Кухни Поволжья", "ООО «Кухни Поволжья»", "Самара", "+7 846 277-35-60", "opt@kuhni-volga.ru", "дилер,опт",
     "bad", "troubled", 2'100'000, "Просрочка 90 дней по последней партии — отгрузки стоп."},
    {"ooo", "Лофт-Апартаменты", "ООО «Лофт-Апартаменты»", "Москва", "+7 495 128-44-90", "buy@loft-apart.ru",
     "застройщик,апартаменты", "good", "growing", 11'800'000, "Апартаменты с мини-кухнями, 240 единиц."},
    {"ip", "Дизайнер Ксения Рябова", "ИП Рябова Ксения Олеговна", "Сочи", "+7 988 402-17-56", "ksenia.ryabova@mail.ru",
     "дизайнер", "good", "stable", 640'000, "Курортная недвижимость, светлые тона."},
    {"ooo", "ГК «Татнефтьстрой»", "ООО «Группа компаний Татнефтьстрой»", "Альметьевск", "+7 855 331-09-14",
     "snab@tnstroy.ru", "застройщик", "late", "stable", 5'500'000, "Долго согласуют договор, платят по факту."},
    {"ooo", "Кафе «Синица»", "ООО «Синица»", "Пермь", "+7 342 259-61-73", "sinica.cafe@yandex.ru", "horeca", "good",
     "growing", 290'000, "Открывают вторую точку осенью."},
    {"ooo", "Дизайн-бюро «Контур»", "ООО «Контур Дизайн»", "Екатеринбург", "+7 343 288-16-05",
     "kontur@kontur-design.ru", "дизайнер", "good", "stable", 1'150'000, "Предпочитают фасады из шпона."},
    {"ooo", "РемСтрой-Сервис", "ООО «РемСтрой-Сервис»", "Москва", "+7 499 391-27-48", "rss@remstroy-service.ru",
     "ремонт,партнёр", "good", "stable", 2'450'000, "Ремонт квартир под ключ, кухни — наш партнёрский продукт."},
    {"ao", "АО «Домостроительный комбинат 7»", "Акционерное общество «ДСК-7»", "Москва", "+7 495 741-33-82",
     "tender@dsk7.ru", "застройщик,тендер", "good", "stable", 31'000'000, "Крупнейший клиент по объёму."},
    {"ooo", "Студия кухонь «Оливка»", "ООО «Оливка»", "Калуга", "+7 484 257-90-16", "olivka@olivka-kitchen.ru", "дилер",
     "good", "growing", 1'980'000, "Новый дилер, первый заказ в прошлом месяце."},
    {"ip", "Прораб Семён Лаптев", "ИП Лаптев Семён Игоревич", "Подольск", "+7 903 555-82-17", "laptev.s@bk.ru",
     "ремонт", "late", "stable", 220'000, "Приводит частных заказчиков, просит агентские."},
    {"ooo", "Гостиница «Старый порт»", "ООО «Старый порт»", "Калининград", "+7 401 266-07-39", "hotel@starport39.ru",
     "horeca", "good", "stable", 870'000, "Номера с кухонными уголками, 18 шт."},
    {"ooo", "Академия вкуса", "ООО «Академия вкуса»", "Москва", "+7 495 233-56-14", "school@akademia-vkusa.ru",
     "обучение", "good", "growing", 1'400'000, "Кулинарная школа: 8 учебных кухонь с островами."},
    {"ooo", "ЖК «Речной берег»", "ООО «СЗ Речной берег»", "Тюмень", "+7 345 260-48-21", "sz@rechnoy-bereg.ru",
     "застройщик", "good", "growing", 6'100'000, "Вторая очередь — кухни в white box не нужны, только премиум."},
    // Deliberate duplicates for the merge screen: the same client entered twice by different people.
    {"ooo", "Новый квартал", "", "Москва", "8 (495) 610-21-40", "Zakupki@NovKvartal.ru", "застройщик", "", "", 0,
     "Завели из входящего звонка, не проверив базу."},
    {"ip", "Вольская Лариса (студия)", "", "Москва", "89162048813", "larisa.volskaya@gmail.com", "дизайнер", "", "", 0,
     "Карточка из выставки «Мебель-2025»."},
    {"ooo", "Кухонный двор Тверь", "", "Тверь", "+7-482-265-4018", "", "дилер", "", "", 0,
     "Дубль: новый менеджер дилера звонил с общего номера."},
};

struct DemoPerson {
    const char* last;
    const char* first;
    const char* middle;
    const char* phone;
    const char* email;
    int company;  // index in kCompanies, -1 for a private client
    const char* position;
    const char* role;
    const char* notes;
};

constexpr DemoPerson kPeople[] = {
    {"Карпов", "Андрей", "Сергеевич", "+7 903 771-20-45", "karpov@novkvartal.ru", 0, "Директор по закупкам",
     "decision_maker", "Решает сам до 5 млн, выше — через совет директоров."},
    {"Белова", "Наталья", "Ивановна", "+7 916 330-18-72", "belova@novkvartal.ru", 0, "Менеджер по снабжению",
     "influencer", ""},
    {"Сорокин", "Илья", "Маратович", "+7 921 640-12-08", "sorokin@sevgavan.ru", 1, "Коммерческий директор",
     "decision_maker", ""},
    {"Вольская", "Лариса", "Андреевна", "+7 916 204-88-13", "larisa@volskaya-design.ru", 2, "Владелец студии",
     "decision_maker", "Любит, когда образцы привозят в студию."},
    {"Хабибуллина", "Алсу", "Ринатовна", "+7 917 390-41-26", "alsu@liniyasveta.ru", 3, "Ведущий дизайнер",
     "decision_maker", ""},
    {"Мельников", "Роман", "Олегович", "+7 910 640-53-91", "roman@kuhdvor.ru", 4, "Руководитель салона",
     "decision_maker", ""},
    {"Ершова", "Дарья", "Павловна", "+7 343 377-51-09", "ershova@uralsi.ru", 6, "Специалист тендерного отдела",
     "gatekeeper", "Принимает документы, решения не принимает."},
    {"Лазарев", "Виктор", "Николаевич", "+7 912 604-77-31", "lazarev@uralsi.ru", 6, "Заместитель директора",
     "decision_maker", ""},
    {"Комарова", "Елизавета", "Дмитриевна", "+7 926 118-70-35", "liza@beliylist.ru", 16, "Арт-директор",
     "decision_maker", ""},
    {"Руденко", "Максим", "Андреевич", "+7 985 221-46-10", "rudenko@loft-apart.ru", 18, "Директор по развитию",
     "decision_maker", ""},
    {"Гришина", "Ольга", "Викторовна", "+7 916 482-30-55", "o.grishina@mail.ru", -1, "", "",
     "Кухня 3,2 м по прямой, хочет фасады «эмаль», замер в субботу."},
    {"Тимофеев", "Артём", "Игоревич", "+7 925 301-66-82", "artem.timofeev@yandex.ru", -1, "", "",
     "Угловая кухня в новостройке, бюджет до 450 тыс."},
    {"Зуева", "Маргарита", "Сергеевна", "+7 903 118-25-97", "zueva.m@gmail.com", -1, "", "",
     "Остров с варочной панелью, вытяжка потолочная."},
    {"Носков", "Павел", "Евгеньевич", "+7 964 720-11-43", "pnoskov@inbox.ru", -1, "", "",
     "Дача: простая кухня, важен срок — до мая."},
    {"Кравец", "Инна", "Алексеевна", "+7 977 560-38-04", "inna.kravets@list.ru", -1, "", "",
     "Сравнивает с двумя другими салонами, чувствительна к цене."},
    {"Кравец", "Инна", "", "8 977 560 38 04", "", -1, "", "", "Дубль из заявки с сайта."},
};

int Check(const std::vector<int>& d, const std::vector<int>& w) {
    int s = 0;
    for (std::size_t i = 0; i < w.size(); ++i) s += d[i] * w[i];
    return s % 11 % 10;
}

[[noreturn]] void Fail(const std::string& what, const core::Error& e) {
    std::string detail = core::ErrorMessage(e, core::Lang::kEn);
    for (const auto& f : e.fields) detail += "; " + f.field + ": " + f.code;
    throw std::runtime_error(what + ": " + detail);
}

std::vector<std::string> Split(const char* csv) {
    std::vector<std::string> out;
    std::string cur;
    for (const char* p = csv; *p; ++p) {
        if (*p == ',') {
            if (!cur.empty()) out.push_back(cur);
            cur.clear();
        } else {
            cur += *p;
        }
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
}

}  // namespace

std::string DemoInn(unsigned seed, bool person) {
    std::vector<int> d;
    unsigned x = seed * 2654435761u + 77u;
    d.push_back(7);
    d.push_back(7);
    const std::size_t body = person ? 8 : 7;
    for (std::size_t i = 0; i < body; ++i) {
        x = x * 1103515245u + 12345u;
        d.push_back(static_cast<int>((x >> 16) % 10));
    }
    if (person) {
        d.push_back(Check(d, {7, 2, 4, 10, 3, 5, 9, 4, 6, 8}));
        d.push_back(Check(d, {3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8}));
    } else {
        d.push_back(Check(d, {2, 4, 10, 3, 5, 9, 4, 6, 8}));
    }
    std::string s;
    for (int v : d) s += static_cast<char>('0' + v);
    return s;
}

int SeedDemoClients(ClientsService& clients, core::Id workspace_id, const std::vector<core::Id>& owners) {
    const core::Actor system = core::Actor::System(workspace_id);
    ListQuery any;
    any.filter.limit = 1;
    auto existing = clients.ListCompanies(system, any);
    if (!existing) Fail("cannot read companies", existing.error());
    if (!existing->items.empty() || owners.empty()) return 0;

    std::vector<core::Id> company_ids;
    int n = 0;
    for (const auto& c : kCompanies) {
        CompanyInput in;
        in.legal_form = c.legal_form;
        in.name = c.name;
        in.full_name = c.full_name;
        in.actual_address = std::string("г. ") + c.city;
        in.payment_discipline = c.discipline;
        in.financial_state = c.state;
        in.notes = c.notes;
        in.tags = Split(c.tags);
        if (c.volume_rub > 0) {
            in.set_volume = true;
            in.purchase_volume_minor = c.volume_rub * 100;
        }
        // Duplicates share the original's INN so the merge screen groups them by INN as well as by phone.
        const bool ip = std::string(c.legal_form) == "ip";
        const std::size_t idx = static_cast<std::size_t>(&c - kCompanies);
        const std::size_t original = idx == 30 ? 0 : idx == 31 ? 2 : idx == 32 ? 4 : idx;
        in.set_inn = true;
        in.inn = DemoInn(static_cast<unsigned>(original + 1), ip);
        std::vector<PointInput> points{{"phone", "work", c.phone, true}};
        if (*c.email) points.push_back({"email", "work", c.email, true});
        in.points = points;
        in.set_owner = true;
        in.owner_user_id = owners[(idx + (idx >= 30 ? 1 : 0)) % owners.size()];
        auto card = clients.CreateCompany(system, in);
        if (!card) Fail(std::string("cannot create demo company ") + c.name, card.error());
        company_ids.push_back(card->company.id);
        ++n;
    }
    for (const auto& p : kPeople) {
        ContactInput in;
        in.last_name = p.last;
        in.first_name = p.first;
        in.middle_name = p.middle;
        in.notes = p.notes;
        std::vector<PointInput> points{{"phone", "mobile", p.phone, true}};
        if (*p.email) points.push_back({"email", "work", p.email, true});
        in.points = points;
        in.set_owner = true;
        const std::size_t idx = static_cast<std::size_t>(&p - kPeople);
        in.owner_user_id =
            p.company >= 0 ? owners[static_cast<std::size_t>(p.company) % owners.size()] : owners[idx % owners.size()];
        auto card = clients.CreateContact(system, in);
        if (!card) Fail(std::string("cannot create demo contact ") + p.last, card.error());
        if (p.company >= 0) {
            auto linked = clients.PutLink(system, Link{company_ids[static_cast<std::size_t>(p.company)],
                                                       card->contact.id, p.position, p.role, false});
            if (!linked) Fail(std::string("cannot link demo contact ") + p.last, linked.error());
        }
    }
    return n;
}

}  // namespace otdel::clients
