#include "reports/reports_drill_store.hpp"

#include "db/nullable.hpp"

namespace otdel::reports::store {
namespace {

constexpr const char* kPaymentRow =
    "SELECT p.id, d.id, d.title, COALESCE(i.number, ''), d.owner_user_id, COALESCE(u.full_name, ''), p.paid_on, "
    "p.amount_minor, p.currency FROM payments p JOIN invoices i ON i.workspace_id = p.workspace_id AND i.id = "
    "p.invoice_id JOIN deals d ON d.workspace_id = i.workspace_id AND d.id = i.deal_id LEFT JOIN users u ON "
    "u.workspace_id = d.workspace_id AND u.id = d.owner_user_id WHERE p.workspace_id = :ws AND p.id = :id";
constexpr const char* kResponseRow =
    "SELECT la.id, la.lead_id, l.title, l.channel, la.user_id, COALESCE(u.full_name, ''), la.assigned_at, "
    "la.deadline_at, la.breached_at, la.response_working_ms FROM lead_assignments la JOIN leads l ON l.workspace_id = "
    "la.workspace_id AND l.id = la.lead_id LEFT JOIN users u ON u.workspace_id = la.workspace_id AND u.id = "
    "la.user_id WHERE la.workspace_id = :ws AND la.id = :id";

}  // namespace

std::vector<PaymentRowOut> PaymentRows(soci::session& sql, core::Id ws_id, const std::vector<core::Id>& ids) {
    long long ws = ws_id, id = 0, out_id = 0, deal = 0, amount = 0;
    db::NullableId owner;
    PaymentRowOut r;
    soci::statement st =
        (sql.prepare << kPaymentRow, soci::use(ws, "ws"), soci::use(id, "id"), soci::into(out_id), soci::into(deal),
         soci::into(r.deal_title), soci::into(r.invoice_number), soci::into(owner.v, owner.ind),
         soci::into(r.owner_name), soci::into(r.paid_on), soci::into(amount), soci::into(r.currency));
    std::vector<PaymentRowOut> out;
    for (core::Id want : ids) {
        id = want;
        st.execute(true);
        if (!st.got_data()) continue;
        r.id = out_id;
        r.deal_id = deal;
        r.owner = owner.get();
        r.amount_minor = amount;
        out.push_back(r);
    }
    return out;
}

std::vector<ResponseRowOut> ResponseRows(soci::session& sql, core::Id ws_id, const std::vector<core::Id>& ids) {
    long long ws = ws_id, id = 0, out_id = 0, lead = 0, at = 0;
    db::NullableId owner, deadline, breached, response;
    ResponseRowOut r;
    soci::statement st =
        (sql.prepare << kResponseRow, soci::use(ws, "ws"), soci::use(id, "id"), soci::into(out_id), soci::into(lead),
         soci::into(r.lead_title), soci::into(r.channel), soci::into(owner.v, owner.ind), soci::into(r.owner_name),
         soci::into(at), soci::into(deadline.v, deadline.ind), soci::into(breached.v, breached.ind),
         soci::into(response.v, response.ind));
    std::vector<ResponseRowOut> out;
    for (core::Id want : ids) {
        id = want;
        st.execute(true);
        if (!st.got_data()) continue;
        r.id = out_id;
        r.lead_id = lead;
        r.owner = owner.get();
        r.assigned_at = at;
        r.deadline_at = deadline.get();
        r.breached_at = breached.get();
        r.response_ms = response.get();
        out.push_back(r);
    }
    return out;
}

}  // namespace otdel::reports::store
