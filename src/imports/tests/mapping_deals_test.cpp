// The deals kind of an import, its pure part: money, quantities, dates and won/lost words as files write them,
// product lines, reading a mapped row, and the ready Bitrix24/amoCRM deal mappings.
#include <gtest/gtest.h>

#include "imports/mapping_deals.hpp"

namespace otdel::imports {
namespace {

TEST(DealImportValues, MoneyIsIntegerKopecksWhateverTheSpelling) {
    std::string cur;
    EXPECT_EQ(ParseMoney("150000", &cur), 15'000'000);
    EXPECT_EQ(cur, "");
    EXPECT_EQ(ParseMoney("150 000,50"), 15'000'050);
    EXPECT_EQ(ParseMoney("150\xC2\xA0"
                         "000,5"),
              15'000'050);  // a no-break space groups thousands
    EXPECT_EQ(ParseMoney("1,234,567.89"), 123'456'789);
    EXPECT_EQ(ParseMoney("1.234.567,89"), 123'456'789);
    EXPECT_EQ(ParseMoney("1,200"), 120'000);  // three digits after one comma group thousands in money
    EXPECT_EQ(ParseMoney("0,5"), 50);
    EXPECT_EQ(ParseMoney("150000.00"), 15'000'000);
    EXPECT_EQ(ParseMoney("12 500 руб.", &cur), 1'250'000);
    EXPECT_EQ(cur, "RUB");
    EXPECT_EQ(ParseMoney("\xE2\x82\xBD 990", &cur), 99'000);
    EXPECT_EQ(cur, "RUB");
    EXPECT_EQ(ParseMoney("$1,200", &cur), 120'000);
    EXPECT_EQ(cur, "USD");
    EXPECT_EQ(ParseMoney("1000 EUR", &cur), 100'000);
    EXPECT_EQ(cur, "EUR");
    // Never a float, never a guess: too many decimals, negatives, words and overflow are refused.
    EXPECT_EQ(ParseMoney("1.234"), 123'400);  // one mark with three digits after it groups thousands
    EXPECT_FALSE(ParseMoney("1,2345"));
    EXPECT_FALSE(ParseMoney("-500"));
    EXPECT_FALSE(ParseMoney("сто рублей"));
    EXPECT_FALSE(ParseMoney(""));
    EXPECT_FALSE(ParseMoney("99999999999999999999"));
    EXPECT_FALSE(ParseMoney("1,5.5"));
}

TEST(DealImportValues, QuantitiesAreThousandths) {
    EXPECT_EQ(ParseQuantityMilli("2"), 2000);
    EXPECT_EQ(ParseQuantityMilli("1,5"), 1500);
    EXPECT_EQ(ParseQuantityMilli("0.250"), 250);
    EXPECT_EQ(ParseQuantityMilli("1 000"), 1'000'000);
    EXPECT_FALSE(ParseQuantityMilli("0.0001"));
    EXPECT_FALSE(ParseQuantityMilli("-1"));
    EXPECT_FALSE(ParseQuantityMilli("два"));
    EXPECT_FALSE(ParseQuantityMilli("2000000"));  // a million units at most
}

TEST(DealImportValues, DatesWithAndWithoutTime) {
    auto d = ParseStamp("12.03.2024 15:04:11");
    ASSERT_TRUE(d);
    EXPECT_EQ(d->Day(), "2024-03-12");
    EXPECT_EQ(d->seconds, 15 * 3600 + 4 * 60 + 11);
    EXPECT_EQ(ParseStamp("2024-03-12")->seconds, 0);
    EXPECT_EQ(ParseStamp("2024-03-12 09:30")->seconds, 9 * 3600 + 30 * 60);  // an XLSX date-time cell
    EXPECT_EQ(ParseStamp("2024-03-12T09:30:00")->Day(), "2024-03-12");
    EXPECT_EQ(ParseStamp("29.02.2024")->Day(), "2024-02-29");
    EXPECT_FALSE(ParseStamp("29.02.2023"));
    EXPECT_FALSE(ParseStamp("31.04.2024"));
    EXPECT_FALSE(ParseStamp("12.03.24"));
    EXPECT_FALSE(ParseStamp("2024-03-12 25:00"));
    EXPECT_FALSE(ParseStamp("вчера"));
}

TEST(DealImportValues, WonAndLostWordsOfBitrixAndAmo) {
    EXPECT_EQ(ParseDealStatus("Сделка успешна"), DealStatus::kWon);
    EXPECT_EQ(ParseDealStatus("Успешно реализовано"), DealStatus::kWon);
    EXPECT_EQ(ParseDealStatus(" WON "), DealStatus::kWon);
    EXPECT_EQ(ParseDealStatus("Сделка провалена"), DealStatus::kLost);
    EXPECT_EQ(ParseDealStatus("Закрыто и не реализовано"), DealStatus::kLost);
    EXPECT_EQ(ParseDealStatus("ПРОИГРАНА"), DealStatus::kLost);
    EXPECT_EQ(ParseDealStatus("в работе"), DealStatus::kOpen);
    EXPECT_FALSE(ParseDealStatus("Замер"));
}

TEST(DealImportValues, ProductLinesOnePerLine) {
    auto l = ParseLines("KUH-01;1;150 000\nСтолешница;2,5\n| Монтаж");
    ASSERT_TRUE(l);
    ASSERT_EQ(l->size(), 3u);
    EXPECT_EQ((*l)[0], (DealLineText{"KUH-01", 1000, 15'000'000}));
    EXPECT_EQ((*l)[1], (DealLineText{"Столешница", 2500, std::nullopt}));
    EXPECT_EQ((*l)[2], (DealLineText{"Монтаж", 1000, std::nullopt}));
    EXPECT_FALSE(ParseLines("Кухня;много"));
    EXPECT_FALSE(ParseLines("Кухня;0"));
    EXPECT_FALSE(ParseLines(";1;100"));
    EXPECT_FALSE(ParseLines("Кухня;1;100;лишнее"));
}

Record Rec(std::vector<std::pair<std::string, std::string>> values) {
    Record r;
    for (auto& [k, v] : values) r.values[k].push_back(v);
    return r;
}

TEST(DealImportRow, ReadsEveryValue) {
    std::vector<core::FieldError> reasons;
    Record r = Rec({{"title", "Кухня Ивановых"},
                    {"stage", "Успешно реализовано"},
                    {"amount", "350 000 ₽"},
                    {"created_at", "01.02.2025 10:00"},
                    {"closed_at", "2025-03-15"},
                    {"checklist", "c1; Договор подписан"},
                    {"product", "KUH-01"},
                    {"quantity", "1"},
                    {"price", "300000"}});
    r.values["lines"] = {"Монтаж;1;50000"};
    const DealRow d = ReadDealRow(r, reasons);
    EXPECT_TRUE(reasons.empty());
    EXPECT_EQ(d.title, "Кухня Ивановых");
    EXPECT_EQ(d.stage, "Успешно реализовано");
    EXPECT_FALSE(d.status);  // the stage cell is resolved against the pipeline first
    EXPECT_EQ(d.amount_minor, 35'000'000);
    EXPECT_EQ(d.currency, "RUB");
    EXPECT_EQ(d.created->Day(), "2025-02-01");
    EXPECT_EQ(d.closed->Day(), "2025-03-15");
    EXPECT_EQ(d.checklist, (std::vector<std::string>{"c1", "Договор подписан"}));
    ASSERT_EQ(d.lines.size(), 2u);
    EXPECT_EQ(d.lines[0].product, "Монтаж");
    EXPECT_EQ(d.lines[1], (DealLineText{"KUH-01", 1000, 30'000'000}));
}

TEST(DealImportRow, NamesEveryBadValue) {
    std::vector<core::FieldError> reasons;
    ReadDealRow(Rec({{"amount", "много"},
                     {"currency", "тугрики"},
                     {"status", "может быть"},
                     {"created_at", "2025-03-10"},
                     {"closed_at", "2025-03-01"},
                     {"expected_close_date", "скоро"},
                     {"quantity", "2"}}),
                reasons);
    std::vector<std::string> got;
    for (const auto& r : reasons) got.push_back(r.field + ":" + r.code);
    EXPECT_EQ(got, (std::vector<std::string>{"title:required", "status:invalid_status", "amount:invalid_amount",
                                             "currency:invalid_currency", "expected_close_date:invalid_date",
                                             "closed_at:before_start", "product:required"}));
}

TEST(DealImportRow, CurrencyColumnWinsOverTheAmountsSign) {
    std::vector<core::FieldError> reasons;
    EXPECT_EQ(ReadDealRow(Rec({{"title", "x"}, {"amount", "100 $"}}), reasons).currency, "USD");
    EXPECT_EQ(ReadDealRow(Rec({{"title", "x"}, {"amount", "100 $"}, {"currency", "руб."}}), reasons).currency, "RUB");
    EXPECT_EQ(ReadDealRow(Rec({{"title", "x"}, {"currency", "eur"}}), reasons).currency, "EUR");
    EXPECT_TRUE(reasons.empty());
}

TEST(DealImportMapping, ReadyMappingsAndSuggestions) {
    int deals = 0;
    for (const auto& b : BuiltinMappings())
        if (b.entity == Entity::kDeal) {
            ++deals;
            EXPECT_TRUE(CheckMapping(Entity::kDeal, b.columns).empty()) << b.name;
        }
    EXPECT_EQ(deals, 2);
    auto m = SuggestMapping(Entity::kDeal,
                            {"Название сделки", "Бюджет", "Ответственный", "Этап сделки", "Воронка", "Дата создания",
                             "Дата закрытия", "Причина отказа", "Компания", "ИНН", "Товары", "Цвет"});
    EXPECT_EQ(m["Название сделки"], "title");
    EXPECT_EQ(m["Бюджет"], "amount");
    EXPECT_EQ(m["Ответственный"], "owner_email");
    EXPECT_EQ(m["Этап сделки"], "stage");
    EXPECT_EQ(m["Воронка"], "pipeline");
    EXPECT_EQ(m["Дата создания"], "created_at");
    EXPECT_EQ(m["Дата закрытия"], "closed_at");
    EXPECT_EQ(m["Причина отказа"], "loss_reason");
    EXPECT_EQ(m["Компания"], "company_name");
    EXPECT_EQ(m["ИНН"], "company_inn");
    EXPECT_EQ(m["Товары"], "lines");
    EXPECT_FALSE(m.count("Цвет"));
    // Deals have no custom fields to import into.
    EXPECT_EQ(CheckMapping(Entity::kDeal, {{"X", "custom.size"}}).size(), 1u);
    EXPECT_EQ(ParseEntity("deals"), Entity::kDeal);
    EXPECT_EQ(ObjectTypeOf(Entity::kDeal), "deal");
}

}  // namespace
}  // namespace otdel::imports
