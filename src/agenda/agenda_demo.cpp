#include "agenda/agenda_demo.hpp"

#include <spdlog/spdlog.h>

#include <map>
#include <string>
#include <vector>

#include "activities/activities_service.hpp"
#include "agenda/reviews_service.hpp"
#include "agenda/wav.hpp"

namespace otdel::agenda {
namespace {

constexpr const char* kHead = "rop@otdel.demo";
const char* const kSellers[] = {"sales@otdel.demo", "designer@otdel.demo", "designer2@otdel.demo"};
constexpr int kMaxSeconds = 150;

constexpr const char* kUserByEmail = "SELECT id FROM users WHERE workspace_id = :ws AND email = :email";
constexpr const char* kReviews = "SELECT COUNT(*) FROM reviews WHERE workspace_id = :ws";
// Answered calls short enough for a demo recording, the person's newest first.
constexpr const char* kCalls =
    "SELECT id, call_duration_s FROM activities WHERE workspace_id = :ws AND owner_user_id = :uid AND kind = 'call' "
    "AND call_outcome = 'answered' AND deleted_at IS NULL AND recording_file_id IS NULL "
    "AND call_duration_s BETWEEN 20 AND :max ORDER BY at DESC, id DESC LIMIT 3";
constexpr const char* kDealOf =
    "SELECT id FROM deals WHERE workspace_id = :ws AND owner_user_id = :uid AND deleted_at IS NULL ORDER BY id LIMIT 1";
using core::kHour;

// Calls the demo adds when a seller has fewer answered ones than it needs (the activities seed writes today's calls
// only once their time has come, so early in the morning there are none yet).
struct DemoCall {
    core::Millis ago;
    int seconds;
    const char* subject;
    const char* note;
};
const DemoCall kCallsToAdd[] = {
    {50 * kHour, 110, "Звонок: обсуждение проекта кухни", "Клиент выбирает между эмалью и шпоном, просит смету."},
    {26 * kHour, 48, "Звонок: подтверждение замера", "Договорились о замере на четверг, 10:00."},
    {3 * kHour, 75, "Звонок: вопросы по договору", "Клиент уточнял график платежей и сроки изготовления."},
};

core::Actor As(core::Id ws, core::Id uid) {
    return core::Actor::SignedIn(core::ActorKind::kUser, ws, uid, false, core::Lang::kRu, "seed-demo", "", "");
}

struct Comment {
    int at_second;
    const char* body;
};
struct DemoReview {
    int marks[6];  // greeting, needs, presentation, objections, next_step, tone (-1: not applicable)
    const char* summary;
    std::vector<Comment> comments;
};

const DemoReview kDemo[] = {
    {{2, 1, 2, -1, 2, 2},
     "Хороший звонок: быстро перешли к делу и договорились о замере. Потребность раскрыта не до конца — не спросили "
     "про бюджет.",
     {{4, "Отличное начало: представилась и назвала компанию."},
      {15, "Здесь стоило спросить про бюджет и сроки."},
      {40, "Следующий шаг с датой — именно так."}}},
    {{2, 0, 1, 1, 0, 2},
     "Клиент был готов к встрече, но следующий шаг не назначен. Разберём на планёрке, как закрывать на замер.",
     {{8, "Открытые вопросы — хорошо."}, {30, "Возражение про цену обошли, а не отработали."}}},
};

}  // namespace

int SeedDemoAgenda(db::Database& db, const core::Clock& clock, core::Id ws) {
    std::map<std::string, core::Id> users;
    long long existing = 0;
    db.Read([&](soci::session& sql) {
        long long w = ws;
        sql << kReviews, soci::use(w, "ws"), soci::into(existing);
        for (const char* email : {kHead, kSellers[0], kSellers[1], kSellers[2]}) {
            long long id = 0;
            std::string e = email;
            sql << kUserByEmail, soci::use(w, "ws"), soci::use(e, "email"), soci::into(id);
            if (sql.got_data()) users[email] = id;
        }
        return 0;
    });
    if (existing > 0 || !users.count(kHead)) return 0;

    activities::ActivitiesService activities(db, clock);
    ReviewsService reviews(db, clock, activities);
    auto criteria = reviews.Criteria(As(ws, users[kHead]), false);
    if (!criteria) return 0;

    int written = 0;
    std::size_t demo = 0;
    for (const char* email : kSellers) {
        if (!users.count(email)) continue;
        const core::Id uid = users[email];
        std::vector<std::pair<core::Id, int>> calls;
        db.Read([&](soci::session& sql) {
            long long w = ws, u = uid, max = kMaxSeconds, id = 0, seconds = 0;
            soci::statement st = (sql.prepare << kCalls, soci::into(id), soci::into(seconds), soci::use(w, "ws"),
                                  soci::use(u, "uid"), soci::use(max, "max"));
            st.execute();
            while (st.fetch()) calls.emplace_back(id, static_cast<int>(seconds));
            return 0;
        });
        if (calls.size() < std::size(kCallsToAdd)) {
            long long deal = 0;
            db.Read([&](soci::session& sql) {
                long long w = ws, u = uid;
                sql << kDealOf, soci::use(w, "ws"), soci::use(u, "uid"), soci::into(deal);
                return 0;
            });
            for (std::size_t k = calls.size(); deal && k < std::size(kCallsToAdd); ++k) {
                const DemoCall& c = kCallsToAdd[k];
                activities::ActivityInput in;
                in.kind = "call";
                in.record_type = "deal";
                in.record_id = deal;
                in.subject = c.subject;
                in.body = c.note;
                in.direction = "out";
                in.outcome = "answered";
                in.duration_s = c.seconds;
                in.phone = "+79165550123";
                in.at = clock.NowMs() - c.ago;
                auto made = activities.Create(As(ws, uid), in);
                if (made) calls.insert(calls.begin(), {made->id, c.seconds});
            }
        }
        // Every call gets its recording; all but the newest are reviewed (the newest waits in the head's queue).
        for (std::size_t i = 0; i < calls.size(); ++i) {
            const auto [call, seconds] = calls[i];
            auto up = activities.UploadRecording(As(ws, uid), call, "call-" + std::to_string(call) + ".wav",
                                                 MakeDemoWav(seconds));
            if (!up) {
                spdlog::warn("demo: recording of call {} not stored: {}", call, up.error().message_key);
                continue;
            }
            if (i == 0 || demo >= std::size(kDemo)) continue;
            const DemoReview& d = kDemo[demo++];
            ReviewInput in;
            in.activity_id = call;
            std::vector<MarkInput> marks;
            for (std::size_t k = 0; k < criteria->size() && k < 6; ++k)
                marks.push_back({(*criteria)[k].id, d.marks[k] < 0 ? std::nullopt : std::optional<int>(d.marks[k])});
            in.marks = marks;
            in.summary = d.summary;
            for (const auto& c : d.comments)
                if (c.at_second <= seconds) in.comments.push_back({c.at_second, c.body});
            auto r = reviews.Create(As(ws, users[kHead]), in);
            if (r) {
                ++written;
            } else {
                spdlog::warn("demo: review of call {} not written: {}", call, r.error().message_key);
            }
        }
    }
    return written;
}

}  // namespace otdel::agenda
