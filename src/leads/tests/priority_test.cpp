// Priority score (LEAD-3) over realistic requests in Russian and English: concrete ones above vague ones, and
// every point explained by a reason with the value it was found from.
#include <gtest/gtest.h>

#include <set>

#include "leads/priority.hpp"

namespace otdel::leads {
namespace {

struct Case {
    const char* name;
    PriorityInput in;
    std::set<std::string> codes;  // exactly these reasons
    int min_score;
    int max_score;
};

PriorityInput Text(const char* text, bool phone = false, bool email = false) {
    PriorityInput in;
    in.request_text = text;
    in.has_phone = phone;
    in.has_email = email;
    return in;
}

const std::vector<Case>& Cases() {
    static const std::vector<Case> k = {
        {"vague_price_question", Text("Сколько стоит?"), {"vague"}, 0, 0},
        {"vague_just_interested", Text("Здравствуйте, просто интересуюсь, какие у вас цены"), {"vague"}, 0, 0},
        {"vague_with_phone",
         Text("Сколько стоит кухонька у вас? перезвоните", true),
         {"product", "phone"},
         35,
         35},  // a product named is not vague any more
        {"vague_price_list_phone", Text("Пришлите прайс", true), {"phone", "vague"}, 0, 0},
        {"vague_english", Text("How much?"), {"vague"}, 0, 0},
        {"just_looking_email", Text("Just looking, thanks", false, true), {"email", "vague"}, 0, 0},
        {"empty", Text(""), {}, 0, 0},
        {"kitchen_budget_deadline",
         Text("Нужна кухня угловая, бюджет 300 000 руб, хотим до 15 марта", true),
         {"product", "budget", "deadline", "phone"},
         70,
         70},
        {"wardrobe_quantity_thousands",
         Text("Два шкафа-купе в спальню и прихожую, рассчитываем на 150 тыс. Срочно!", true, true),
         {"product", "quantity", "budget", "deadline", "phone", "email"},
         85,
         85},
        {"countertop_rub_sign",
         Text("Столешница из кварца 3 метра, до 80000 ₽"),
         {"product", "quantity", "budget"},
         55,
         55},
        {"kitchen_end_of_month", Text("Хотим кухню к концу месяца, размеры пришлю"), {"product", "deadline"}, 40, 40},
        {"english_kitchen_budget",
         Text("Looking for a kitchen with an island, budget $15k, by March 15", false, true),
         {"product", "budget", "deadline", "email"},
         65,
         65},
        {"english_wardrobes_quantity",
         Text("We need 4 wardrobes for a hotel, within 2 weeks"),
         {"product", "quantity", "deadline"},
         50,
         50},
        {"english_how_much_kitchen", Text("How much is a kitchen?"), {"product"}, 25, 25},
        {"dotted_date",
         Text("Замер кухни нужен до 20.04, телефон оставила", true),
         {"product", "deadline", "phone"},
         50,
         50},
        {"million_budget", Text("Мебель для офиса, бюджет 1,5 млн рублей"), {"product", "budget"}, 45, 45},
        {"budget_word_plain_number", Text("Гардеробная, бюджет 250000"), {"product", "budget"}, 45, 45},
        {"next_week", Text("Можно ли сделать замер на следующей неделе?"), {"product", "deadline"}, 40, 40},
        {"company_inn",
         [] {
             PriorityInput in = Text("Закупка стульев для столовой, 40 шт, счёт на организацию", true, true);
             in.company_name = "ООО «Ромашка»";
             in.inn = "7707083893";
             return in;
         }(),
         {"product", "quantity", "phone", "email", "inn"},
         60,
         60},
        {"company_without_inn",
         [] {
             PriorityInput in = Text("Интересуют шкафы в офис");
             in.company_name = "Технопарк";
             return in;
         }(),
         {"product", "company"},
         30,
         30},
        {"form_product_field",
         [] {
             PriorityInput in = Text("Перезвоните мне", true);
             in.product = "Кухня на заказ";
             return in;
         }(),
         {"product", "phone"},
         35,
         35},
        {"everything",
         [] {
             PriorityInput in = Text(
                 "Добрый день! Нужна кухня 3,2 метра с островом и столешницей из камня, фасады матовые, "
                 "техника встроенная. Бюджет около 450 тыс руб, монтаж нужен до 1 июня, квартира сдаётся.",
                 true, true);
             in.inn = "500100732259";
             return in;
         }(),
         {"product", "quantity", "budget", "deadline", "phone", "email", "inn", "detailed"},
         100,
         100},
        {"yo_and_case_folding", Text("СРОЧНО ЗВОНИТЕ, ЁЛКИ, ШКАФ НУЖЕН"), {"product", "deadline"}, 40, 40},
        {"tomorrow", Text("can you measure the kitchen tomorrow?"), {"product", "deadline"}, 40, 40},
        {"phone_in_text_is_not_budget", Text("Мой номер 8 912 345 67 89, перезвоните по кухне"), {"product"}, 25, 25},
        {"euro_budget", Text("Kitchen cabinets, budget about 12 000 EUR"), {"product", "budget"}, 45, 45},
    };
    return k;
}

class PriorityTable : public ::testing::TestWithParam<Case> {};

TEST_P(PriorityTable, ScoresAndExplains) {
    const Case& c = GetParam();
    const Priority p = ScorePriority(c.in);
    std::set<std::string> codes;
    int sum = 0;
    for (const auto& r : p.reasons) {
        codes.insert(r.code);
        sum += r.points;
    }
    EXPECT_EQ(codes, c.codes);
    EXPECT_GE(p.score, c.min_score);
    EXPECT_LE(p.score, c.max_score);
    EXPECT_EQ(p.score, std::clamp(sum, 0, 100)) << "every point has a reason";
    EXPECT_EQ(codes.size(), p.reasons.size()) << "each reason once";
}

INSTANTIATE_TEST_SUITE_P(Requests, PriorityTable, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<Case>& i) { return std::string(i.param.name); });

const PriorityReason* Find(const Priority& p, const std::string& code) {
    for (const auto& r : p.reasons)
        if (r.code == code) return &r;
    return nullptr;
}

TEST(Priority, ConcreteAboveVague) {
    const int vague = ScorePriority(Text("Сколько стоит?", true)).score;
    const int concrete = ScorePriority(Text("Кухня 3 метра, бюджет 200 тыс, до конца месяца", true)).score;
    EXPECT_LT(vague, concrete);
    EXPECT_GE(concrete, 60);
}

TEST(Priority, ReasonsCarryTheFoundValues) {
    const Priority p = ScorePriority(Text("Нужна кухня угловая, бюджет 300 000 руб, хотим до 15 марта"));
    ASSERT_NE(Find(p, "budget"), nullptr);
    EXPECT_EQ(Find(p, "budget")->params.at("amount"), "300 000 ₽");
    EXPECT_EQ(Find(p, "deadline")->params.at("when"), "до 15 марта");
    EXPECT_EQ(Find(p, "product")->params.at("product"), "кухня");

    const Priority k = ScorePriority(Text("Шкаф за 150к"));
    ASSERT_NE(Find(k, "budget"), nullptr);
    EXPECT_EQ(Find(k, "budget")->params.at("amount"), "150 000 ₽");
    const Priority d = ScorePriority(Text("kitchen for $5k"));
    EXPECT_EQ(Find(d, "budget")->params.at("amount"), "$5 000");
    const Priority l = ScorePriority(Text("Столешница, длина 3 метра"));
    EXPECT_EQ(Find(l, "quantity")->params.at("quantity"), "3 метра");
    EXPECT_EQ(Find(l, "product")->params.at("product"), "столешница") << "the longer stem wins over 'стол'";
}

TEST(Priority, RendersInRussianAndEnglish) {
    PriorityReason budget{"budget", 20, {{"amount", "300 000 ₽"}}};
    EXPECT_EQ(RenderReason(budget, core::Lang::kRu), "+20 указан бюджет: 300 000 ₽");
    EXPECT_EQ(RenderReason(budget, core::Lang::kEn), "+20 budget given: 300 000 ₽");
    PriorityReason vague{"vague", kPointsVague, {}};
    EXPECT_EQ(RenderReason(vague, core::Lang::kRu), "−15 общий вопрос без конкретики");
    EXPECT_EQ(RenderReason(PriorityReason{"phone", 10, {}}, core::Lang::kEn), "+10 phone number left");
    for (const char* code :
         {"product", "quantity", "budget", "deadline", "phone", "email", "inn", "company", "detailed", "vague"}) {
        PriorityReason r{code, 1, {}};
        EXPECT_NE(RenderReason(r, core::Lang::kRu), RenderReason(r, core::Lang::kEn)) << code;
        EXPECT_NE(RenderReason(r, core::Lang::kRu), std::string("+1 ") + code) << code;
    }
}

TEST(Priority, WorkspaceVocabularyReplacesTheDefault) {
    Vocabulary windows{{{"окн", "окна"}, {"окон", "окна"}, {"подоконник", "подоконник"}}};
    EXPECT_EQ(Find(ScorePriority(Text("Нужна кухня"), windows), "product"), nullptr);
    const Priority p = ScorePriority(Text("Пять окон в дом, нужны подоконники"), windows);
    ASSERT_NE(Find(p, "product"), nullptr);
    EXPECT_EQ(Find(p, "product")->params.at("product"), "окна");
    EXPECT_NE(Find(p, "quantity"), nullptr);
}

TEST(Priority, FoldsCyrillicCaseAndYo) {
    EXPECT_EQ(FoldText("ЁЛКА Шкаф KITCHEN"), "елка шкаф kitchen");
}

TEST(Priority, PositivePointsAddUpToHundred) {
    EXPECT_EQ(kPointsProduct + kPointsBudget + kPointsDeadline + kPointsQuantity + kPointsPhone + kPointsEmail +
                  kPointsInn + kPointsDetailed,
              100);
}

}  // namespace
}  // namespace otdel::leads
