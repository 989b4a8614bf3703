#include "org/role.hpp"

#include <algorithm>

namespace otdel::org {
namespace {

bool Contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

const std::vector<std::string> kAll = {"create", "read", "update", "delete", "export", "assign"};
const std::vector<std::string> kWork = {"create", "read", "update"};
const std::vector<std::string> kRead = {"read"};
const std::vector<std::string> kReadExport = {"read", "export"};

// Permission sets shared by several roles.
Permissions Leader() {
    return {{"lead", kAll},    {"client", kAll},     {"deal", kAll},   {"document", kAll}, {"activity", kAll},
            {"invoice", kAll}, {"payment", kAll},    {"ticket", kAll}, {"plan", kAll},     {"report", kReadExport},
            {"org", kAll},     {"production", kAll}, {"review", kAll}};
}
Permissions Seller() {
    // Sellers invoice their own deals; payments are the accountant's and the head's to record. They read their own
    // plan and goals (PLAN-1, PLAN-2) and the reviews of their own calls and meetings (ACT-3).
    return {{"lead", kWork},    {"client", kWork},  {"deal", kWork},   {"document", kWork}, {"activity", kWork},
            {"invoice", kWork}, {"payment", kRead}, {"report", kRead}, {"plan", kRead},     {"review", kRead}};
}
Permissions LeadDesk() {
    return {{"lead", {"create", "read", "update", "assign"}},
            {"client", kWork},
            {"activity", kWork},
            {"plan", kRead},
            {"review", kRead}};
}

// The catalog (DEAL-3) follows from what a role does with deals: those who run the organisation manage products and
// decide discounts above a seller's limit ("discount"); those who read deals read products, and export them when they
// export deals (the analyst).
void AddCatalogRights(Permissions& p) {
    if (p.count("org")) {
        p["product"] = kAll;
        p["discount"] = kAll;
    } else if (auto deal = p.find("deal"); deal != p.end()) {
        p["product"] = Contains(deal->second, "export") ? kReadExport : kRead;
    }
}

Role Make(const char* code, const char* level, const char* name_ru, const char* name_en, const char* duties_ru,
          const char* duties_en, std::vector<std::string> kpis, Permissions perms, const char* scope) {
    Role r;
    r.code = code;
    if (level) r.level = level;
    r.name_ru = name_ru;
    r.name_en = name_en;
    r.duties_ru = duties_ru;
    r.duties_en = duties_en;
    r.kpis = std::move(kpis);
    r.permissions = std::move(perms);
    AddCatalogRights(r.permissions);
    r.scope = scope;
    r.system = true;
    return r;
}

}  // namespace

const std::vector<std::string>& KpiCodes() {
    static const std::vector<std::string> k = {"calls_per_day",           "meetings_per_week",   "leads_taken",
                                               "lead_to_deal_conversion", "stage_conversion",    "deals_won",
                                               "average_deal_size",       "time_to_close",       "rejections",
                                               "retention_rate",          "first_response_time", "sla_breach_rate",
                                               "call_review_score",       "overdue_share"};
    return k;
}

const std::vector<std::string>& PermissionActions() {
    return kAll;
}

bool IsScope(const std::string& s) {
    return s == "own" || s == "team" || s == "all" || s == "read_all";
}

bool IsLevel(const std::string& s) {
    return s == "L1" || s == "L2" || s == "L3" || s == "L4";
}

std::vector<core::FieldError> ValidateRole(const Role& r, bool check_code) {
    std::vector<core::FieldError> errs;
    if (check_code) {
        bool ok = r.code.size() >= 2 && r.code.size() <= 50 && r.code[0] >= 'a' && r.code[0] <= 'z';
        for (char c : r.code) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
        if (!ok) errs.push_back({"code", "invalid", ""});
    }
    if (r.level && !IsLevel(*r.level)) errs.push_back({"level", "not_one_of", "L1, L2, L3, L4"});
    if (!IsScope(r.scope)) errs.push_back({"scope", "not_one_of", "own, team, all, read_all"});
    for (const auto& k : r.kpis) {
        if (!Contains(KpiCodes(), k)) {
            errs.push_back({"kpis", "invalid", ""});
            break;
        }
    }
    for (const auto& [object, actions] : r.permissions) {
        bool ok = !object.empty() && object.size() <= 50;
        for (const auto& a : actions) ok = ok && Contains(kAll, a);
        if (!ok) {
            errs.push_back({"permissions/" + object, "invalid", ""});
            break;
        }
    }
    return errs;
}

const std::vector<Role>& DefaultCatalog() {
    static const std::vector<Role> k = {
        Make("sales_leader", "L1", "Руководитель продаж компании", "Chief sales officer",
             "Отвечает за выручку компании целиком: ставит цели отделам, утверждает планы и структуру, "
             "решает спорные сделки и распределяет ресурсы между направлениями.",
             "Owns company revenue: sets targets for the departments, approves plans and the structure, settles "
             "contested deals and moves resources between lines of business.",
             {"deals_won", "average_deal_size", "lead_to_deal_conversion", "retention_rate"}, Leader(), "all"),
        Make("head_of_sales", "L2", "Руководитель отдела продаж (РОП)", "Head of sales",
             "Ведёт отдел: раздаёт и проверяет задачи менеджеров, держит план, разбирает звонки и воронку, "
             "нанимает и обучает людей, меняет состав команд.",
             "Runs the department: assigns and checks the managers' work, keeps the plan on track, reviews calls "
             "and the funnel, hires and coaches people, reshapes teams.",
             {"deals_won", "lead_to_deal_conversion", "stage_conversion", "sla_breach_rate", "call_review_score"},
             Leader(), "all"),
        Make("key_account_manager", "L3", "Менеджер по ключевым клиентам", "Key account manager",
             "Развивает несколько крупнейших клиентов: знает их структуру и планы, готовит долгосрочные "
             "договорённости и ищет рост внутри каждого счёта.",
             "Grows a handful of the largest customers: knows who decides and what they plan, prepares long-term "
             "agreements and finds growth inside each account.",
             {"retention_rate", "average_deal_size", "deals_won", "meetings_per_week"}, Seller(), "own"),
        Make("account_manager", "L3", "Аккаунт-менеджер", "Account manager",
             "Сопровождает действующих клиентов после первой сделки: повторные заказы, допродажи, "
             "решение вопросов по исполнению.",
             "Looks after existing customers after the first deal: repeat orders, upsell, sorting out delivery "
             "questions.",
             {"retention_rate", "deals_won", "first_response_time"}, Seller(), "own"),
        Make("channel_manager", "L3", "Менеджер по работе с партнёрами", "Channel manager",
             "Продаёт через дилеров и партнёров: подбирает их, обучает, согласует условия и следит за их "
             "объёмами.",
             "Sells through dealers and partners: recruits and trains them, agrees terms and watches their "
             "volumes.",
             {"deals_won", "meetings_per_week", "average_deal_size"}, Seller(), "own"),
        Make("business_development_manager", "L3", "Менеджер по развитию бизнеса", "Business development manager",
             "Открывает новые рынки и сегменты: ищет первых клиентов в них, проверяет спрос, предлагает "
             "новые направления.",
             "Opens new markets and segments: finds the first customers there, tests demand, proposes new lines "
             "of business.",
             {"meetings_per_week", "leads_taken", "deals_won"}, Seller(), "own"),
        Make("strategic_sales_manager", "L3", "Менеджер стратегических продаж", "Strategic selling manager",
             "Ведёт длинные сделки с несколькими лицами, принимающими решение: карта влияния, "
             "согласования, тендеры.",
             "Runs long deals with several decision makers: influence map, approvals, tenders.",
             {"deals_won", "time_to_close", "average_deal_size"}, Seller(), "own"),
        Make("solution_sales_manager", "L3", "Менеджер решений", "Solution selling manager",
             "Выясняет задачу клиента и собирает под неё решение из продуктов и услуг, защищает его "
             "экономику.",
             "Works out the customer's problem and assembles an answer from products and services, then defends "
             "its economics.",
             {"deals_won", "stage_conversion", "average_deal_size"}, Seller(), "own"),
        Make("transactional_sales_manager", "L3", "Менеджер транзакционных продаж", "Transactional selling manager",
             "Быстро закрывает простые типовые сделки: много обращений, короткий цикл, стандартные условия.",
             "Closes simple standard deals quickly: many enquiries, short cycle, standard terms.",
             {"calls_per_day", "deals_won", "first_response_time", "lead_to_deal_conversion"}, Seller(), "own"),
        Make("sales_manager", "L3", "Менеджер по продажам", "Sales (account) manager",
             "Ведёт клиента от обращения до оплаты: квалификация, предложение, переговоры, договор.",
             "Takes a customer from first contact to payment: qualification, proposal, negotiation, contract.",
             {"calls_per_day", "meetings_per_week", "deals_won", "lead_to_deal_conversion"}, Seller(), "own"),
        Make("outbound_seller", "L4", "Оператор исходящих звонков", "Contact-centre outbound seller",
             "Звонит по базе и спискам, выявляет интерес и передаёт тёплых клиентов менеджерам.",
             "Calls through lists, finds interest and passes warm prospects to managers.",
             {"calls_per_day", "leads_taken", "call_review_score"}, LeadDesk(), "own"),
        Make("inbound_seller", "L4", "Оператор входящих обращений", "Contact-centre inbound seller",
             "Принимает входящие звонки и заявки, отвечает на вопросы, оформляет простые заказы.",
             "Answers incoming calls and requests, handles questions, books simple orders.",
             {"first_response_time", "sla_breach_rate", "call_review_score"}, LeadDesk(), "own"),
        Make("automotive_consultant", "L4", "Консультант автосалона", "Automotive consultant",
             "Встречает покупателя в салоне, подбирает комплектацию, проводит тест-драйв и оформляет "
             "заказ.",
             "Meets buyers in the showroom, helps choose a trim, runs test drives and books the order.",
             {"meetings_per_week", "deals_won", "average_deal_size"}, Seller(), "own"),
        Make("retail_consultant", "L4", "Продавец-консультант", "Retail consultant",
             "Работает с покупателями в магазине: помогает выбрать, оформляет покупку и доставку.",
             "Serves shoppers in the store: helps them choose, rings up the purchase and arranges delivery.",
             {"deals_won", "average_deal_size", "call_review_score"}, Seller(), "own"),
        Make("lead_manager", nullptr, "Менеджер по обработке заявок", "Lead manager",
             "Первым связывается с новыми заявками, уточняет потребность и бюджет, отсеивает нецелевые и "
             "передаёт квалифицированные продавцам.",
             "First to contact new leads: clarifies the need and budget, filters out the irrelevant ones and hands "
             "qualified leads to sellers.",
             {"leads_taken", "first_response_time", "sla_breach_rate", "lead_to_deal_conversion"}, LeadDesk(), "own"),
        Make("designer_manager", nullptr, "Дизайнер-менеджер (замерщик)", "Designer-manager / measurer",
             "Выезжает на замер, делает дизайн-проект и расчёт, согласует его с клиентом и доводит до "
             "договора.",
             "Visits to measure the room, draws the design and the estimate, agrees them with the customer and "
             "brings the deal to a contract.",
             {"meetings_per_week", "deals_won", "average_deal_size", "time_to_close"}, Seller(), "own"),
        Make("ecommerce_manager", nullptr, "Менеджер интернет-продаж", "E-commerce manager",
             "Отвечает за продажи через сайт и маркетплейсы: карточки, цены, заказы, отзывы.",
             "Owns sales through the website and marketplaces: listings, prices, orders, reviews.",
             {"deals_won", "first_response_time", "average_deal_size"}, Seller(), "own"),
        Make("marketer", nullptr, "Маркетолог", "Marketer",
             "Приводит заявки: кампании, каналы, посадочные страницы; смотрит, какие источники дают "
             "продажи.",
             "Brings in leads: campaigns, channels, landing pages; checks which sources turn into sales.",
             {"leads_taken", "lead_to_deal_conversion"},
             {{"lead", kReadExport}, {"report", kReadExport}, {"campaign", kAll}}, "read_all"),
        Make("sales_analyst", nullptr, "Аналитик продаж", "Sales analyst",
             "Готовит отчёты и прогнозы, ищет узкие места воронки и проверяет качество данных. Видит всё, "
             "ничего не меняет.",
             "Builds reports and forecasts, finds funnel bottlenecks and checks data quality. Sees everything, "
             "changes nothing.",
             {"stage_conversion", "time_to_close", "rejections"},
             {{"lead", kReadExport},
              {"client", kReadExport},
              {"deal", kReadExport},
              {"document", kReadExport},
              {"invoice", kReadExport},
              {"payment", kReadExport},
              {"activity", kReadExport},
              {"report", kReadExport},
              {"plan", kReadExport},
              {"review", kReadExport}},
             "read_all"),
        Make("support_specialist", nullptr, "Специалист поддержки", "Support specialist",
             "Решает вопросы клиентов после покупки: обращения, рекламации, сроки доставки и монтажа.",
             "Resolves customers' questions after the sale: requests, complaints, delivery and installation dates.",
             {"first_response_time", "sla_breach_rate", "retention_rate"},
             {{"client", {"read", "update"}}, {"ticket", kAll}, {"activity", kWork}}, "own"),
        Make("supervisor", nullptr, "Супервайзер", "Supervisor",
             "Ведёт смену операторов или продавцов: следит за нагрузкой, слушает звонки, подменяет и "
             "подсказывает.",
             "Leads a shift of operators or sellers: watches the load, listens to calls, steps in and coaches.",
             {"sla_breach_rate", "call_review_score", "calls_per_day"},
             {{"lead", {"create", "read", "update", "assign"}},
              {"client", kWork},
              {"deal", kRead},
              {"document", kRead},
              {"invoice", kRead},
              {"payment", kRead},
              {"activity", kWork},
              {"report", kRead},
              {"review", kWork}},
             "team"),
        // Scope "team": placed in the top department, the accountant sees every deal's money below it without the
        // organisation rights that scope "all" carries.
        Make("accountant", nullptr, "Бухгалтер", "Accountant",
             "Выставляет и проверяет счета, разносит оплаты по выписке банка, следит за просрочкой и графиками "
             "платежей по рассрочке.",
             "Issues and checks invoices, posts payments from the bank statement, watches overdue invoices and "
             "instalment schedules.",
             {"overdue_share"},
             {{"invoice", {"create", "read", "update", "delete", "export"}},
              {"payment", {"create", "read", "update", "delete", "export"}},
              {"deal", kRead},
              {"client", kRead},
              {"report", kRead}},
             "team"),
        // DEAL-8: production sees the made-to-order items handed off to it and moves them to "in production" and
        // "ready"; a shipment holding them leaves only then. Scope "team" placed high in the tree, as the accountant.
        Make("production_manager", nullptr, "Менеджер производства", "Production manager",
             "Принимает в работу изделия под заказ из отгрузок сделок, ставит их в производство и отмечает "
             "готовность, чтобы отгрузка ушла в срок.",
             "Takes the made-to-order items of the deals' shipments, puts them into production and marks them "
             "ready, so the shipment leaves on time.",
             {"overdue_share"}, {{"production", {"read", "update", "export"}}, {"report", kRead}}, "team"),
    };
    return k;
}

}  // namespace otdel::org
