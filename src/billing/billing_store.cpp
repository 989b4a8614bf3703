#include "billing/billing_store.hpp"

#include <array>

#include "db/nullable.hpp"
#include "leads/priority.hpp"

namespace otdel::billing::store {
namespace {

using NullId = db::NullableId;
using NullText = db::NullableText;

// ---- settings ----
constexpr const char* kSelectSettings =
    "SELECT number_prefix, number_digits, allow_overpayment, default_due_days FROM billing_settings "
    "WHERE workspace_id = :ws";
constexpr const char* kUpsertSettings =
    "INSERT INTO billing_settings (workspace_id, number_prefix, number_digits, allow_overpayment, default_due_days, "
    "updated_at) VALUES (:ws, :prefix, :digits, :over, :due, :now) ON CONFLICT (workspace_id) DO UPDATE SET "
    "number_prefix = excluded.number_prefix, number_digits = excluded.number_digits, "
    "allow_overpayment = excluded.allow_overpayment, default_due_days = excluded.default_due_days, "
    "updated_at = excluded.updated_at";
constexpr const char* kWorkspaceName = "SELECT name FROM workspaces WHERE id = :ws";

// ---- deals ----
constexpr const char* kSelectDeal =
    "SELECT d.id, d.title, d.currency, d.status, d.owner_user_id, d.company_id, d.contact_id, COALESCE(c.name, ''), "
    "COALESCE(c.inn, ''), COALESCE(p.full_name, ''), d.deleted_at FROM deals d "
    "LEFT JOIN companies c ON c.workspace_id = d.workspace_id AND c.id = d.company_id "
    "LEFT JOIN contacts p ON p.workspace_id = d.workspace_id AND p.id = d.contact_id "
    "WHERE d.id = :id AND {visible}";

// ---- invoices ----
constexpr const char* kEnsureCounter =
    "INSERT INTO invoice_counters (workspace_id, series, last_number) VALUES (:ws, :series, 0) "
    "ON CONFLICT (workspace_id, series) DO NOTHING";
constexpr const char* kBumpCounter =
    "UPDATE invoice_counters SET last_number = last_number + 1 WHERE workspace_id = :ws AND series = :series";
constexpr const char* kReadCounter =
    "SELECT last_number FROM invoice_counters WHERE workspace_id = :ws AND series = :series";

constexpr const char* kInvoiceColumns =
    "i.workspace_id, i.id, i.deal_id, i.number, i.series, i.seq, i.state, i.issue_date, i.due_date, "
    "i.next_due_date, i.currency, i.payment_form, i.vat_included, i.net_minor, i.vat_minor, i.total_minor, "
    "i.paid_minor, i.company_id, i.contact_id, i.payer_name, i.payer_inn, i.note, i.cancel_reason, i.issued_at, "
    "i.paid_at, i.cancelled_at, i.overdue_at, i.created_by, i.created_at, i.updated_at, d.title, d.owner_user_id, "
    "COALESCE(u.full_name, '')";
constexpr const char* kInvoiceFrom =
    " FROM invoices i JOIN deals d ON d.workspace_id = i.workspace_id AND d.id = i.deal_id "
    "LEFT JOIN users u ON u.workspace_id = d.workspace_id AND u.id = d.owner_user_id";

constexpr const char* kInsertInvoice =
    "INSERT INTO invoices (workspace_id, deal_id, number, series, seq, state, issue_date, due_date, next_due_date, "
    "currency, payment_form, vat_included, net_minor, vat_minor, total_minor, paid_minor, company_id, contact_id, "
    "payer_name, payer_inn, note, cancel_reason, search_text, issued_at, paid_at, cancelled_at, overdue_at, "
    "created_by, created_at, updated_at) VALUES (:ws, :deal, :number, :series, :seq, :state, :issue, :due, :next, "
    ":currency, :form, :vat_included, :net, :vat, :total, :paid, :company, :contact, :payer, :inn, :note, :reason, "
    ":search, :issued, :paid_at, :cancelled, :overdue, :by, :created, :updated) RETURNING id";
constexpr const char* kUpdateInvoice =
    "UPDATE invoices SET number = :number, series = :series, seq = :seq, state = :state, issue_date = :issue, "
    "due_date = :due, next_due_date = :next, currency = :currency, payment_form = :form, vat_included = "
    ":vat_included, net_minor = :net, vat_minor = :vat, total_minor = :total, paid_minor = :paid, company_id = "
    ":company, contact_id = :contact, payer_name = :payer, payer_inn = :inn, note = :note, cancel_reason = :reason, "
    "search_text = :search, issued_at = :issued, paid_at = :paid_at, cancelled_at = :cancelled, overdue_at = "
    ":overdue, updated_at = :updated WHERE workspace_id = :ws AND id = :id";

constexpr const char* kDeleteLines = "DELETE FROM invoice_lines WHERE workspace_id = :ws AND invoice_id = :inv";
constexpr const char* kInsertLine =
    "INSERT INTO invoice_lines (workspace_id, invoice_id, position, product_id, name, sku, unit, quantity_milli, "
    "unit_price_minor, discount_bp, vat_rate_bp, vat_minor, amount_minor) VALUES (:ws, :inv, :pos, :product, :name, "
    ":sku, :unit, :qty, :price, :disc, :rate, :vat, :amount)";
constexpr const char* kSelectLines =
    "SELECT product_id, name, sku, unit, quantity_milli, unit_price_minor, discount_bp, vat_rate_bp, vat_minor, "
    "amount_minor FROM invoice_lines WHERE workspace_id = :ws AND invoice_id = :inv ORDER BY position, id";

constexpr const char* kDeleteInstalments =
    "DELETE FROM invoice_instalments WHERE workspace_id = :ws AND invoice_id = :inv";
constexpr const char* kInsertInstalment =
    "INSERT INTO invoice_instalments (workspace_id, invoice_id, position, due_date, amount_minor, note, created_at) "
    "VALUES (:ws, :inv, :pos, :due, :amount, :note, :now) RETURNING id";
constexpr const char* kSelectInstalments =
    "SELECT id, due_date, amount_minor, note, overdue_at FROM invoice_instalments WHERE workspace_id = :ws "
    "AND invoice_id = :inv ORDER BY position, id";
constexpr const char* kSetInstalmentOverdue =
    "UPDATE invoice_instalments SET overdue_at = :at WHERE workspace_id = :ws AND id = :id";

constexpr const char* kDealInvoiceCounts =
    "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN state = 'issued' AND paid_minor >= total_minor THEN 1 ELSE 0 END), "
    "0) AS BIGINT) FROM invoices WHERE workspace_id = :ws AND deal_id = :deal AND state <> 'cancelled'";
constexpr const char* kMatchable =
    "SELECT i.id, i.number, i.payer_inn, i.total_minor - i.paid_minor FROM invoices i JOIN deals d ON "
    "d.workspace_id = i.workspace_id AND d.id = i.deal_id WHERE {visible} AND i.state = 'issued' "
    "AND i.number IS NOT NULL ORDER BY i.id";
constexpr const char* kOverdueByOwner =
    "SELECT d.owner_user_id, COALESCE(u.full_name, ''), e.department_id, COALESCE(dp.name, ''), i.currency, "
    "COUNT(*), CAST(SUM(i.total_minor - i.paid_minor) AS BIGINT) FROM invoices i JOIN deals d ON "
    "d.workspace_id = i.workspace_id AND d.id = i.deal_id LEFT JOIN users u ON u.workspace_id = d.workspace_id AND "
    "u.id = d.owner_user_id LEFT JOIN employees e ON e.workspace_id = d.workspace_id AND e.user_id = "
    "d.owner_user_id LEFT JOIN departments dp ON dp.workspace_id = e.workspace_id AND dp.id = e.department_id "
    "WHERE {visible} AND i.state = 'issued' AND i.paid_minor < i.total_minor AND i.next_due_date < :today "
    "GROUP BY d.owner_user_id, u.full_name, e.department_id, dp.name, i.currency ORDER BY 2, 1, 5";

// ---- payments ----
constexpr const char* kInsertPayment =
    "INSERT INTO payments (workspace_id, invoice_id, paid_on, amount_minor, currency, method, reference, payer_inn, "
    "note, source, bank_import_id, import_key, created_by, created_at) VALUES (:ws, :inv, :on, :amount, :currency, "
    ":method, :ref, :inn, :note, :source, :import, :key, :by, :now) RETURNING id";
constexpr const char* kPaymentColumns =
    "SELECT p.id, p.invoice_id, p.paid_on, p.amount_minor, p.currency, p.method, p.reference, p.payer_inn, p.note, "
    "p.source, p.bank_import_id, p.import_key, p.deleted_at, p.deleted_by, p.created_by, p.created_at, "
    "COALESCE(u.full_name, '') FROM payments p LEFT JOIN users u ON u.workspace_id = p.workspace_id AND "
    "u.id = p.created_by WHERE p.workspace_id = :ws ";
constexpr const char* kReversePayment =
    "UPDATE payments SET deleted_at = :at, deleted_by = :by WHERE workspace_id = :ws AND id = :id";
constexpr const char* kPaidSum =
    "SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM payments WHERE workspace_id = :ws AND "
    "invoice_id = :inv AND deleted_at IS NULL";
constexpr const char* kImportKeyTaken = "SELECT COUNT(*) FROM payments WHERE workspace_id = :ws AND import_key = :key";

// ---- bank imports ----
constexpr const char* kInsertBankImport =
    "INSERT INTO bank_imports (workspace_id, file_name, rows_total, matched, duplicates, unmatched, rejected, report, "
    "created_by, created_at) VALUES (:ws, :name, :rows, :matched, :dups, :unmatched, :rejected, :report, :by, :now) "
    "RETURNING id";
constexpr const char* kUpdateBankImport =
    "UPDATE bank_imports SET rows_total = :rows, matched = :matched, duplicates = :dups, unmatched = :unmatched, "
    "rejected = :rejected, report = :report WHERE workspace_id = :ws AND id = :id";
constexpr const char* kBankImportColumns =
    "SELECT b.id, b.file_name, b.rows_total, b.matched, b.duplicates, b.unmatched, b.rejected, b.created_by, "
    "COALESCE(u.full_name, ''), b.created_at";
constexpr const char* kBankImportFrom =
    " FROM bank_imports b LEFT JOIN users u ON u.workspace_id = b.workspace_id AND u.id = b.created_by "
    "WHERE b.workspace_id = :ws";

// ---- reminders ----
constexpr const char* kClientPoint =
    "SELECT value FROM contact_points WHERE workspace_id = :ws AND subject_type = :type AND subject_id = :id "
    "AND kind = :kind ORDER BY is_primary DESC, CASE WHEN label = 'mobile' THEN 0 ELSE 1 END, id LIMIT 1";
constexpr const char* kReminderColumns =
    "SELECT id, invoice_id, instalment_id, kind, channel, target, status, error, sent_at, created_at "
    "FROM billing_reminders WHERE workspace_id = :ws ";
constexpr const char* kInsertReminder =
    "INSERT INTO billing_reminders (workspace_id, invoice_id, instalment_id, kind, channel, target, status, "
    "created_at) VALUES (:ws, :inv, :inst, :kind, :channel, :target, 'pending', :now) "
    "ON CONFLICT (workspace_id, instalment_id, kind, channel) DO NOTHING";
constexpr const char* kMarkReminder =
    "UPDATE billing_reminders SET status = :status, error = :error, sent_at = :sent WHERE workspace_id = :ws "
    "AND id = :id";

std::optional<std::string> TextOf(const std::string& v, soci::indicator ind) {
    return ind == soci::i_ok ? std::optional<std::string>(v) : std::nullopt;
}
std::optional<core::Id> IdOf(long long v, soci::indicator ind) {
    return ind == soci::i_ok ? std::optional<core::Id>(v) : std::nullopt;
}

// Row buffers of kInvoiceColumns.
struct InvoiceInto {
    long long ws = 0, id = 0, deal = 0, seq = 0, vat_included = 0, net = 0, vat = 0, total = 0, paid = 0, company = 0,
              contact = 0, issued = 0, paid_at = 0, cancelled = 0, overdue = 0, by = 0, created = 0, updated = 0,
              owner = 0;
    std::string number, series, state, issue, due, next, currency, form, payer, inn, note, reason, title, owner_name;
    std::array<soci::indicator, 12> ind{};

    void Bind(soci::statement& st) {
        st.exchange(soci::into(ws));
        st.exchange(soci::into(id));
        st.exchange(soci::into(deal));
        st.exchange(soci::into(number, ind[0]));
        st.exchange(soci::into(series, ind[1]));
        st.exchange(soci::into(seq, ind[2]));
        st.exchange(soci::into(state));
        st.exchange(soci::into(issue));
        st.exchange(soci::into(due));
        st.exchange(soci::into(next));
        st.exchange(soci::into(currency));
        st.exchange(soci::into(form));
        st.exchange(soci::into(vat_included));
        st.exchange(soci::into(net));
        st.exchange(soci::into(vat));
        st.exchange(soci::into(total));
        st.exchange(soci::into(paid));
        st.exchange(soci::into(company, ind[3]));
        st.exchange(soci::into(contact, ind[4]));
        st.exchange(soci::into(payer));
        st.exchange(soci::into(inn));
        st.exchange(soci::into(note));
        st.exchange(soci::into(reason));
        st.exchange(soci::into(issued, ind[5]));
        st.exchange(soci::into(paid_at, ind[6]));
        st.exchange(soci::into(cancelled, ind[7]));
        st.exchange(soci::into(overdue, ind[8]));
        st.exchange(soci::into(by, ind[9]));
        st.exchange(soci::into(created));
        st.exchange(soci::into(updated));
        st.exchange(soci::into(title));
        st.exchange(soci::into(owner, ind[10]));
        st.exchange(soci::into(owner_name));
    }
    Invoice Take() const {
        Invoice i;
        i.workspace_id = ws;
        i.id = id;
        i.deal_id = deal;
        i.number = TextOf(number, ind[0]);
        i.series = TextOf(series, ind[1]);
        if (ind[2] == soci::i_ok) i.seq = seq;
        i.state = state;
        i.issue_date = issue;
        i.due_date = due;
        i.next_due_date = next;
        i.currency = currency;
        i.payment_form = form;
        i.vat_included = vat_included != 0;
        i.totals = {net, vat, total};
        i.paid_minor = paid;
        i.company_id = IdOf(company, ind[3]);
        i.contact_id = IdOf(contact, ind[4]);
        i.payer_name = payer;
        i.payer_inn = inn;
        i.note = note;
        i.cancel_reason = reason;
        i.issued_at = IdOf(issued, ind[5]);
        i.paid_at = IdOf(paid_at, ind[6]);
        i.cancelled_at = IdOf(cancelled, ind[7]);
        i.overdue_at = IdOf(overdue, ind[8]);
        i.created_by = IdOf(by, ind[9]);
        i.created_at = created;
        i.updated_at = updated;
        i.deal_title = title;
        i.owner_user_id = IdOf(owner, ind[10]);
        i.owner_name = owner_name;
        return i;
    }
};

// What the list's text filter matches: the number, the deal's title and the payer, case-folded.
std::string SearchTextOf(const Invoice& i);

// The buffers of an INSERT/UPDATE of an invoice.
struct InvoiceBinds {
    long long ws, deal, vat_included, net, vat, total, paid, created, updated, id;
    NullText number, series;
    NullId seq, company, contact, issued, paid_at, cancelled, overdue, by;
    std::string search;
    explicit InvoiceBinds(const Invoice& i)
        : ws(i.workspace_id),
          deal(i.deal_id),
          vat_included(i.vat_included ? 1 : 0),
          net(i.totals.net_minor),
          vat(i.totals.vat_minor),
          total(i.totals.total_minor),
          paid(i.paid_minor),
          created(i.created_at),
          updated(i.updated_at),
          id(i.id),
          number(i.number),
          series(i.series),
          seq(i.seq),
          company(i.company_id),
          contact(i.contact_id),
          issued(i.issued_at),
          paid_at(i.paid_at),
          cancelled(i.cancelled_at),
          overdue(i.overdue_at),
          by(i.created_by),
          search(SearchTextOf(i)) {}
};

std::string SearchTextOf(const Invoice& i) {
    return leads::FoldText(i.number.value_or("") + " " + i.deal_title + " " + i.payer_name + " " + i.payer_inn);
}

// The WHERE fragments of a list filter (fixed text; only which ones appear depends on the filter).
std::string FilterSql(const InvoiceFilter& f) {
    std::string text;
    if (f.deal_id) text += " AND i.deal_id = :f_deal";
    if (f.owner_user_id) text += " AND d.owner_user_id = :f_owner";
    if (f.department_id)
        text +=
            " AND EXISTS (SELECT 1 FROM employees e WHERE e.workspace_id = d.workspace_id AND e.user_id = "
            "d.owner_user_id AND e.department_id = :f_dept)";
    if (f.status) {
        const std::string& s = *f.status;
        constexpr const char* kUnpaid = " AND i.state = 'issued' AND i.paid_minor < i.total_minor";
        if (s == "draft" || s == "cancelled")
            text += s == "draft" ? " AND i.state = 'draft'" : " AND i.state = 'cancelled'";
        else if (s == "paid")
            text += " AND i.state = 'issued' AND i.paid_minor >= i.total_minor";
        else if (s == "unpaid")
            text += kUnpaid;
        else if (s == "overdue")
            text += std::string(kUnpaid) + " AND i.next_due_date < :f_today";
        else if (s == "partially_paid")
            text += std::string(kUnpaid) + " AND i.paid_minor > 0 AND i.next_due_date >= :f_today";
        else  // issued
            text += std::string(kUnpaid) + " AND i.paid_minor = 0 AND i.next_due_date >= :f_today";
    }
    if (f.q_folded) text += " AND i.search_text LIKE :f_q";
    return text;
}

bool UsesToday(const InvoiceFilter& f) {
    return f.status && (*f.status == "overdue" || *f.status == "partially_paid" || *f.status == "issued");
}

// Bound values of FilterSql's fragments; lives as long as the statement.
struct FilterBinds {
    long long deal = 0, owner = 0, dept = 0;
    std::string today, like;
    void Bind(soci::statement& st, const InvoiceFilter& f) {
        deal = f.deal_id.value_or(0);
        owner = f.owner_user_id.value_or(0);
        dept = f.department_id.value_or(0);
        today = f.today;
        if (f.deal_id) st.exchange(soci::use(deal, "f_deal"));
        if (f.owner_user_id) st.exchange(soci::use(owner, "f_owner"));
        if (f.department_id) st.exchange(soci::use(dept, "f_dept"));
        if (UsesToday(f)) st.exchange(soci::use(today, "f_today"));
        if (f.q_folded) {
            like = "%" + *f.q_folded + "%";
            st.exchange(soci::use(like, "f_q"));
        }
    }
};

std::vector<Invoice> RunInvoiceQuery(soci::statement& st, InvoiceInto& row) {
    st.define_and_bind();
    st.execute(false);
    std::vector<Invoice> out;
    while (st.fetch()) out.push_back(row.Take());
    return out;
}

// Row buffers of kPaymentColumns.
struct PaymentInto {
    long long id = 0, invoice = 0, amount = 0, import = 0, deleted = 0, deleted_by = 0, by = 0, created = 0;
    std::string on, currency, method, ref, inn, note, source, key, by_name;
    std::array<soci::indicator, 5> ind{};
    void Bind(soci::statement& st) {
        st.exchange(soci::into(id));
        st.exchange(soci::into(invoice));
        st.exchange(soci::into(on));
        st.exchange(soci::into(amount));
        st.exchange(soci::into(currency));
        st.exchange(soci::into(method));
        st.exchange(soci::into(ref));
        st.exchange(soci::into(inn));
        st.exchange(soci::into(note));
        st.exchange(soci::into(source));
        st.exchange(soci::into(import, ind[0]));
        st.exchange(soci::into(key, ind[1]));
        st.exchange(soci::into(deleted, ind[2]));
        st.exchange(soci::into(deleted_by, ind[3]));
        st.exchange(soci::into(by, ind[4]));
        st.exchange(soci::into(created));
        st.exchange(soci::into(by_name));
    }
    Payment Take(core::Id ws) const {
        Payment p;
        p.workspace_id = ws;
        p.id = id;
        p.invoice_id = invoice;
        p.paid_on = on;
        p.amount_minor = amount;
        p.currency = currency;
        p.method = method;
        p.reference = ref;
        p.payer_inn = inn;
        p.note = note;
        p.source = source;
        p.bank_import_id = IdOf(import, ind[0]);
        p.import_key = TextOf(key, ind[1]);
        p.deleted_at = IdOf(deleted, ind[2]);
        p.deleted_by = IdOf(deleted_by, ind[3]);
        p.created_by = IdOf(by, ind[4]);
        p.created_at = created;
        p.created_by_name = by_name;
        return p;
    }
};

std::vector<Payment> PaymentsWhere(soci::session& sql, core::Id ws_id, const std::string& where, const char* name,
                                   core::Id value) {
    long long ws = ws_id, v = value;
    PaymentInto row;
    soci::statement st(sql);
    st.alloc();
    st.prepare(std::string(kPaymentColumns) + where);
    row.Bind(st);
    st.exchange(soci::use(ws, "ws"));
    st.exchange(soci::use(v, name));
    st.define_and_bind();
    st.execute(false);
    std::vector<Payment> out;
    while (st.fetch()) out.push_back(row.Take(ws_id));
    return out;
}

struct ReminderInto {
    long long id = 0, invoice = 0, instalment = 0, sent = 0, created = 0;
    std::string kind, channel, target, status, error;
    soci::indicator sent_ind = soci::i_null;
    void Bind(soci::statement& st) {
        st.exchange(soci::into(id));
        st.exchange(soci::into(invoice));
        st.exchange(soci::into(instalment));
        st.exchange(soci::into(kind));
        st.exchange(soci::into(channel));
        st.exchange(soci::into(target));
        st.exchange(soci::into(status));
        st.exchange(soci::into(error));
        st.exchange(soci::into(sent, sent_ind));
        st.exchange(soci::into(created));
    }
    Reminder Take() const {
        return {id, invoice, instalment, kind, channel, target, status, error, IdOf(sent, sent_ind), created};
    }
};

}  // namespace

// ---- settings ----

Settings ReadSettings(soci::session& sql, core::Id ws_id) {
    long long ws = ws_id, digits = 6, over = 0, due = 5;
    std::string prefix;
    Settings s;
    sql << kSelectSettings, soci::use(ws, "ws"), soci::into(prefix), soci::into(digits), soci::into(over),
        soci::into(due);
    if (!sql.got_data()) return s;
    s.number_prefix = prefix;
    s.number_digits = static_cast<int>(digits);
    s.allow_overpayment = over != 0;
    s.default_due_days = static_cast<int>(due);
    return s;
}

void WriteSettings(soci::session& sql, core::Id ws_id, const Settings& s, core::Millis now_ms) {
    long long ws = ws_id, digits = s.number_digits, over = s.allow_overpayment ? 1 : 0, due = s.default_due_days,
              now = now_ms;
    sql << kUpsertSettings, soci::use(ws, "ws"), soci::use(s.number_prefix, "prefix"), soci::use(digits, "digits"),
        soci::use(over, "over"), soci::use(due, "due"), soci::use(now, "now");
}

std::string WorkspaceName(soci::session& sql, core::Id ws_id) {
    long long ws = ws_id;
    std::string name;
    sql << kWorkspaceName, soci::use(ws, "ws"), soci::into(name);
    return name;
}

// ---- deals ----

std::optional<DealRef> SelectDeal(soci::session& sql, core::Id id_in, const auth::Predicate& visible) {
    long long id = id_in, owner = 0, company = 0, contact = 0, deleted = 0;
    soci::indicator owner_ind = soci::i_null, company_ind = soci::i_null, contact_ind = soci::i_null,
                    deleted_ind = soci::i_null;
    DealRef d;
    sql << visible.Expand(kSelectDeal), soci::into(d.id), soci::into(d.title), soci::into(d.currency),
        soci::into(d.status), soci::into(owner, owner_ind), soci::into(company, company_ind),
        soci::into(contact, contact_ind), soci::into(d.company_name), soci::into(d.company_inn),
        soci::into(d.contact_name), soci::into(deleted, deleted_ind), soci::use(id, "id"), visible;
    if (!sql.got_data()) return std::nullopt;
    d.owner_user_id = IdOf(owner, owner_ind);
    d.company_id = IdOf(company, company_ind);
    d.contact_id = IdOf(contact, contact_ind);
    d.deleted = deleted_ind == soci::i_ok;
    return d;
}

// ---- invoices ----

std::int64_t TakeNumber(soci::session& sql, core::Id ws_id, const std::string& series) {
    long long ws = ws_id, last = 0;
    sql << kEnsureCounter, soci::use(ws, "ws"), soci::use(series, "series");
    sql << kBumpCounter, soci::use(ws, "ws"), soci::use(series, "series");
    sql << kReadCounter, soci::use(ws, "ws"), soci::use(series, "series"), soci::into(last);
    return last;
}

core::Id InsertInvoice(soci::session& sql, const Invoice& inv) {
    InvoiceBinds b(inv);
    long long id = 0;
    sql << kInsertInvoice, soci::use(b.ws, "ws"), soci::use(b.deal, "deal"),
        soci::use(b.number.v, b.number.ind, "number"), soci::use(b.series.v, b.series.ind, "series"),
        soci::use(b.seq.v, b.seq.ind, "seq"), soci::use(inv.state, "state"), soci::use(inv.issue_date, "issue"),
        soci::use(inv.due_date, "due"), soci::use(inv.next_due_date, "next"), soci::use(inv.currency, "currency"),
        soci::use(inv.payment_form, "form"), soci::use(b.vat_included, "vat_included"), soci::use(b.net, "net"),
        soci::use(b.vat, "vat"), soci::use(b.total, "total"), soci::use(b.paid, "paid"),
        soci::use(b.company.v, b.company.ind, "company"), soci::use(b.contact.v, b.contact.ind, "contact"),
        soci::use(inv.payer_name, "payer"), soci::use(inv.payer_inn, "inn"), soci::use(inv.note, "note"),
        soci::use(inv.cancel_reason, "reason"), soci::use(b.search, "search"),
        soci::use(b.issued.v, b.issued.ind, "issued"), soci::use(b.paid_at.v, b.paid_at.ind, "paid_at"),
        soci::use(b.cancelled.v, b.cancelled.ind, "cancelled"), soci::use(b.overdue.v, b.overdue.ind, "overdue"),
        soci::use(b.by.v, b.by.ind, "by"), soci::use(b.created, "created"), soci::use(b.updated, "updated"),
        soci::into(id);
    return id;
}

void UpdateInvoice(soci::session& sql, const Invoice& inv) {
    InvoiceBinds b(inv);
    sql << kUpdateInvoice, soci::use(b.number.v, b.number.ind, "number"), soci::use(b.series.v, b.series.ind, "series"),
        soci::use(b.seq.v, b.seq.ind, "seq"), soci::use(inv.state, "state"), soci::use(inv.issue_date, "issue"),
        soci::use(inv.due_date, "due"), soci::use(inv.next_due_date, "next"), soci::use(inv.currency, "currency"),
        soci::use(inv.payment_form, "form"), soci::use(b.vat_included, "vat_included"), soci::use(b.net, "net"),
        soci::use(b.vat, "vat"), soci::use(b.total, "total"), soci::use(b.paid, "paid"),
        soci::use(b.company.v, b.company.ind, "company"), soci::use(b.contact.v, b.contact.ind, "contact"),
        soci::use(inv.payer_name, "payer"), soci::use(inv.payer_inn, "inn"), soci::use(inv.note, "note"),
        soci::use(inv.cancel_reason, "reason"), soci::use(b.search, "search"),
        soci::use(b.issued.v, b.issued.ind, "issued"), soci::use(b.paid_at.v, b.paid_at.ind, "paid_at"),
        soci::use(b.cancelled.v, b.cancelled.ind, "cancelled"), soci::use(b.overdue.v, b.overdue.ind, "overdue"),
        soci::use(b.updated, "updated"), soci::use(b.ws, "ws"), soci::use(b.id, "id");
}

void ReplaceLines(soci::session& sql, core::Id ws_id, core::Id invoice_id, const std::vector<InvoiceLine>& lines) {
    long long ws = ws_id, inv = invoice_id;
    sql << kDeleteLines, soci::use(ws, "ws"), soci::use(inv, "inv");
    long long pos = 0;
    for (const auto& l : lines) {
        long long qty = l.quantity_milli, price = l.unit_price_minor, disc = l.discount_bp, vat = l.vat_minor,
                  amount = l.amount_minor;
        NullId product(l.product_id);
        NullId rate(l.vat_rate_bp ? std::optional<std::int64_t>(*l.vat_rate_bp) : std::nullopt);
        sql << kInsertLine, soci::use(ws, "ws"), soci::use(inv, "inv"), soci::use(pos, "pos"),
            soci::use(product.v, product.ind, "product"), soci::use(l.name, "name"), soci::use(l.sku, "sku"),
            soci::use(l.unit, "unit"), soci::use(qty, "qty"), soci::use(price, "price"), soci::use(disc, "disc"),
            soci::use(rate.v, rate.ind, "rate"), soci::use(vat, "vat"), soci::use(amount, "amount");
        ++pos;
    }
}

std::vector<InvoiceLine> SelectLines(soci::session& sql, core::Id ws_id, core::Id invoice_id) {
    long long ws = ws_id, inv = invoice_id, product = 0, qty = 0, price = 0, disc = 0, rate = 0, vat = 0, amount = 0;
    std::string name, sku, unit;
    soci::indicator product_ind = soci::i_null, rate_ind = soci::i_null;
    soci::statement st =
        (sql.prepare << kSelectLines, soci::into(product, product_ind), soci::into(name), soci::into(sku),
         soci::into(unit), soci::into(qty), soci::into(price), soci::into(disc), soci::into(rate, rate_ind),
         soci::into(vat), soci::into(amount), soci::use(ws, "ws"), soci::use(inv, "inv"));
    st.execute(false);
    std::vector<InvoiceLine> out;
    while (st.fetch()) {
        InvoiceLine l;
        l.product_id = IdOf(product, product_ind);
        l.name = name;
        l.sku = sku;
        l.unit = unit;
        l.quantity_milli = qty;
        l.unit_price_minor = price;
        l.discount_bp = static_cast<std::int32_t>(disc);
        if (rate_ind == soci::i_ok) l.vat_rate_bp = static_cast<std::int32_t>(rate);
        l.vat_minor = vat;
        l.amount_minor = amount;
        out.push_back(std::move(l));
    }
    return out;
}

void ReplaceInstalments(soci::session& sql, core::Id ws_id, core::Id invoice_id, std::vector<Instalment>& items,
                        core::Millis now_ms) {
    long long ws = ws_id, inv = invoice_id, now = now_ms;
    sql << kDeleteInstalments, soci::use(ws, "ws"), soci::use(inv, "inv");
    long long pos = 0;
    for (auto& it : items) {
        long long amount = it.amount_minor, id = 0;
        sql << kInsertInstalment, soci::use(ws, "ws"), soci::use(inv, "inv"), soci::use(pos, "pos"),
            soci::use(it.due_date, "due"), soci::use(amount, "amount"), soci::use(it.note, "note"),
            soci::use(now, "now"), soci::into(id);
        it.id = id;
        it.overdue_at.reset();
        ++pos;
    }
}

std::vector<Instalment> SelectInstalments(soci::session& sql, core::Id ws_id, core::Id invoice_id) {
    long long ws = ws_id, inv = invoice_id, id = 0, amount = 0, overdue = 0;
    std::string due, note;
    soci::indicator overdue_ind = soci::i_null;
    soci::statement st =
        (sql.prepare << kSelectInstalments, soci::into(id), soci::into(due), soci::into(amount), soci::into(note),
         soci::into(overdue, overdue_ind), soci::use(ws, "ws"), soci::use(inv, "inv"));
    st.execute(false);
    std::vector<Instalment> out;
    while (st.fetch()) {
        Instalment it;
        it.id = id;
        it.due_date = due;
        it.amount_minor = amount;
        it.note = note;
        it.overdue_at = IdOf(overdue, overdue_ind);
        out.push_back(std::move(it));
    }
    return out;
}

void SetInstalmentOverdue(soci::session& sql, core::Id ws_id, core::Id instalment_id, core::Millis at_ms) {
    long long ws = ws_id, id = instalment_id, at = at_ms;
    sql << kSetInstalmentOverdue, soci::use(at, "at"), soci::use(ws, "ws"), soci::use(id, "id");
}

std::vector<Invoice> ListInvoices(soci::session& sql, const InvoiceFilter& f, std::optional<core::Id> before_id,
                                  int limit, const auth::Predicate& visible) {
    std::string text = std::string("SELECT ") + kInvoiceColumns + kInvoiceFrom + " WHERE {visible}" + FilterSql(f);
    if (before_id) text += " AND i.id < :before";
    text += " ORDER BY i.id DESC LIMIT :lim";
    InvoiceInto row;
    FilterBinds binds;
    long long before = before_id.value_or(0), lim = limit;
    soci::statement st(sql);
    st.alloc();
    st.prepare(visible.Expand(text));
    row.Bind(st);
    visible.BindTo(st);
    binds.Bind(st, f);
    if (before_id) st.exchange(soci::use(before, "before"));
    st.exchange(soci::use(lim, "lim"));
    return RunInvoiceQuery(st, row);
}

std::optional<Invoice> SelectInvoice(soci::session& sql, core::Id id_in, const auth::Predicate& visible) {
    const std::string text =
        std::string("SELECT ") + kInvoiceColumns + kInvoiceFrom + " WHERE i.id = :id AND {visible}";
    InvoiceInto row;
    long long id = id_in;
    soci::statement st(sql);
    st.alloc();
    st.prepare(visible.Expand(text));
    row.Bind(st);
    st.exchange(soci::use(id, "id"));
    visible.BindTo(st);
    auto rows = RunInvoiceQuery(st, row);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
}

std::optional<Invoice> SelectInvoiceById(soci::session& sql, core::Id ws_id, core::Id id_in) {
    const std::string text =
        std::string("SELECT ") + kInvoiceColumns + kInvoiceFrom + " WHERE i.workspace_id = :ws AND i.id = :id";
    InvoiceInto row;
    long long ws = ws_id, id = id_in;
    soci::statement st(sql);
    st.alloc();
    st.prepare(text);
    row.Bind(st);
    st.exchange(soci::use(ws, "ws"));
    st.exchange(soci::use(id, "id"));
    auto rows = RunInvoiceQuery(st, row);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
}

std::pair<long long, long long> DealInvoiceCounts(soci::session& sql, core::Id ws_id, core::Id deal_id) {
    long long ws = ws_id, deal = deal_id, live = 0, paid = 0;
    sql << kDealInvoiceCounts, soci::use(ws, "ws"), soci::use(deal, "deal"), soci::into(live), soci::into(paid);
    return {live, paid};
}

std::vector<OpenInvoice> MatchableInvoices(soci::session& sql, const auth::Predicate& visible) {
    long long id = 0, owed = 0;
    std::string number, inn;
    soci::statement st = (sql.prepare << visible.Expand(kMatchable), soci::into(id), soci::into(number),
                          soci::into(inn), soci::into(owed), visible);
    st.execute(false);
    std::vector<OpenInvoice> out;
    while (st.fetch()) out.push_back({id, number, inn, owed > 0 ? owed : 0});
    return out;
}

std::vector<OverdueRow> OverdueByOwner(soci::session& sql, const std::string& today, const auth::Predicate& visible) {
    long long user = 0, dept = 0, count = 0, owed = 0;
    std::string name, dept_name, currency;
    soci::indicator user_ind = soci::i_null, dept_ind = soci::i_null;
    soci::statement st = (sql.prepare << visible.Expand(kOverdueByOwner), soci::into(user, user_ind), soci::into(name),
                          soci::into(dept, dept_ind), soci::into(dept_name), soci::into(currency), soci::into(count),
                          soci::into(owed), visible, soci::use(today, "today"));
    st.execute(false);
    std::vector<OverdueRow> out;
    while (st.fetch())
        out.push_back({IdOf(user, user_ind), name, IdOf(dept, dept_ind), dept_name, currency, count, owed});
    return out;
}

// ---- payments ----

core::Id InsertPayment(soci::session& sql, const Payment& p) {
    long long ws = p.workspace_id, inv = p.invoice_id, amount = p.amount_minor, now = p.created_at, id = 0;
    NullId import(p.bank_import_id), by(p.created_by);
    NullText key(p.import_key);
    sql << kInsertPayment, soci::use(ws, "ws"), soci::use(inv, "inv"), soci::use(p.paid_on, "on"),
        soci::use(amount, "amount"), soci::use(p.currency, "currency"), soci::use(p.method, "method"),
        soci::use(p.reference, "ref"), soci::use(p.payer_inn, "inn"), soci::use(p.note, "note"),
        soci::use(p.source, "source"), soci::use(import.v, import.ind, "import"), soci::use(key.v, key.ind, "key"),
        soci::use(by.v, by.ind, "by"), soci::use(now, "now"), soci::into(id);
    return id;
}

std::vector<Payment> SelectPayments(soci::session& sql, core::Id ws, core::Id invoice_id) {
    return PaymentsWhere(sql, ws, "AND p.invoice_id = :inv ORDER BY p.paid_on, p.id", "inv", invoice_id);
}

std::optional<Payment> SelectPayment(soci::session& sql, core::Id ws, core::Id id) {
    auto rows = PaymentsWhere(sql, ws, "AND p.id = :id", "id", id);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
}

void ReversePayment(soci::session& sql, core::Id ws_id, core::Id id_in, std::optional<core::Id> by_in,
                    core::Millis at_ms) {
    long long ws = ws_id, id = id_in, at = at_ms;
    NullId by(by_in);
    sql << kReversePayment, soci::use(at, "at"), soci::use(by.v, by.ind, "by"), soci::use(ws, "ws"),
        soci::use(id, "id");
}

std::int64_t PaidSum(soci::session& sql, core::Id ws_id, core::Id invoice_id) {
    long long ws = ws_id, inv = invoice_id, sum = 0;
    sql << kPaidSum, soci::use(ws, "ws"), soci::use(inv, "inv"), soci::into(sum);
    return sum;
}

bool ImportKeyTaken(soci::session& sql, core::Id ws_id, const std::string& key) {
    long long ws = ws_id, n = 0;
    sql << kImportKeyTaken, soci::use(ws, "ws"), soci::use(key, "key"), soci::into(n);
    return n > 0;
}

// ---- bank imports ----

core::Id InsertBankImport(soci::session& sql, core::Id ws_id, const BankImport& b) {
    long long ws = ws_id, rows = b.rows_total, matched = b.matched, dups = b.duplicates, unmatched = b.unmatched,
              rejected = b.rejected, now = b.created_at, id = 0;
    NullId by(b.created_by);
    sql << kInsertBankImport, soci::use(ws, "ws"), soci::use(b.file_name, "name"), soci::use(rows, "rows"),
        soci::use(matched, "matched"), soci::use(dups, "dups"), soci::use(unmatched, "unmatched"),
        soci::use(rejected, "rejected"), soci::use(b.report, "report"), soci::use(by.v, by.ind, "by"),
        soci::use(now, "now"), soci::into(id);
    return id;
}

void UpdateBankImport(soci::session& sql, core::Id ws_id, const BankImport& b) {
    long long ws = ws_id, id = b.id, rows = b.rows_total, matched = b.matched, dups = b.duplicates,
              unmatched = b.unmatched, rejected = b.rejected;
    sql << kUpdateBankImport, soci::use(rows, "rows"), soci::use(matched, "matched"), soci::use(dups, "dups"),
        soci::use(unmatched, "unmatched"), soci::use(rejected, "rejected"), soci::use(b.report, "report"),
        soci::use(ws, "ws"), soci::use(id, "id");
}

namespace {

struct BankImportInto {
    long long id = 0, rows = 0, matched = 0, dups = 0, unmatched = 0, rejected = 0, by = 0, created = 0;
    std::string name, by_name;
    soci::indicator by_ind = soci::i_null;
    void Bind(soci::statement& st) {
        st.exchange(soci::into(id));
        st.exchange(soci::into(name));
        st.exchange(soci::into(rows));
        st.exchange(soci::into(matched));
        st.exchange(soci::into(dups));
        st.exchange(soci::into(unmatched));
        st.exchange(soci::into(rejected));
        st.exchange(soci::into(by, by_ind));
        st.exchange(soci::into(by_name));
        st.exchange(soci::into(created));
    }
    BankImport Take() const {
        BankImport b;
        b.id = id;
        b.file_name = name;
        b.rows_total = rows;
        b.matched = matched;
        b.duplicates = dups;
        b.unmatched = unmatched;
        b.rejected = rejected;
        b.created_by = IdOf(by, by_ind);
        b.created_by_name = by_name;
        b.created_at = created;
        return b;
    }
};

}  // namespace

std::optional<BankImport> SelectBankImport(soci::session& sql, core::Id ws_id, core::Id id_in) {
    long long ws = ws_id, id = id_in;
    BankImportInto row;
    std::string report;
    soci::statement st(sql);
    st.alloc();
    st.prepare(std::string(kBankImportColumns) + ", CAST(b.report AS TEXT)" + kBankImportFrom + " AND b.id = :id");
    row.Bind(st);
    st.exchange(soci::into(report));
    st.exchange(soci::use(ws, "ws"));
    st.exchange(soci::use(id, "id"));
    st.define_and_bind();
    st.execute(false);
    if (!st.fetch()) return std::nullopt;
    BankImport b = row.Take();
    b.report = report;
    return b;
}

std::vector<BankImport> ListBankImports(soci::session& sql, core::Id ws_id, std::optional<core::Id> before_id,
                                        int limit) {
    long long ws = ws_id, before = before_id.value_or(0), lim = limit;
    BankImportInto row;
    soci::statement st(sql);
    st.alloc();
    st.prepare(std::string(kBankImportColumns) + kBankImportFrom + (before_id ? " AND b.id < :before" : "") +
               " ORDER BY b.id DESC LIMIT :lim");
    row.Bind(st);
    st.exchange(soci::use(ws, "ws"));
    if (before_id) st.exchange(soci::use(before, "before"));
    st.exchange(soci::use(lim, "lim"));
    st.define_and_bind();
    st.execute(false);
    std::vector<BankImport> out;
    while (st.fetch()) out.push_back(row.Take());
    return out;
}

// ---- reminders ----

std::optional<std::string> ClientPoint(soci::session& sql, core::Id ws_id, std::optional<core::Id> contact_id,
                                       std::optional<core::Id> company_id, const std::string& kind) {
    long long ws = ws_id;
    for (const auto& [type, id_opt] : {std::pair<std::string, std::optional<core::Id>>{"contact", contact_id},
                                       std::pair<std::string, std::optional<core::Id>>{"company", company_id}}) {
        if (!id_opt) continue;
        long long id = *id_opt;
        std::string value;
        sql << kClientPoint, soci::use(ws, "ws"), soci::use(type, "type"), soci::use(id, "id"), soci::use(kind, "kind"),
            soci::into(value);
        if (sql.got_data() && !value.empty()) return value;
    }
    return std::nullopt;
}

Reminder ClaimReminder(soci::session& sql, core::Id ws_id, core::Id invoice_id, core::Id instalment_id,
                       const std::string& kind, const std::string& channel, const std::string& target,
                       core::Millis now_ms) {
    long long ws = ws_id, inv = invoice_id, inst = instalment_id, now = now_ms;
    sql << kInsertReminder, soci::use(ws, "ws"), soci::use(inv, "inv"), soci::use(inst, "inst"),
        soci::use(kind, "kind"), soci::use(channel, "channel"), soci::use(target, "target"), soci::use(now, "now");
    ReminderInto row;
    soci::statement st(sql);
    st.alloc();
    st.prepare(std::string(kReminderColumns) + "AND instalment_id = :inst AND kind = :kind AND channel = :channel");
    row.Bind(st);
    st.exchange(soci::use(ws, "ws"));
    st.exchange(soci::use(inst, "inst"));
    st.exchange(soci::use(kind, "kind"));
    st.exchange(soci::use(channel, "channel"));
    st.define_and_bind();
    st.execute(false);
    st.fetch();
    return row.Take();
}

void MarkReminder(soci::session& sql, core::Id ws_id, core::Id id_in, const std::string& status,
                  const std::string& error, std::optional<core::Millis> sent_at) {
    long long ws = ws_id, id = id_in;
    NullId sent(sent_at);
    sql << kMarkReminder, soci::use(status, "status"), soci::use(error, "error"), soci::use(sent.v, sent.ind, "sent"),
        soci::use(ws, "ws"), soci::use(id, "id");
}

std::vector<Reminder> SelectReminders(soci::session& sql, core::Id ws_id, core::Id invoice_id) {
    long long ws = ws_id, inv = invoice_id;
    ReminderInto row;
    soci::statement st(sql);
    st.alloc();
    st.prepare(std::string(kReminderColumns) + "AND invoice_id = :inv ORDER BY created_at, id");
    row.Bind(st);
    st.exchange(soci::use(ws, "ws"));
    st.exchange(soci::use(inv, "inv"));
    st.define_and_bind();
    st.execute(false);
    std::vector<Reminder> out;
    while (st.fetch()) out.push_back(row.Take());
    return out;
}

}  // namespace otdel::billing::store
