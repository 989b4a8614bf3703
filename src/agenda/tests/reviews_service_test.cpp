// Reviews (ACT-3) on both engines: the default checklist on first use and the workspace's own; the head reviews a
// seller's recorded call with weighted marks and comments at a second of the recording; the seller sees it ("my
// reviews") and is notified, a colleague does not; nobody reviews themself or someone outside their tree; a second
// review by the same head is a conflict; bad marks and moments change nothing; scores per person for the KPI room.
#include "agenda/tests/agenda_fixture.hpp"

namespace otdel::agenda {
namespace {

using testing::AgendaFixture;
using testing::kDay;

class ReviewsServiceTest : public AgendaFixture {
protected:
    std::vector<MarkInput> AllDone() {
        std::vector<MarkInput> out;
        auto crit = reviews_->Criteria(As(rop_), false);
        EXPECT_TRUE(crit.ok());
        for (const auto& c : *crit) out.push_back({c.id, 2});
        return out;
    }
};

TEST_P(ReviewsServiceTest, DefaultChecklistThenTheWorkspacesOwn) {
    auto first = reviews_->Criteria(As(seller_), false);
    ASSERT_TRUE(first.ok());
    ASSERT_EQ(first->size(), DefaultCriteria().size());
    EXPECT_EQ((*first)[0].code, "greeting");
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'review_criteria.default'"), 1);
    EXPECT_EQ(reviews_->Criteria(As(rop_), false)->size(), first->size());  // created once

    std::vector<Criterion> mine = *first;
    mine.erase(mine.begin() + 5);  // "tone" goes
    mine[0].weight = 15;
    Criterion c;
    c.code = "crm_updated";
    c.label_ru = "Записал итоги в карточку";
    c.label_en = "Logged the outcome in the card";
    c.weight = 5;
    mine.push_back(c);
    EXPECT_EQ(reviews_->PutCriteria(As(seller_), mine).error().code, core::ErrorCode::kForbidden);
    auto saved = reviews_->PutCriteria(As(rop_), mine);
    ASSERT_TRUE(saved.ok()) << saved.error().message_key;
    ASSERT_EQ(saved->size(), 6u);
    EXPECT_EQ((*saved)[0].weight, 15);
    EXPECT_EQ(saved->back().code, "crm_updated");
    EXPECT_EQ(reviews_->Criteria(As(rop_), true)->size(), 7u);  // the archived one stays for old reviews

    mine[1].weight = 500;
    auto bad = reviews_->PutCriteria(As(rop_), mine);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().fields.at(0).field, "items/1/weight");
    EXPECT_EQ((*reviews_->Criteria(As(rop_), false))[1].weight, (*first)[1].weight);
}

TEST_P(ReviewsServiceTest, TheHeadReviewsASellersRecordedCall) {
    const core::Id call = Call(seller_, Deal(seller_), 95, true);
    auto queue = reviews_->Queue(As(rop_), 14, 50);
    ASSERT_TRUE(queue.ok());
    ASSERT_EQ(queue->size(), 1u);
    EXPECT_EQ((*queue)[0].activity_id, call);
    EXPECT_TRUE((*queue)[0].has_recording);
    EXPECT_TRUE(reviews_->Queue(As(seller_), 14, 50)->empty());  // a seller reviews nobody

    auto crit = *reviews_->Criteria(As(rop_), false);
    ReviewInput in;
    in.activity_id = call;
    // greeting (10) done, needs (25) partly, presentation (20) not done, objections n/a, next_step (20) done, tone (5)
    // done: 10·2 + 25·1 + 0 + 20·2 + 5·2 = 95 of (10+25+20+20+5)·2 = 160 → 5938 bp.
    in.marks = std::vector<MarkInput>{{crit[0].id, 2}, {crit[1].id, 1}, {crit[2].id, 0}, {crit[3].id, std::nullopt},
                                      {crit[4].id, 2}, {crit[5].id, 2}};
    in.summary = "Хороший темп, но решение не предложено.";
    in.comments = {{12, "Здесь стоило спросить про сроки"}, {std::nullopt, "В целом неплохо"}};
    auto r = reviews_->Create(As(rop_), in);
    ASSERT_TRUE(r.ok()) << r.error().message_key << " " + Fields(r.error());
    EXPECT_EQ(r->score_bp, 5'938);
    EXPECT_EQ(r->reviewed_user_id, seller_);
    EXPECT_EQ(r->reviewer_user_id, rop_);
    EXPECT_EQ(r->call_duration_s, 95);
    EXPECT_TRUE(r->has_recording);
    ASSERT_EQ(r->marks.size(), 6u);
    EXPECT_EQ(r->marks[3].mark, std::nullopt);
    ASSERT_EQ(r->comments.size(), 2u);
    EXPECT_EQ(r->comments[0].at_second, 12);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'review.create'"), 1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM notifications WHERE kind = 'agenda.review_created' AND user_id = " +
                    std::to_string(seller_)),
              1);
    EXPECT_TRUE(reviews_->Queue(As(rop_), 14, 50)->empty());

    // The seller sees it among their reviews; a colleague does not see it at all.
    ReviewQuery mine;
    mine.reviewed_user_id = seller_;
    auto list = reviews_->List(As(seller_), mine);
    ASSERT_TRUE(list.ok());
    ASSERT_EQ(list->items.size(), 1u);
    EXPECT_EQ(list->items[0].score_bp, 5'938);
    EXPECT_TRUE(reviews_->Get(As(seller_), r->id).ok());
    EXPECT_EQ(reviews_->Get(As(colleague_), r->id).error().code, core::ErrorCode::kNotFound);
    EXPECT_TRUE(reviews_->List(As(colleague_), ReviewQuery{})->items.empty());

    // A comment later at 90 s; beyond the recording's 95 s it is refused and nothing is written.
    auto more = reviews_->AddComment(As(rop_), r->id, {90, "Следующий шаг назначен — отлично"});
    ASSERT_TRUE(more.ok());
    EXPECT_EQ(more->comments.size(), 3u);
    auto late = reviews_->AddComment(As(rop_), r->id, {96, "После конца записи"});
    ASSERT_FALSE(late.ok());
    EXPECT_EQ(late.error().fields.at(0).field, "at_second");
    EXPECT_EQ(late.error().fields.at(0).param, "0–95");
    EXPECT_EQ(Count("SELECT COUNT(*) FROM review_comments"), 3);
    EXPECT_EQ(reviews_->AddComment(As(seller_), r->id, {5, "Не согласен"}).error().message_key, "reviews.not_reviewer");

    // Edited: everything done → 100 %.
    ReviewInput edit;
    edit.marks = AllDone();
    auto edited = reviews_->Update(As(rop_), r->id, edit);
    ASSERT_TRUE(edited.ok());
    EXPECT_EQ(edited->score_bp, 10'000);
    EXPECT_EQ(edited->summary, "Хороший темп, но решение не предложено.");
}

TEST_P(ReviewsServiceTest, WhoMayNotReviewAndBadInputChangesNothing) {
    const core::Id call = Call(seller_, Deal(seller_), 60, true);
    ReviewInput in;
    in.activity_id = call;
    auto self = reviews_->Create(As(seller_), in);
    ASSERT_FALSE(self.ok());
    EXPECT_EQ(self.error().code, core::ErrorCode::kForbidden);
    EXPECT_EQ(self.error().message_key, "reviews.self");
    // Not even the head reviews their own call.
    ReviewInput own;
    own.activity_id = Call(rop_, Deal(rop_), 30, true);
    EXPECT_EQ(reviews_->Create(As(rop_), own).error().message_key, "reviews.self");
    // A seller has no review rights at all; and a colleague does not even see the call.
    EXPECT_EQ(reviews_->Create(As(colleague_), in).error().code, core::ErrorCode::kNotFound);
    // The analyst sees everything but reviews nobody.
    EXPECT_EQ(reviews_->Create(As(analyst_), in).error().message_key, "reviews.forbidden");

    in.marks = std::vector<MarkInput>{{999'999, 2}, {(*reviews_->Criteria(As(rop_), false))[0].id, 3}};
    auto bad = reviews_->Create(As(rop_), in);
    ASSERT_FALSE(bad.ok());
    ASSERT_EQ(bad.error().fields.size(), 2u);
    EXPECT_EQ(bad.error().fields[0].field, "marks/0/criterion_id");
    EXPECT_EQ(bad.error().fields[1].field, "marks/1/mark");
    in.marks.reset();
    in.comments = {{61, "За концом записи"}};
    EXPECT_EQ(reviews_->Create(As(rop_), in).error().fields.at(0).field, "comments/0/at_second");
    EXPECT_EQ(Count("SELECT COUNT(*) FROM reviews"), 0);

    const core::Id task = Task(seller_, Deal(seller_), clock_.NowMs() + kDay);
    ReviewInput of_task;
    of_task.activity_id = task;
    EXPECT_EQ(reviews_->Create(As(rop_), of_task).error().message_key, "reviews.wrong_kind");

    in.comments.clear();
    ASSERT_TRUE(reviews_->Create(As(rop_), in).ok());
    EXPECT_EQ(reviews_->Create(As(rop_), in).error().code, core::ErrorCode::kConflict);
}

TEST_P(ReviewsServiceTest, ScoresPerPersonAndPeriod) {
    const core::Id deal = Deal(seller_);
    const core::Id first = Call(seller_, deal, 30, true);
    clock_.Advance(2 * kDay);
    const core::Id second = Call(seller_, deal, 30, true);
    const core::Id theirs = Call(colleague_, Deal(colleague_), 30, true);
    auto crit = *reviews_->Criteria(As(rop_), false);
    auto review = [&](core::Id act, int mark) {
        ReviewInput in;
        in.activity_id = act;
        std::vector<MarkInput> marks;
        for (const auto& c : crit) marks.push_back({c.id, mark});
        in.marks = marks;
        ASSERT_TRUE(reviews_->Create(As(rop_), in).ok());
    };
    review(first, 2);   // 10000
    review(second, 1);  // 5000
    review(theirs, 0);  // 0
    const core::Millis start = leads::testing::kStart - kDay;
    auto scores = tdb_.db().Read(
        [&](soci::session& sql) { return ReviewsService::ScoresInTx(sql, ws_, {}, start, clock_.NowMs() + kDay); });
    ASSERT_EQ(scores.size(), 2u);
    const auto& s = scores[0].user_id == seller_ ? scores[0] : scores[1];
    const auto& c = scores[0].user_id == seller_ ? scores[1] : scores[0];
    EXPECT_EQ(s.reviews, 2);
    EXPECT_EQ(s.average_bp, 7'500);
    EXPECT_EQ(c.average_bp, 0);
    // Only the first day: one review.
    auto day_one = tdb_.db().Read(
        [&](soci::session& sql) { return ReviewsService::ScoresInTx(sql, ws_, {seller_}, start, start + 2 * kDay); });
    ASSERT_EQ(day_one.size(), 1u);
    EXPECT_EQ(day_one[0].average_bp, 10'000);

    // Over HTTP's service call: the seller gets their own row only; the head both.
    auto own = reviews_->Scores(As(seller_), "2026-03-01", "2026-03-10", std::nullopt);
    ASSERT_TRUE(own.ok());
    ASSERT_EQ(own->size(), 1u);
    EXPECT_EQ((*own)[0].user_id, seller_);
    EXPECT_EQ(reviews_->Scores(As(rop_), "2026-03-01", "2026-03-10", std::nullopt)->size(), 2u);
    EXPECT_EQ(reviews_->Scores(As(rop_), "2026-03-10", "2026-03-01", std::nullopt).error().fields.at(0).field, "to");
}

INSTANTIATE_TEST_SUITE_P(Engines, ReviewsServiceTest, ::testing::ValuesIn(otdel::testing::Engines()),
                         [](const auto& info) { return otdel::testing::EngineParamName(info.param); });

}  // namespace
}  // namespace otdel::agenda
