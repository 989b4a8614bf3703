#include "events/outbox.hpp"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "db/prepared.hpp"

namespace otdel::events {
namespace {

constexpr const char* kInsertEvent =
    "INSERT INTO outbox (workspace_id, topic, payload, created_at) VALUES (:ws, :topic, :payload, :at) RETURNING id";
// Delivery is at-least-once; an event whose subscribers keep failing is retried on later passes (later events
// are not held back behind it) and given up after kMaxAttempts, logged as an error.
constexpr int kMaxAttempts = 10;
constexpr const char* kSelectPending =
    "SELECT workspace_id, id, topic, payload, attempts FROM outbox WHERE published_at IS NULL AND attempts < :max "
    "ORDER BY id LIMIT 200";
constexpr const char* kMarkPublished =
    "UPDATE outbox SET published_at = :at, attempts = attempts + 1 WHERE workspace_id = :ws AND id = :id";
constexpr const char* kMarkFailed = "UPDATE outbox SET attempts = attempts + 1 WHERE workspace_id = :ws AND id = :id";

// Enqueued inside other rooms' transactions (a notification of every routed lead): prepared once per connection.
struct InsertEvent {
    long long ws = 0, at = 0, id = 0;
    std::string topic, payload;
    soci::statement st;
    explicit InsertEvent(soci::session& sql)
        : st((sql.prepare << kInsertEvent, soci::use(ws, "ws"), soci::use(topic, "topic"),
              soci::use(payload, "payload"), soci::use(at, "at"), soci::into(id))) {}
    void Reset(soci::session& sql) { db::ResetStatement(sql, st); }
};

struct MarkStatements {
    long long ws = 0, id = 0, at = 0;
    soci::statement published, failed;
    explicit MarkStatements(soci::session& sql)
        : published((sql.prepare << kMarkPublished, soci::use(at, "at"), soci::use(ws, "ws"), soci::use(id, "id"))),
          failed((sql.prepare << kMarkFailed, soci::use(ws, "ws"), soci::use(id, "id"))) {}
    void Reset(soci::session& sql) {
        db::ResetStatement(sql, published);
        db::ResetStatement(sql, failed);
    }
};

}  // namespace

core::Id Enqueue(soci::session& sql, core::Id workspace_id, const std::string& topic, const boost::json::value& payload,
                 core::Millis at) {
    return db::WithPrepared<InsertEvent>(sql, [&](InsertEvent& q) {
        q.ws = workspace_id;
        q.at = at;
        q.topic = topic;
        q.payload = boost::json::serialize(payload);
        q.id = 0;
        q.st.execute(true);
        return static_cast<core::Id>(q.id);
    });
}

void OutboxDispatcher::Subscribe(const std::string& topic, Subscriber s) {
    std::lock_guard lock(mu_);
    subscribers_.emplace(topic, std::move(s));
}

void OutboxDispatcher::Start() {
    std::lock_guard lock(mu_);
    if (thread_.joinable()) return;
    stop_ = false;
    thread_ = std::thread([this] { Loop(); });
}

void OutboxDispatcher::Stop() {
    {
        std::lock_guard lock(mu_);
        stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void OutboxDispatcher::Kick() {
    {
        std::lock_guard lock(mu_);
        kicked_ = true;
    }
    cv_.notify_all();
}

void OutboxDispatcher::Loop() {
    for (;;) {
        {
            std::unique_lock lock(mu_);
            cv_.wait_for(lock, std::chrono::seconds(1), [&] { return kicked_ || stop_; });
            if (stop_) return;
            kicked_ = false;
        }
        try {
            while (DrainOnce() > 0) {
            }
        } catch (const std::exception& e) {
            spdlog::warn("outbox delivery failed: {}", e.what());
        }
    }
}

int OutboxDispatcher::DrainOnce() {
    std::lock_guard drain(drain_mu_);
    std::vector<OutboxEvent> batch;
    db_.Read([&](soci::session& sql) {
        long long ws = 0, id = 0;
        int attempts = 0, max = kMaxAttempts;
        std::string topic, payload;
        soci::statement st = (sql.prepare << kSelectPending, soci::into(ws), soci::into(id), soci::into(topic),
                              soci::into(payload), soci::into(attempts), soci::use(max, "max"));
        st.execute();
        while (st.fetch()) {
            boost::system::error_code ec;
            auto v = boost::json::parse(payload, ec);
            batch.push_back({ws, id, topic, ec ? boost::json::value() : v});
            attempts_[id] = attempts;
        }
        return 0;
    });
    if (batch.empty()) return 0;
    std::multimap<std::string, Subscriber> subs;
    {
        std::lock_guard lock(mu_);
        subs = subscribers_;
    }
    // Deliver first, then record every outcome in ONE transaction: one commit (one fsync on SQLite) per drained
    // batch instead of one per event, which competed with the intake writer for SQLite's single write lock. A crash
    // between delivering and recording redelivers the batch: delivery is at-least-once either way.
    std::vector<char> ok(batch.size(), 1);
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const auto& ev = batch[i];
        auto [b, e] = subs.equal_range(ev.topic);
        for (auto it = b; it != e; ++it) {
            try {
                it->second(ev);
            } catch (const std::exception& ex) {
                ok[i] = 0;
                spdlog::warn("outbox subscriber for {} failed on event {}: {}", ev.topic, ev.id, ex.what());
            }
        }
    }
    int delivered = 0;
    auto marked = db_.InTx([&](soci::session& sql) -> core::Result<void> {
        db::WithPrepared<MarkStatements>(sql, [&](MarkStatements& q) {
            q.at = clock_.NowMs();
            for (std::size_t i = 0; i < batch.size(); ++i) {
                q.ws = batch[i].workspace_id;
                q.id = batch[i].id;
                if (ok[i]) {
                    q.published.execute(true);
                    ++delivered;
                } else {
                    q.failed.execute(true);
                    if (attempts_[batch[i].id] + 1 >= kMaxAttempts)
                        spdlog::error("outbox event {} ({}) given up after {} failed deliveries", batch[i].id,
                                      batch[i].topic, kMaxAttempts);
                }
            }
        });
        return core::Ok();
    });
    (void)marked;
    attempts_.clear();
    return delivered;
}

}  // namespace otdel::events
