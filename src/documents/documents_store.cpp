#include "documents/documents_store.hpp"

#include <sodium.h>
#include <boost/json.hpp>

#include <stdexcept>

#include "core/ids.hpp"
#include "db/nullable.hpp"

namespace otdel::documents::store {
namespace {

using NullId = db::NullableId;
using NullText = db::NullableText;

// ---- files ----
constexpr const char* kInsertFile =
    "INSERT INTO document_files (workspace_id, content_type, size_bytes, sha256, content_b64, created_at) "
    "VALUES (:ws, :type, :size, :sha, :b64, :now) RETURNING id";
constexpr const char* kSelectFile =
    "SELECT content_type, size_bytes, sha256, content_b64 FROM document_files WHERE workspace_id = :ws AND id = :id";
constexpr const char* kDeleteFile = "DELETE FROM document_files WHERE workspace_id = :ws AND id = :id";

// ---- requisites ----
constexpr const char* kRequisiteColumns =
    "legal_name, inn, kpp, ogrn, address, bank_name, bik, account, corr_account, phone, email, website, "
    "signer_title, signer_name, logo_file_id, updated_at";
constexpr const char* kSelectRequisites = " FROM document_settings WHERE workspace_id = :ws";
constexpr const char* kEnsureSettingsRow =
    "INSERT INTO document_settings (workspace_id, updated_at) VALUES (:ws, :now) ON CONFLICT (workspace_id) DO NOTHING";
constexpr const char* kUpdateRequisites =
    "UPDATE document_settings SET legal_name = :legal_name, inn = :inn, kpp = :kpp, ogrn = :ogrn, address = :address, "
    "bank_name = :bank_name, bik = :bik, account = :account, corr_account = :corr, phone = :phone, email = :email, "
    "website = :website, signer_title = :signer_title, signer_name = :signer_name, updated_by = :by, "
    "updated_at = :now WHERE workspace_id = :ws";
constexpr const char* kSetLogo =
    "UPDATE document_settings SET logo_file_id = :file, updated_by = :by, updated_at = :now WHERE workspace_id = :ws";

// ---- templates ----
constexpr const char* kTemplateColumns =
    "id, name, intro_text, terms_text, validity_days, archived_at, created_by, created_at, updated_at";
constexpr const char* kListTemplates =
    " FROM proposal_templates WHERE workspace_id = :ws AND (archived_at IS NULL OR :all = 1) ORDER BY name, id";
constexpr const char* kSelectTemplate = " FROM proposal_templates WHERE workspace_id = :ws AND id = :id";
constexpr const char* kInsertTemplate =
    "INSERT INTO proposal_templates (workspace_id, name, intro_text, terms_text, validity_days, created_by, "
    "created_at, updated_at) VALUES (:ws, :name, :intro, :terms, :days, :by, :now, :now2) RETURNING id";
constexpr const char* kUpdateTemplate =
    "UPDATE proposal_templates SET name = :name, intro_text = :intro, terms_text = :terms, validity_days = :days, "
    "archived_at = :archived, updated_at = :now WHERE workspace_id = :ws AND id = :id";

// ---- deals ----
constexpr const char* kSelectDeal =
    "SELECT d.id, d.title, d.currency, d.status, d.amount_minor, d.owner_user_id, COALESCE(u.full_name, ''), "
    "COALESCE(u.email, ''), COALESCE(c.name, ''), COALESCE(c.inn, ''), COALESCE(p.full_name, ''), d.deleted_at "
    "FROM deals d "
    "LEFT JOIN users u ON u.workspace_id = d.workspace_id AND u.id = d.owner_user_id "
    "LEFT JOIN companies c ON c.workspace_id = d.workspace_id AND c.id = d.company_id "
    "LEFT JOIN contacts p ON p.workspace_id = d.workspace_id AND p.id = d.contact_id "
    "WHERE d.id = :id AND {visible}";

// ---- proposals ----
constexpr const char* kProposalColumns =
    "r.id, r.deal_id, r.version, r.template_id, r.title, r.intro_text, r.terms_text, r.valid_until, r.total_minor, "
    "r.currency, r.line_count, r.lines_source, r.status, r.sent_at, r.file_id, f.size_bytes, r.created_by, "
    "COALESCE(u.full_name, ''), r.created_at, r.updated_at";
constexpr const char* kProposalJoins =
    " FROM proposals r JOIN document_files f ON f.workspace_id = r.workspace_id AND f.id = r.file_id "
    "LEFT JOIN users u ON u.workspace_id = r.workspace_id AND u.id = r.created_by ";
constexpr const char* kProposalsOfDeal = "WHERE r.workspace_id = :ws AND r.deal_id = :deal ORDER BY r.version DESC";
constexpr const char* kSelectProposal =
    "JOIN deals d ON d.workspace_id = r.workspace_id AND d.id = r.deal_id WHERE r.id = :id AND {visible}";
constexpr const char* kNextVersion =
    "SELECT COALESCE(MAX(version), 0) + 1 FROM proposals WHERE workspace_id = :ws AND deal_id = :deal";
constexpr const char* kInsertProposal =
    "INSERT INTO proposals (workspace_id, deal_id, version, template_id, title, intro_text, terms_text, valid_until, "
    "total_minor, currency, line_count, lines_source, status, file_id, created_by, created_at, updated_at) VALUES "
    "(:ws, :deal, :version, :tpl, :title, :intro, :terms, :until, :total, :cur, :lines, :source, :status, :file, "
    ":by, :now, :now2) RETURNING id";
constexpr const char* kUpdateProposalStatus =
    "UPDATE proposals SET status = :status, sent_at = :sent, updated_at = :now WHERE id = :id AND EXISTS "
    "(SELECT 1 FROM deals d WHERE d.workspace_id = proposals.workspace_id AND d.id = proposals.deal_id "
    "AND {visible})";

// ---- contracts ----
constexpr const char* kContractColumns =
    "k.id, k.deal_id, k.kind, k.number, k.signed_on, k.valid_from, k.valid_to, k.terms, k.status, k.file_id, "
    "k.file_name, COALESCE(f.size_bytes, 0), COALESCE(f.content_type, ''), k.created_by, k.created_at, "
    "k.updated_at, k.deleted_at";
constexpr const char* kContractJoins =
    " FROM contracts k LEFT JOIN document_files f ON f.workspace_id = k.workspace_id AND f.id = k.file_id ";
constexpr const char* kContractsOfDeal =
    "WHERE k.workspace_id = :ws AND k.deal_id = :deal AND (k.deleted_at IS NULL OR :all = 1) ORDER BY k.id DESC";
constexpr const char* kSelectContract =
    "JOIN deals d ON d.workspace_id = k.workspace_id AND d.id = k.deal_id WHERE k.id = :id "
    "AND (k.deleted_at IS NULL OR :all = 1) AND {visible}";
constexpr const char* kInsertContract =
    "INSERT INTO contracts (workspace_id, deal_id, kind, number, signed_on, valid_from, valid_to, terms, status, "
    "created_by, created_at, updated_at) VALUES (:ws, :deal, :kind, :number, :signed, :from, :to, :terms, :status, "
    ":by, :now, :now2) RETURNING id";
constexpr const char* kUpdateContract =
    "UPDATE contracts SET kind = :kind, number = :number, signed_on = :signed, valid_from = :from, valid_to = :to, "
    "terms = :terms, status = :status, file_id = :file, file_name = :file_name, deleted_at = :deleted, "
    "updated_at = :now WHERE id = :id AND EXISTS (SELECT 1 FROM deals d WHERE d.workspace_id = contracts.workspace_id "
    "AND d.id = contracts.deal_id AND {visible})";
constexpr const char* kNumberTaken =
    "SELECT COUNT(*) FROM contracts WHERE workspace_id = :ws AND number = :number AND deleted_at IS NULL "
    "AND id <> :id";

std::string ToBase64(std::string_view bytes) {
    std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1);  // the terminating NUL
    return out;
}

std::string FromBase64(const std::string& b64) {
    std::string out(b64.size() / 4 * 3 + 3, '\0');
    std::size_t len = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), b64.data(), b64.size(), nullptr,
                          &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
        throw std::runtime_error("document_files: stored bytes are not valid base64");
    out.resize(len);
    return out;
}

std::optional<std::string> Opt(const NullText& t) {
    return t.ind == soci::i_ok ? std::optional<std::string>(t.v) : std::nullopt;
}

// The buffers of one proposal row, in kProposalColumns order.
struct ProposalRow {
    long long id = 0, deal = 0, version = 0, total = 0, lines = 0, file = 0, size = 0, created = 0, updated = 0;
    NullId tpl, sent, by;
    std::string title, intro, terms, until, currency, source, status, by_name;

    void Bind(soci::statement& st) {
        st.exchange(soci::into(id));
        st.exchange(soci::into(deal));
        st.exchange(soci::into(version));
        st.exchange(soci::into(tpl.v, tpl.ind));
        st.exchange(soci::into(title));
        st.exchange(soci::into(intro));
        st.exchange(soci::into(terms));
        st.exchange(soci::into(until));
        st.exchange(soci::into(total));
        st.exchange(soci::into(currency));
        st.exchange(soci::into(lines));
        st.exchange(soci::into(source));
        st.exchange(soci::into(status));
        st.exchange(soci::into(sent.v, sent.ind));
        st.exchange(soci::into(file));
        st.exchange(soci::into(size));
        st.exchange(soci::into(by.v, by.ind));
        st.exchange(soci::into(by_name));
        st.exchange(soci::into(created));
        st.exchange(soci::into(updated));
    }
    Proposal Get() const {
        Proposal p;
        p.id = id;
        p.deal_id = deal;
        p.version = static_cast<int>(version);
        p.template_id = tpl.get();
        p.title = title;
        p.intro_text = intro;
        p.terms_text = terms;
        p.valid_until = until;
        p.total_minor = total;
        p.currency = currency;
        p.line_count = static_cast<int>(lines);
        p.lines_source = source;
        p.status = status;
        p.sent_at = sent.get();
        p.file_id = file;
        p.file_size = size;
        p.created_by = by.get();
        p.created_by_name = by_name;
        p.created_at = created;
        p.updated_at = updated;
        return p;
    }
};

// The buffers of one contract row, in kContractColumns order.
struct ContractRow {
    long long id = 0, deal = 0, size = 0, created = 0, updated = 0;
    NullId file, by, deleted;
    NullText signed_on, from, to;
    std::string kind, number, terms, status, file_name, file_type;

    void Bind(soci::statement& st) {
        st.exchange(soci::into(id));
        st.exchange(soci::into(deal));
        st.exchange(soci::into(kind));
        st.exchange(soci::into(number));
        st.exchange(soci::into(signed_on.v, signed_on.ind));
        st.exchange(soci::into(from.v, from.ind));
        st.exchange(soci::into(to.v, to.ind));
        st.exchange(soci::into(terms));
        st.exchange(soci::into(status));
        st.exchange(soci::into(file.v, file.ind));
        st.exchange(soci::into(file_name));
        st.exchange(soci::into(size));
        st.exchange(soci::into(file_type));
        st.exchange(soci::into(by.v, by.ind));
        st.exchange(soci::into(created));
        st.exchange(soci::into(updated));
        st.exchange(soci::into(deleted.v, deleted.ind));
    }
    Contract Get() const {
        Contract c;
        c.id = id;
        c.deal_id = deal;
        c.kind = kind;
        c.number = number;
        c.signed_on = Opt(signed_on);
        c.valid_from = Opt(from);
        c.valid_to = Opt(to);
        c.terms = terms;
        c.status = status;
        c.file_id = file.get();
        c.file_name = file_name;
        c.file_size = size;
        c.file_type = file_type;
        c.created_by = by.get();
        c.created_at = created;
        c.updated_at = updated;
        c.deleted_at = deleted.get();
        return c;
    }
};

// The buffers of one template row, in kTemplateColumns order.
struct TemplateRow {
    long long id = 0, days = 0, created = 0, updated = 0;
    NullId archived, by;
    std::string name, intro, terms;

    void Bind(soci::statement& st) {
        st.exchange(soci::into(id));
        st.exchange(soci::into(name));
        st.exchange(soci::into(intro));
        st.exchange(soci::into(terms));
        st.exchange(soci::into(days));
        st.exchange(soci::into(archived.v, archived.ind));
        st.exchange(soci::into(by.v, by.ind));
        st.exchange(soci::into(created));
        st.exchange(soci::into(updated));
    }
    ProposalTemplate Get() const {
        ProposalTemplate t;
        t.id = id;
        t.name = name;
        t.intro_text = intro;
        t.terms_text = terms;
        t.validity_days = static_cast<int>(days);
        t.archived_at = archived.get();
        t.created_by = by.get();
        t.created_at = created;
        t.updated_at = updated;
        return t;
    }
};

// ---- e-mail templates and sends ----
constexpr const char* kSelectMailTemplates =
    "SELECT kind, lang, subject, body, updated_at FROM document_mail_templates WHERE workspace_id = :ws "
    "ORDER BY kind, lang";
constexpr const char* kUpsertMailTemplate =
    "INSERT INTO document_mail_templates (workspace_id, kind, lang, subject, body, updated_by, updated_at) VALUES "
    "(:ws, :kind, :lang, :subject, :body, :by, :now) ON CONFLICT (workspace_id, kind, lang) DO UPDATE SET "
    "subject = excluded.subject, body = excluded.body, updated_by = excluded.updated_by, "
    "updated_at = excluded.updated_at";
constexpr const char* kDeleteMailTemplate =
    "DELETE FROM document_mail_templates WHERE workspace_id = :ws AND kind = :kind AND lang = :lang";
constexpr const char* kInsertDocumentEmail =
    "INSERT INTO document_emails (workspace_id, deal_id, kind, proposal_id, invoice_id, to_list, cc_list, subject, "
    "body, lang, file_id, file_name, account_id, from_address, message_id, status, activity_id, created_by, "
    "created_at, updated_at) VALUES (:ws, :deal, :kind, :proposal, :invoice, :to, :cc, :subject, :body, :lang, :file, "
    ":file_name, :account, :from, :mid, :status, :activity, :by, :now, :now2) RETURNING id";
constexpr const char* kDocumentEmailColumns =
    "SELECT e.id, e.deal_id, e.kind, e.proposal_id, e.invoice_id, e.to_list, e.cc_list, e.subject, e.body, e.lang, "
    "e.file_id, e.file_name, e.account_id, e.from_address, e.message_id, e.status, e.attempts, e.last_error, "
    "e.activity_id, e.created_by, COALESCE(u.full_name, ''), e.created_at, e.updated_at, e.sent_at, "
    "COALESCE(f.size_bytes, 0) FROM document_emails e "
    "LEFT JOIN users u ON u.workspace_id = e.workspace_id AND u.id = e.created_by "
    "LEFT JOIN document_files f ON f.workspace_id = e.workspace_id AND f.id = e.file_id ";
constexpr const char* kSelectDocumentEmail = "WHERE e.workspace_id = :ws AND e.id = :id";
constexpr const char* kProposalEmails = "WHERE e.workspace_id = :ws AND e.proposal_id = :doc ORDER BY e.id DESC";
constexpr const char* kInvoiceEmails = "WHERE e.workspace_id = :ws AND e.invoice_id = :doc ORDER BY e.id DESC";
constexpr const char* kUpdateDocumentEmail =
    "UPDATE document_emails SET status = :status, attempts = :attempts, last_error = :error, activity_id = :activity, "
    "sent_at = :sent, updated_at = :now WHERE workspace_id = :ws AND id = :id";
constexpr const char* kMarkProposalSent =
    "UPDATE proposals SET status = 'sent', sent_at = :now, updated_at = :now2 WHERE workspace_id = :ws AND id = :id";

std::string AddressesJson(const std::vector<std::string>& list) {
    boost::json::array a;
    for (const auto& s : list) a.emplace_back(s);
    return boost::json::serialize(a);
}

std::vector<std::string> AddressesOf(const std::string& text) {
    std::vector<std::string> out;
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    if (ec || !v.is_array()) return out;
    for (const auto& x : v.as_array())
        if (x.is_string()) out.emplace_back(x.as_string());
    return out;
}

// The buffers of one send, in kDocumentEmailColumns order.
struct DocumentEmailRow {
    long long id = 0, deal = 0, file = 0, account = 0, attempts = 0, created = 0, updated = 0, size = 0;
    NullId proposal, invoice, activity, by, sent;
    NullText error;
    std::string kind, to, cc, subject, body, lang, file_name, from, mid, status, by_name;

    void Bind(soci::statement& st) {
        st.exchange(soci::into(id));
        st.exchange(soci::into(deal));
        st.exchange(soci::into(kind));
        st.exchange(soci::into(proposal.v, proposal.ind));
        st.exchange(soci::into(invoice.v, invoice.ind));
        st.exchange(soci::into(to));
        st.exchange(soci::into(cc));
        st.exchange(soci::into(subject));
        st.exchange(soci::into(body));
        st.exchange(soci::into(lang));
        st.exchange(soci::into(file));
        st.exchange(soci::into(file_name));
        st.exchange(soci::into(account));
        st.exchange(soci::into(from));
        st.exchange(soci::into(mid));
        st.exchange(soci::into(status));
        st.exchange(soci::into(attempts));
        st.exchange(soci::into(error.v, error.ind));
        st.exchange(soci::into(activity.v, activity.ind));
        st.exchange(soci::into(by.v, by.ind));
        st.exchange(soci::into(by_name));
        st.exchange(soci::into(created));
        st.exchange(soci::into(updated));
        st.exchange(soci::into(sent.v, sent.ind));
        st.exchange(soci::into(size));
    }
    DocumentEmail Get() const {
        DocumentEmail e;
        e.id = id;
        e.deal_id = deal;
        e.kind = kind;
        e.proposal_id = proposal.get();
        e.invoice_id = invoice.get();
        e.to = AddressesOf(to);
        e.cc = AddressesOf(cc);
        e.subject = subject;
        e.body = body;
        e.lang = lang;
        e.file_id = file;
        e.file_name = file_name;
        e.account_id = account;
        e.from_address = from;
        e.message_id = mid;
        e.status = status;
        e.attempts = static_cast<int>(attempts);
        e.last_error = Opt(error);
        e.activity_id = activity.get();
        e.created_by = by.get();
        e.created_by_name = by_name;
        e.created_at = created;
        e.updated_at = updated;
        e.sent_at = sent.get();
        e.file_size = size;
        return e;
    }
};

// Runs `text` with the row's buffers and the extra bindings `bind`, collecting every row.
template <class Row, class Out, class Bind>
std::vector<Out> Rows(soci::session& sql, const std::string& text, Bind bind) {
    Row row;
    soci::statement st(sql);
    row.Bind(st);
    bind(st);
    st.alloc();
    st.prepare(text);
    st.define_and_bind();
    std::vector<Out> out;
    if (st.execute(true)) {
        do out.push_back(row.Get());
        while (st.fetch());
    }
    return out;
}

}  // namespace

// ---- files ----

core::Id InsertFile(soci::session& sql, core::Id ws_id, const std::string& content_type, std::string_view bytes,
                    core::Millis now_ms) {
    long long ws = ws_id, size = static_cast<long long>(bytes.size()), now = now_ms, id = 0;
    std::string type = content_type, sha = core::Sha256Hex(std::string(bytes)), b64 = ToBase64(bytes);
    sql << kInsertFile, soci::use(ws, "ws"), soci::use(type, "type"), soci::use(size, "size"), soci::use(sha, "sha"),
        soci::use(b64, "b64"), soci::use(now, "now"), soci::into(id);
    return id;
}

std::optional<File> SelectFile(soci::session& sql, core::Id ws_id, core::Id file_id) {
    long long ws = ws_id, id = file_id, size = 0;
    File f;
    std::string b64;
    sql << kSelectFile, soci::use(ws, "ws"), soci::use(id, "id"), soci::into(f.content_type), soci::into(size),
        soci::into(f.sha256), soci::into(b64);
    if (!sql.got_data()) return std::nullopt;
    f.id = file_id;
    f.size_bytes = size;
    f.bytes = FromBase64(b64);
    return f;
}

void DeleteFile(soci::session& sql, core::Id ws_id, core::Id file_id) {
    long long ws = ws_id, id = file_id;
    sql << kDeleteFile, soci::use(ws, "ws"), soci::use(id, "id");
}

// ---- requisites ----

std::optional<Requisites> SelectRequisites(soci::session& sql, core::Id ws_id) {
    long long ws = ws_id, updated = 0;
    Requisites r;
    PdfRequisites& o = r.org;
    NullId logo;
    sql << std::string("SELECT ") + kRequisiteColumns + kSelectRequisites, soci::use(ws, "ws"),
        soci::into(o.legal_name), soci::into(o.inn), soci::into(o.kpp), soci::into(o.ogrn), soci::into(o.address),
        soci::into(o.bank_name), soci::into(o.bik), soci::into(o.account), soci::into(o.corr_account),
        soci::into(o.phone), soci::into(o.email), soci::into(o.website), soci::into(r.signer_title),
        soci::into(r.signer_name), soci::into(logo.v, logo.ind), soci::into(updated);
    if (!sql.got_data()) return std::nullopt;
    r.logo_file_id = logo.get();
    r.updated_at = updated;
    return r;
}

namespace {
void EnsureSettingsRow(soci::session& sql, long long ws, long long now) {
    sql << kEnsureSettingsRow, soci::use(ws, "ws"), soci::use(now, "now");
}
}  // namespace

void UpsertRequisites(soci::session& sql, core::Id ws_id, const Requisites& r, std::optional<core::Id> by_id,
                      core::Millis now_ms) {
    long long ws = ws_id, now = now_ms;
    EnsureSettingsRow(sql, ws, now);
    NullId by(by_id);
    PdfRequisites o = r.org;
    std::string signer_title = r.signer_title, signer_name = r.signer_name;
    sql << kUpdateRequisites, soci::use(o.legal_name, "legal_name"), soci::use(o.inn, "inn"), soci::use(o.kpp, "kpp"),
        soci::use(o.ogrn, "ogrn"), soci::use(o.address, "address"), soci::use(o.bank_name, "bank_name"),
        soci::use(o.bik, "bik"), soci::use(o.account, "account"), soci::use(o.corr_account, "corr"),
        soci::use(o.phone, "phone"), soci::use(o.email, "email"), soci::use(o.website, "website"),
        soci::use(signer_title, "signer_title"), soci::use(signer_name, "signer_name"), soci::use(by.v, by.ind, "by"),
        soci::use(now, "now"), soci::use(ws, "ws");
}

void SetLogo(soci::session& sql, core::Id ws_id, std::optional<core::Id> file_id, std::optional<core::Id> by_id,
             core::Millis now_ms) {
    long long ws = ws_id, now = now_ms;
    EnsureSettingsRow(sql, ws, now);
    NullId file(file_id), by(by_id);
    sql << kSetLogo, soci::use(file.v, file.ind, "file"), soci::use(by.v, by.ind, "by"), soci::use(now, "now"),
        soci::use(ws, "ws");
}

// ---- templates ----

std::vector<ProposalTemplate> ListTemplates(soci::session& sql, core::Id ws_id, bool include_archived) {
    long long ws = ws_id, all = include_archived ? 1 : 0;
    return Rows<TemplateRow, ProposalTemplate>(sql, std::string("SELECT ") + kTemplateColumns + kListTemplates,
                                               [&](soci::statement& st) {
                                                   st.exchange(soci::use(ws, "ws"));
                                                   st.exchange(soci::use(all, "all"));
                                               });
}

std::optional<ProposalTemplate> SelectTemplate(soci::session& sql, core::Id ws_id, core::Id template_id) {
    long long ws = ws_id, id = template_id;
    auto rows = Rows<TemplateRow, ProposalTemplate>(sql, std::string("SELECT ") + kTemplateColumns + kSelectTemplate,
                                                    [&](soci::statement& st) {
                                                        st.exchange(soci::use(ws, "ws"));
                                                        st.exchange(soci::use(id, "id"));
                                                    });
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

core::Id InsertTemplate(soci::session& sql, core::Id ws_id, const ProposalTemplate& t, core::Millis now_ms) {
    long long ws = ws_id, now = now_ms, days = t.validity_days, id = 0;
    NullId by(t.created_by);
    std::string name = t.name, intro = t.intro_text, terms = t.terms_text;
    sql << kInsertTemplate, soci::use(ws, "ws"), soci::use(name, "name"), soci::use(intro, "intro"),
        soci::use(terms, "terms"), soci::use(days, "days"), soci::use(by.v, by.ind, "by"), soci::use(now, "now"),
        soci::use(now, "now2"), soci::into(id);
    return id;
}

void UpdateTemplate(soci::session& sql, core::Id ws_id, const ProposalTemplate& t, core::Millis now_ms) {
    long long ws = ws_id, now = now_ms, days = t.validity_days, id = t.id;
    NullId archived(t.archived_at);
    std::string name = t.name, intro = t.intro_text, terms = t.terms_text;
    sql << kUpdateTemplate, soci::use(name, "name"), soci::use(intro, "intro"), soci::use(terms, "terms"),
        soci::use(days, "days"), soci::use(archived.v, archived.ind, "archived"), soci::use(now, "now"),
        soci::use(ws, "ws"), soci::use(id, "id");
}

// ---- deals ----

std::optional<DealFacts> SelectDeal(soci::session& sql, core::Id deal_id, const auth::Predicate& visible) {
    long long id = deal_id, amount = 0, found = 0;
    DealFacts d;
    NullId owner, deleted;
    sql << visible.Expand(kSelectDeal), soci::use(id, "id"), visible, soci::into(found), soci::into(d.title),
        soci::into(d.currency), soci::into(d.status), soci::into(amount), soci::into(owner.v, owner.ind),
        soci::into(d.owner_name), soci::into(d.owner_email), soci::into(d.company_name), soci::into(d.company_inn),
        soci::into(d.contact_name), soci::into(deleted.v, deleted.ind);
    if (!sql.got_data()) return std::nullopt;
    d.id = found;
    d.amount_minor = amount;
    d.owner_user_id = owner.get();
    d.deleted = deleted.get().has_value();
    return d;
}

// ---- proposals ----

std::vector<Proposal> ProposalsOfDeal(soci::session& sql, core::Id ws_id, core::Id deal_id) {
    long long ws = ws_id, deal = deal_id;
    return Rows<ProposalRow, Proposal>(
        sql, std::string("SELECT ") + kProposalColumns + kProposalJoins + kProposalsOfDeal, [&](soci::statement& st) {
            st.exchange(soci::use(ws, "ws"));
            st.exchange(soci::use(deal, "deal"));
        });
}

std::optional<Proposal> SelectProposal(soci::session& sql, core::Id proposal_id, const auth::Predicate& visible) {
    long long id = proposal_id;
    auto rows = Rows<ProposalRow, Proposal>(
        sql, visible.Expand(std::string("SELECT ") + kProposalColumns + kProposalJoins + kSelectProposal),
        [&](soci::statement& st) {
            st.exchange(soci::use(id, "id"));
            visible.BindTo(st);
        });
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

int NextProposalVersion(soci::session& sql, core::Id ws_id, core::Id deal_id) {
    long long ws = ws_id, deal = deal_id, next = 1;
    sql << kNextVersion, soci::use(ws, "ws"), soci::use(deal, "deal"), soci::into(next);
    return static_cast<int>(next);
}

core::Id InsertProposal(soci::session& sql, core::Id ws_id, const Proposal& p, core::Millis now_ms) {
    long long ws = ws_id, now = now_ms, deal = p.deal_id, version = p.version, total = p.total_minor,
              lines = p.line_count, file = p.file_id, id = 0;
    NullId tpl(p.template_id), by(p.created_by);
    std::string title = p.title, intro = p.intro_text, terms = p.terms_text, until = p.valid_until, cur = p.currency,
                source = p.lines_source, status = p.status;
    sql << kInsertProposal, soci::use(ws, "ws"), soci::use(deal, "deal"), soci::use(version, "version"),
        soci::use(tpl.v, tpl.ind, "tpl"), soci::use(title, "title"), soci::use(intro, "intro"),
        soci::use(terms, "terms"), soci::use(until, "until"), soci::use(total, "total"), soci::use(cur, "cur"),
        soci::use(lines, "lines"), soci::use(source, "source"), soci::use(status, "status"), soci::use(file, "file"),
        soci::use(by.v, by.ind, "by"), soci::use(now, "now"), soci::use(now, "now2"), soci::into(id);
    return id;
}

bool UpdateProposalStatus(soci::session& sql, const Proposal& p, core::Millis now_ms, const auth::Predicate& visible) {
    long long id = p.id, now = now_ms;
    NullId sent(p.sent_at);
    std::string status = p.status;
    soci::statement st = (sql.prepare << visible.Expand(kUpdateProposalStatus), soci::use(status, "status"),
                          soci::use(sent.v, sent.ind, "sent"), soci::use(now, "now"), soci::use(id, "id"), visible);
    st.execute(true);
    return st.get_affected_rows() > 0;
}

// ---- contracts ----

std::vector<Contract> ContractsOfDeal(soci::session& sql, core::Id ws_id, core::Id deal_id, bool include_deleted) {
    long long ws = ws_id, deal = deal_id, all = include_deleted ? 1 : 0;
    return Rows<ContractRow, Contract>(
        sql, std::string("SELECT ") + kContractColumns + kContractJoins + kContractsOfDeal, [&](soci::statement& st) {
            st.exchange(soci::use(ws, "ws"));
            st.exchange(soci::use(deal, "deal"));
            st.exchange(soci::use(all, "all"));
        });
}

std::optional<Contract> SelectContract(soci::session& sql, core::Id contract_id, const auth::Predicate& visible,
                                       bool include_deleted) {
    long long id = contract_id, all = include_deleted ? 1 : 0;
    auto rows = Rows<ContractRow, Contract>(
        sql, visible.Expand(std::string("SELECT ") + kContractColumns + kContractJoins + kSelectContract),
        [&](soci::statement& st) {
            st.exchange(soci::use(id, "id"));
            st.exchange(soci::use(all, "all"));
            visible.BindTo(st);
        });
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

core::Id InsertContract(soci::session& sql, core::Id ws_id, const Contract& c, core::Millis now_ms) {
    long long ws = ws_id, deal = c.deal_id, now = now_ms, id = 0;
    NullText signed_on(c.signed_on), from(c.valid_from), to(c.valid_to);
    NullId by(c.created_by);
    std::string kind = c.kind, number = c.number, terms = c.terms, status = c.status;
    sql << kInsertContract, soci::use(ws, "ws"), soci::use(deal, "deal"), soci::use(kind, "kind"),
        soci::use(number, "number"), soci::use(signed_on.v, signed_on.ind, "signed"),
        soci::use(from.v, from.ind, "from"), soci::use(to.v, to.ind, "to"), soci::use(terms, "terms"),
        soci::use(status, "status"), soci::use(by.v, by.ind, "by"), soci::use(now, "now"), soci::use(now, "now2"),
        soci::into(id);
    return id;
}

bool UpdateContract(soci::session& sql, const Contract& c, core::Millis now_ms, const auth::Predicate& visible) {
    long long id = c.id, now = now_ms;
    NullText signed_on(c.signed_on), from(c.valid_from), to(c.valid_to);
    NullId file(c.file_id), deleted(c.deleted_at);
    std::string kind = c.kind, number = c.number, terms = c.terms, status = c.status, file_name = c.file_name;
    soci::statement st =
        (sql.prepare << visible.Expand(kUpdateContract), soci::use(kind, "kind"), soci::use(number, "number"),
         soci::use(signed_on.v, signed_on.ind, "signed"), soci::use(from.v, from.ind, "from"),
         soci::use(to.v, to.ind, "to"), soci::use(terms, "terms"), soci::use(status, "status"),
         soci::use(file.v, file.ind, "file"), soci::use(file_name, "file_name"),
         soci::use(deleted.v, deleted.ind, "deleted"), soci::use(now, "now"), soci::use(id, "id"), visible);
    st.execute(true);
    return st.get_affected_rows() > 0;
}

bool ContractNumberTaken(soci::session& sql, core::Id ws_id, const std::string& number_in, core::Id except) {
    long long ws = ws_id, id = except, n = 0;
    std::string number = number_in;
    sql << kNumberTaken, soci::use(ws, "ws"), soci::use(number, "number"), soci::use(id, "id"), soci::into(n);
    return n > 0;
}

// ---- e-mail templates and sends ----

std::vector<MailTemplate> SelectMailTemplates(soci::session& sql, core::Id ws_id) {
    long long ws = ws_id, updated = 0;
    MailTemplate t;
    soci::statement st = (sql.prepare << kSelectMailTemplates, soci::use(ws, "ws"), soci::into(t.kind),
                          soci::into(t.lang), soci::into(t.subject), soci::into(t.body), soci::into(updated));
    std::vector<MailTemplate> out;
    if (st.execute(true)) do {
            t.custom = true;
            t.updated_at = updated;
            out.push_back(t);
        } while (st.fetch());
    return out;
}

void UpsertMailTemplate(soci::session& sql, core::Id ws_id, const MailTemplate& t, std::optional<core::Id> by_id,
                        core::Millis now_ms) {
    long long ws = ws_id, now = now_ms;
    NullId by(by_id);
    std::string kind = t.kind, lang = t.lang, subject = t.subject, body = t.body;
    sql << kUpsertMailTemplate, soci::use(ws, "ws"), soci::use(kind, "kind"), soci::use(lang, "lang"),
        soci::use(subject, "subject"), soci::use(body, "body"), soci::use(by.v, by.ind, "by"), soci::use(now, "now");
}

void DeleteMailTemplate(soci::session& sql, core::Id ws_id, const std::string& kind_in, const std::string& lang_in) {
    long long ws = ws_id;
    std::string kind = kind_in, lang = lang_in;
    sql << kDeleteMailTemplate, soci::use(ws, "ws"), soci::use(kind, "kind"), soci::use(lang, "lang");
}

core::Id InsertDocumentEmail(soci::session& sql, core::Id ws_id, const DocumentEmail& e, core::Millis now_ms) {
    long long ws = ws_id, deal = e.deal_id, file = e.file_id, account = e.account_id, now = now_ms, id = 0;
    NullId proposal(e.proposal_id), invoice(e.invoice_id), activity(e.activity_id), by(e.created_by);
    std::string kind = e.kind, to = AddressesJson(e.to), cc = AddressesJson(e.cc), subject = e.subject, body = e.body,
                lang = e.lang, file_name = e.file_name, from = e.from_address, mid = e.message_id, status = e.status;
    sql << kInsertDocumentEmail, soci::use(ws, "ws"), soci::use(deal, "deal"), soci::use(kind, "kind"),
        soci::use(proposal.v, proposal.ind, "proposal"), soci::use(invoice.v, invoice.ind, "invoice"),
        soci::use(to, "to"), soci::use(cc, "cc"), soci::use(subject, "subject"), soci::use(body, "body"),
        soci::use(lang, "lang"), soci::use(file, "file"), soci::use(file_name, "file_name"),
        soci::use(account, "account"), soci::use(from, "from"), soci::use(mid, "mid"), soci::use(status, "status"),
        soci::use(activity.v, activity.ind, "activity"), soci::use(by.v, by.ind, "by"), soci::use(now, "now"),
        soci::use(now, "now2"), soci::into(id);
    return id;
}

std::optional<DocumentEmail> SelectDocumentEmail(soci::session& sql, core::Id ws_id, core::Id email_id) {
    long long ws = ws_id, id = email_id;
    auto rows = Rows<DocumentEmailRow, DocumentEmail>(sql, std::string(kDocumentEmailColumns) + kSelectDocumentEmail,
                                                      [&](soci::statement& st) {
                                                          st.exchange(soci::use(ws, "ws"));
                                                          st.exchange(soci::use(id, "id"));
                                                      });
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

std::vector<DocumentEmail> DocumentEmailsOf(soci::session& sql, core::Id ws_id, const std::string& kind,
                                            core::Id doc_id) {
    long long ws = ws_id, doc = doc_id;
    return Rows<DocumentEmailRow, DocumentEmail>(
        sql, std::string(kDocumentEmailColumns) + (kind == "invoice" ? kInvoiceEmails : kProposalEmails),
        [&](soci::statement& st) {
            st.exchange(soci::use(ws, "ws"));
            st.exchange(soci::use(doc, "doc"));
        });
}

void UpdateDocumentEmail(soci::session& sql, core::Id ws_id, const DocumentEmail& e, core::Millis now_ms) {
    long long ws = ws_id, id = e.id, attempts = e.attempts, now = now_ms;
    NullText error(e.last_error);
    NullId activity(e.activity_id), sent(e.sent_at);
    std::string status = e.status;
    sql << kUpdateDocumentEmail, soci::use(status, "status"), soci::use(attempts, "attempts"),
        soci::use(error.v, error.ind, "error"), soci::use(activity.v, activity.ind, "activity"),
        soci::use(sent.v, sent.ind, "sent"), soci::use(now, "now"), soci::use(ws, "ws"), soci::use(id, "id");
}

void MarkProposalSent(soci::session& sql, core::Id ws_id, core::Id proposal_id, core::Millis now_ms) {
    long long ws = ws_id, id = proposal_id, now = now_ms;
    sql << kMarkProposalSent, soci::use(now, "now"), soci::use(now, "now2"), soci::use(ws, "ws"), soci::use(id, "id");
}

}  // namespace otdel::documents::store
