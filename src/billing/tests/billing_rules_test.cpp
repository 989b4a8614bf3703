// The billing room's pure rules: line amounts and VAT in minor units (the rounding rule), invoice status, the
// instalment schedule (validation, allocation, the mid-term and day-before plan), invoice numbers, the bank statement
// CSV (reading and matching), the amount in words and the reminder text.
#include <gtest/gtest.h>

#include "billing/billing.hpp"

namespace otdel::billing {
namespace {

InvoiceLine Line(std::int64_t qty_milli, std::int64_t price, std::optional<std::int32_t> vat, std::int32_t disc = 0) {
    InvoiceLine l;
    l.name = "Кухня";
    l.quantity_milli = qty_milli;
    l.unit_price_minor = price;
    l.vat_rate_bp = vat;
    l.discount_bp = disc;
    return l;
}

org::Day D(const char* s) {
    return *org::ParseDay(s);
}

TEST(BillingRules, ALineIsQuantityTimesPriceLessDiscountRoundedHalfUp) {
    EXPECT_EQ(LineBase(1000, 12345, 0), 12345);
    EXPECT_EQ(LineBase(1500, 1, 0), 2) << "1.5 kopecks round half up";
    EXPECT_EQ(LineBase(1499, 1, 0), 1);
    EXPECT_EQ(LineBase(2500, 10000, 1250), 21875) << "2.5 × 100.00 − 12.5 % = 218.75";
    EXPECT_EQ(LineBase(1000, 333, 5000), 167) << "166.5 → 167";
    EXPECT_EQ(LineBase(3000, 99999, 10000), 0) << "a 100 % discount";
    // The widest line the rules allow does not overflow the 128-bit intermediate.
    EXPECT_EQ(LineBase(kMaxQuantityMilli, 1000, 0), kMaxQuantityMilli);
}

TEST(BillingRules, VatIncludedIsTakenOutOfEachLineAndSummed) {
    std::vector<InvoiceLine> lines = {Line(1000, 1'220'000, 2200), Line(1000, 10'000, 2000),
                                      Line(1000, 5'000, std::nullopt)};
    auto t = Price(lines, true);
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(lines[0].vat_minor, 220'000) << "12 200.00 with 22 % holds 2 200.00";
    EXPECT_EQ(lines[1].vat_minor, 1'667) << "100.00 × 20/120 = 16.666… → 16.67";
    EXPECT_EQ(lines[2].vat_minor, 0) << "without VAT";
    EXPECT_EQ(lines[1].amount_minor, 10'000) << "the price already holds the VAT";
    EXPECT_EQ(t->total_minor, 1'235'000);
    EXPECT_EQ(t->vat_minor, 221'667);
    EXPECT_EQ(t->net_minor, 1'235'000 - 221'667);
}

TEST(BillingRules, VatOnTopIsAddedToEachLine) {
    std::vector<InvoiceLine> lines = {Line(1000, 10'000, 2000), Line(3000, 3'333, 1000), Line(1000, 700, 0)};
    auto t = Price(lines, false);
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(lines[0].vat_minor, 2'000);
    EXPECT_EQ(lines[0].amount_minor, 12'000);
    EXPECT_EQ(lines[1].vat_minor, 1'000) << "99.99 × 10 % = 9.999 → 10.00";
    EXPECT_EQ(lines[2].vat_minor, 0) << "0 % is a rate with no tax";
    EXPECT_EQ(t->net_minor, 10'000 + 9'999 + 700);
    EXPECT_EQ(t->total_minor, 12'000 + 10'999 + 700);
}

TEST(BillingRules, TheInvoiceVatIsTheSumOfTheLinesNotTheVatOfTheTotal) {
    // Three lines of 0.10 with 20 % inside: each holds 0.0166… → 0.02; the total's own VAT would be 0.05.
    std::vector<InvoiceLine> lines = {Line(1000, 10, 2000), Line(1000, 10, 2000), Line(1000, 10, 2000)};
    auto t = Price(lines, true);
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(t->vat_minor, 6);
    EXPECT_EQ(t->total_minor, 30);
}

TEST(BillingRules, BadLinesAreNamedByPositionAndTotalsBeyondTheLimitRefused) {
    std::vector<InvoiceLine> lines = {Line(0, 100, 2000), Line(1000, -5, 1500), Line(1000, 100, 2000, 10001)};
    lines[0].name = " ";
    auto errs = ValidateLines(lines);
    std::set<std::string> fields;
    for (const auto& e : errs) fields.insert(e.field + ":" + e.code);
    EXPECT_TRUE(fields.count("lines/0/name:required"));
    EXPECT_TRUE(fields.count("lines/0/quantity_milli:out_of_range"));
    EXPECT_TRUE(fields.count("lines/1/unit_price_minor:out_of_range"));
    EXPECT_TRUE(fields.count("lines/1/vat_rate_bp:not_one_of")) << "15 % is not a Russian rate";
    EXPECT_TRUE(fields.count("lines/2/discount_bp:out_of_range"));
    EXPECT_FALSE(ValidateLines({}).empty()) << "an invoice has lines";
    std::vector<InvoiceLine> huge = {Line(kMaxQuantityMilli, kMaxAmount, std::nullopt)};
    EXPECT_TRUE(ValidateLines(huge).empty());
    auto t = Price(huge, true);
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.error().fields.at(0).field, "lines");
}

TEST(BillingRules, StatusFollowsTheMoneyAndTheDates) {
    EXPECT_EQ(DeriveStatus("draft", 100, 0, "2026-03-01", "2026-03-10"), "draft");
    EXPECT_EQ(DeriveStatus("cancelled", 100, 0, "2026-03-01", "2026-03-10"), "cancelled");
    EXPECT_EQ(DeriveStatus("issued", 100, 0, "2026-03-10", "2026-03-10"), "issued") << "due today is not late";
    EXPECT_EQ(DeriveStatus("issued", 100, 40, "2026-03-10", "2026-03-10"), "partially_paid");
    EXPECT_EQ(DeriveStatus("issued", 100, 40, "2026-03-09", "2026-03-10"), "overdue");
    EXPECT_EQ(DeriveStatus("issued", 100, 0, "2026-03-09", "2026-03-10"), "overdue");
    EXPECT_EQ(DeriveStatus("issued", 100, 100, "2026-03-01", "2026-03-10"), "paid");
    EXPECT_EQ(DeriveStatus("issued", 100, 130, "2026-03-01", "2026-03-10"), "paid") << "an allowed overpayment";
}

std::vector<Instalment> Schedule(std::initializer_list<std::pair<const char*, std::int64_t>> dues) {
    std::vector<Instalment> out;
    for (const auto& [d, a] : dues) {
        Instalment it;
        it.due_date = d;
        it.amount_minor = a;
        out.push_back(it);
    }
    return out;
}

std::set<std::string> Codes(const std::vector<core::FieldError>& errs) {
    std::set<std::string> out;
    for (const auto& e : errs) out.insert(e.field + ":" + e.code);
    return out;
}

TEST(BillingRules, ASchedulesSumsToTheTotalWithIncreasingDatesFromTheIssueDate) {
    EXPECT_TRUE(ValidateSchedule({}, 1000, "2026-03-02").empty()) << "no schedule";
    EXPECT_TRUE(
        ValidateSchedule(Schedule({{"2026-03-02", 400}, {"2026-04-01", 300}, {"2026-05-01", 300}}), 1000, "2026-03-02")
            .empty());
    auto sum = ValidateSchedule(Schedule({{"2026-04-01", 400}, {"2026-05-01", 500}}), 1000, "2026-03-02");
    ASSERT_EQ(sum.size(), 1u);
    EXPECT_EQ(sum[0].field, "instalments");
    EXPECT_EQ(sum[0].code, "sum_mismatch");
    EXPECT_EQ(sum[0].param, "10.00");
    EXPECT_EQ(Codes(ValidateSchedule(Schedule({{"2026-04-01", 500}, {"2026-04-01", 500}}), 1000, "2026-03-02")),
              (std::set<std::string>{"instalments/1/due_date:not_increasing"}));
    EXPECT_EQ(Codes(ValidateSchedule(Schedule({{"2026-05-01", 500}, {"2026-04-01", 500}}), 1000, "2026-03-02")),
              (std::set<std::string>{"instalments/1/due_date:not_increasing"}));
    EXPECT_EQ(Codes(ValidateSchedule(Schedule({{"2026-03-01", 500}, {"2026-04-01", 500}}), 1000, "2026-03-02")),
              (std::set<std::string>{"instalments/0/due_date:before_issue"}));
    EXPECT_EQ(Codes(ValidateSchedule(Schedule({{"2026-04-01", 1500}, {"2026-05-01", -500}}), 1000, "2026-03-02")),
              (std::set<std::string>{"instalments/1/amount_minor:out_of_range", "instalments:sum_mismatch"}));
    EXPECT_EQ(Codes(ValidateSchedule(Schedule({{"2026-02-30", 1000}}), 1000, "2026-01-02")),
              (std::set<std::string>{"instalments/0/due_date:invalid_date"}));
}

TEST(BillingRules, PaymentsCoverTheDuesInDateOrder) {
    auto items = Schedule({{"2026-03-10", 400}, {"2026-04-10", 300}, {"2026-05-10", 300}});
    Allocate(items, 550, "2026-04-20");
    EXPECT_EQ(items[0].paid_minor, 400);
    EXPECT_EQ(items[0].status, "paid");
    EXPECT_EQ(items[1].paid_minor, 150);
    EXPECT_EQ(items[1].status, "overdue");
    EXPECT_EQ(items[2].paid_minor, 0);
    EXPECT_EQ(items[2].status, "pending");
    EXPECT_EQ(NextDueDate("2026-05-10", items, 550), "2026-04-10");
    EXPECT_EQ(NextDueDate("2026-05-10", items, 700), "2026-05-10");
    EXPECT_EQ(NextDueDate("2026-05-10", items, 0), "2026-03-10");
    EXPECT_EQ(NextDueDate("2026-05-10", items, 1000), "2026-05-10") << "all covered: the last date";
    EXPECT_EQ(NextDueDate("2026-03-20", {}, 0), "2026-03-20") << "no schedule: the invoice's own date";
}

TEST(BillingRules, MidTermIsHalfwayRoundedDown) {
    EXPECT_EQ(MidTerm(D("2026-03-01"), D("2026-03-31")), D("2026-03-16"));
    EXPECT_EQ(MidTerm(D("2026-03-31"), D("2026-04-30")), D("2026-04-15"));
    EXPECT_EQ(MidTerm(D("2026-01-01"), D("2026-01-04")), D("2026-01-02")) << "1.5 days → 1";
    EXPECT_EQ(MidTerm(D("2026-12-20"), D("2027-01-09")), D("2026-12-30")) << "across the new year";
}

TEST(BillingRules, EachDueGetsAMidTermAndADayBeforeReminder) {
    const auto plan = PlanReminders(D("2026-03-02"), {D("2026-04-01"), D("2026-05-01"), D("2026-06-01")});
    const std::vector<PlannedReminder> expected = {
        {0, ReminderKind::kMidTerm, D("2026-03-17")}, {0, ReminderKind::kDayBefore, D("2026-03-31")},
        {1, ReminderKind::kMidTerm, D("2026-04-16")}, {1, ReminderKind::kDayBefore, D("2026-04-30")},
        {2, ReminderKind::kMidTerm, D("2026-05-16")}, {2, ReminderKind::kDayBefore, D("2026-05-31")}};
    EXPECT_EQ(plan, expected);
}

TEST(BillingRules, ShortIntervalsGetOneReminderNeverTwoOnADay) {
    // Two days apart: the mid-term would be the day before — only the day-before reminder stays.
    auto plan = PlanReminders(D("2026-03-02"), {D("2026-03-04"), D("2026-03-05")});
    const std::vector<PlannedReminder> expected = {{0, ReminderKind::kDayBefore, D("2026-03-03")},
                                                   {1, ReminderKind::kDayBefore, D("2026-03-04")}};
    EXPECT_EQ(plan, expected);
    // Due on the issue day: nothing to remind before it.
    EXPECT_TRUE(PlanReminders(D("2026-03-02"), {D("2026-03-02")}).empty());
    // Three days: mid-term on day 1, day-before on day 2.
    EXPECT_EQ(PlanReminders(D("2026-03-02"), {D("2026-03-05")}).size(), 2u);
}

TEST(BillingRules, NumbersArePrefixSeriesAndPaddedCounters) {
    EXPECT_EQ(SeriesOf("{year}-", 2026), "2026-");
    EXPECT_EQ(SeriesOf("СЧ/{year}/", 2027), "СЧ/2027/");
    EXPECT_EQ(SeriesOf("INV-", 2026), "INV-");
    EXPECT_EQ(FormatNumber("2026-", 123, 6), "2026-000123");
    EXPECT_EQ(FormatNumber("", 1234567, 3), "1234567");
    Settings bad;
    bad.number_prefix = "a;b";
    bad.number_digits = 0;
    bad.default_due_days = 400;
    EXPECT_EQ(Codes(ValidateSettings(bad)),
              (std::set<std::string>{"number_prefix:invalid", "number_digits:out_of_range",
                                     "default_due_days:out_of_range"}));
}

TEST(BillingRules, PaymentsAreCheckedBeforeTheyTouchAnything) {
    PaymentInput p;
    p.paid_on = "2026-03-02";
    p.amount_minor = 100;
    EXPECT_TRUE(ValidatePayment(p).empty());
    p.amount_minor = -1;
    p.paid_on = "02.03.2026";
    p.method = "barter";
    EXPECT_EQ(Codes(ValidatePayment(p)),
              (std::set<std::string>{"amount_minor:out_of_range", "paid_on:invalid_date", "method:not_one_of"}));
    p.amount_minor = 0;
    EXPECT_TRUE(Codes(ValidatePayment(p)).count("amount_minor:out_of_range")) << "a payment of nothing";
}

TEST(BillingRules, BankAmountsAndDatesReadTheWayBanksWriteThem) {
    EXPECT_EQ(ParseAmount("12 345,67"), 1'234'567);
    EXPECT_EQ(ParseAmount("12345.6"), 1'234'560);
    EXPECT_EQ(ParseAmount("1\xC2\xA0"
                          "000"),
              100'000)
        << "a no-break space between thousands";
    EXPECT_EQ(ParseAmount("+500"), 50'000);
    EXPECT_FALSE(ParseAmount("-500"));
    EXPECT_FALSE(ParseAmount("12,345.67")) << "two separators: ambiguous";
    EXPECT_FALSE(ParseAmount("1.234"));
    EXPECT_FALSE(ParseAmount(""));
    EXPECT_FALSE(ParseAmount("12 руб"));
    EXPECT_EQ(ParseBankDate("03.12.2026"), "2026-12-03");
    EXPECT_EQ(ParseBankDate("2026-12-03"), "2026-12-03");
    EXPECT_FALSE(ParseBankDate("31.02.2026"));
}

TEST(BillingRules, ABankStatementReadsRowByRowWithTheHeaderSkippedAndBadRowsKept) {
    const std::string csv =
        "\xEF\xBB\xBF"
        "Дата;Сумма;ИНН плательщика;Назначение платежа;Номер документа\r\n"
        "03.12.2026;41 200,00;7707083893;Оплата по счёту № 2026-000001 от 01.12.2026, в т.ч. НДС;п/п 15\r\n"
        "2026-12-04;100;;\"Аванс; по договору\";\r\n"
        "вчера;abc;123;x;y\r\n"
        ";;;;\r\n";
    auto rows = ParseBankStatement(csv);
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].date, "2026-12-03");
    EXPECT_EQ(rows[0].amount_minor, 4'120'000);
    EXPECT_EQ(rows[0].payer_inn, "7707083893");
    EXPECT_EQ(rows[0].reference, "п/п 15");
    EXPECT_TRUE(rows[0].errors.empty());
    EXPECT_EQ(rows[1].purpose, "Аванс; по договору") << "a quoted purpose keeps its delimiter";
    EXPECT_EQ(rows[1].line, 3);
    EXPECT_EQ(Codes(rows[2].errors), (std::set<std::string>{"date:invalid_date", "amount:invalid"}));
    // The same row is the same payment on a re-import: by its reference, else by its contents.
    EXPECT_EQ(BankRowKey(rows[0]), "ref:п/п 15");
    EXPECT_EQ(BankRowKey(rows[1]).rfind("row:", 0), 0u);
    EXPECT_EQ(BankRowKey(rows[1]), BankRowKey(ParseBankStatement(csv)[1]));
}

TEST(BillingRules, ACommaSeparatedWindows1251StatementWithoutAHeaderReadsToo) {
    // "Оплата" in Windows-1251.
    const std::string csv = "2026-12-05,1500.50,500100732259,\xCE\xEF\xEB\xE0\xF2\xE0 2026-000002\n";
    auto rows = ParseBankStatement(csv);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].amount_minor, 150'050);
    EXPECT_EQ(rows[0].purpose, "Оплата 2026-000002");
}

TEST(BillingRules, RowsMatchByTheInvoiceNumberThenByInnAndAmount) {
    const std::vector<OpenInvoice> open = {{1, "2026-000001", "7707083893", 4'120'000},
                                           {2, "2026-000012", "7707083893", 100'000},
                                           {3, "2026-000013", "500100732259", 100'000},
                                           {4, "2026-000014", "500100732259", 100'000}};
    BankRow r;
    r.amount_minor = 5;
    r.purpose = "Оплата по счёту №2026-000012 от 01.12";
    auto m = MatchBankRow(r, open);
    EXPECT_EQ(m.invoice_id, 2);
    EXPECT_EQ(m.by, "number");
    r.purpose = "Оплата по счёту 2026-0000121";
    EXPECT_FALSE(MatchBankRow(r, open).invoice_id) << "a longer number is another number";
    r.purpose = "Оплата счетов 2026-000012 и 2026-000001";
    EXPECT_EQ(MatchBankRow(r, open).reason, "ambiguous");
    r.purpose = "Оплата за кухню";
    r.payer_inn = "7707083893";
    r.amount_minor = 4'120'000;
    m = MatchBankRow(r, open);
    EXPECT_EQ(m.invoice_id, 1);
    EXPECT_EQ(m.by, "inn_amount");
    r.payer_inn = "500100732259";
    r.amount_minor = 100'000;
    EXPECT_EQ(MatchBankRow(r, open).reason, "ambiguous") << "two invoices owe exactly that";
    r.payer_inn = "";
    EXPECT_EQ(MatchBankRow(r, open).reason, "no_match");
}

TEST(BillingRules, AmountsInWordsForTheInvoice) {
    EXPECT_EQ(AmountInWords(1'234'567, "RUB", core::Lang::kRu), "Двенадцать тысяч триста сорок пять рублей 67 копеек");
    EXPECT_EQ(AmountInWords(100'100, "RUB", core::Lang::kRu), "Одна тысяча один рубль 00 копеек");
    EXPECT_EQ(AmountInWords(2'202, "RUB", core::Lang::kRu), "Двадцать два рубля 02 копейки");
    EXPECT_EQ(AmountInWords(1'100, "RUB", core::Lang::kRu), "Одиннадцать рублей 00 копеек");
    EXPECT_EQ(AmountInWords(97'700'000'021, "RUB", core::Lang::kRu),
              "Девятьсот семьдесят семь миллионов рублей 21 копейка");
    EXPECT_EQ(AmountInWords(0, "RUB", core::Lang::kRu), "Ноль рублей 00 копеек");
    EXPECT_EQ(AmountInWords(1'234'567, "RUB", core::Lang::kEn),
              "Twelve thousand three hundred forty-five roubles 67 kopecks");
    EXPECT_EQ(AmountInWords(1'234'567, "USD", core::Lang::kRu), "12 345,67 USD");
}

TEST(BillingRules, TheReminderNamesTheInvoiceTheAmountAndTheDay) {
    ReminderFacts f{"Кухни «Северный свет»", "ООО «Ромашка»", "2026-000007", "2026-04-01", 30'000'000, "RUB"};
    auto ru = RenderReminder(ReminderKind::kDayBefore, f, core::Lang::kRu);
    EXPECT_NE(ru.subject.find("2026-000007"), std::string::npos);
    EXPECT_NE(ru.body.find("завтра, 01.04.2026"), std::string::npos) << ru.body;
    EXPECT_NE(ru.sms.find("300\xC2\xA0"
                          "000,00"),
              std::string::npos)
        << ru.sms;
    auto en = RenderReminder(ReminderKind::kMidTerm, f, core::Lang::kEn);
    EXPECT_NE(en.body.find("on 2026-04-01"), std::string::npos) << en.body;
}

}  // namespace
}  // namespace otdel::billing
