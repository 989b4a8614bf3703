#include "documents/documents_demo.hpp"

#include <cairo.h>

#include <stdexcept>

#include "core/messages.hpp"
#include "documents/documents_service.hpp"
#include "org/work_calendar.hpp"

namespace otdel::documents {
namespace {

// The demo deal that gets a proposal and a contract: it stands at the contract stage.
constexpr const char* kDemoDealTitle = "Гардеробная и кухня в таунхаус";
constexpr const char* kFindDeal =
    "SELECT d.id, COALESCE(c.name, '') FROM deals d LEFT JOIN companies c ON c.workspace_id = d.workspace_id "
    "AND c.id = d.company_id WHERE d.workspace_id = :ws AND d.title = :title AND d.deleted_at IS NULL "
    "ORDER BY d.id LIMIT 1";

template <class T>
T Check(core::Result<T> r, const std::string& what) {
    if (!r) throw std::runtime_error("demo documents: " + what + ": " + core::ErrorMessage(r.error(), core::Lang::kEn));
    return std::move(*r);
}

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

// The studio's logo, drawn: a warm circle with a light arc (the "northern light") and a wordmark bar.
std::string DemoLogo() {
    constexpr int kW = 320, kH = 120;
    cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, kW, kH);
    cairo_t* cr = cairo_create(s);
    cairo_set_source_rgba(cr, 0, 0, 0, 0);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0.13, 0.25, 0.45);
    cairo_arc(cr, 60, 60, 52, 0, 6.2832);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0.55, 0.85, 0.75);
    cairo_set_line_width(cr, 9);
    cairo_arc(cr, 60, 75, 34, 3.5, 5.9);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0.13, 0.25, 0.45);
    cairo_rectangle(cr, 130, 40, 170, 16);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0.55, 0.85, 0.75);
    cairo_rectangle(cr, 130, 66, 120, 10);
    cairo_fill(cr);
    std::string png;
    cairo_surface_write_to_png_stream(s, Append, &png);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    return png;
}

// The signed contract as a PDF, as if scanned from the paper the client signed.
std::string DemoContractPdf(const Requisites& seller, const std::string& number, const std::string& client) {
    PdfDocument doc;
    doc.seller = seller.org;
    doc.title = "Договор купли-продажи № " + number;
    doc.subtitle = "Мебель по индивидуальному проекту";
    doc.info = {{"Продавец", seller.org.legal_name}, {"Покупатель", client.empty() ? "—" : client}};
    doc.before = {{"1. Предмет договора",
                   "Продавец изготавливает и передаёт в собственность Покупателя мебель по согласованному эскизу, "
                   "а Покупатель принимает её и оплачивает."},
                  {"2. Цена и порядок расчётов",
                   "Предоплата 50 % в течение трёх банковских дней после подписания договора, остаток — до "
                   "отгрузки."},
                  {"3. Сроки",
                   "Изготовление — 35 рабочих дней с даты предоплаты; доставка и монтаж — по согласованному графику."},
                  {"4. Гарантия", "Гарантия на корпус и фурнитуру — 24 месяца с даты монтажа."}};
    doc.signatures = {{"Продавец: " + seller.signer_title, seller.signer_name}, {"Покупатель", client}};
    doc.footer_note = doc.title;
    return RenderPdf(doc);
}

}  // namespace

bool SeedDemoDocuments(db::Database& db, const core::Clock& clock, core::Id ws) {
    DocumentsService documents(db, clock);
    const core::Actor system = core::Actor::System(ws);
    const Requisites existing = Check(documents.GetRequisites(system), "cannot read the requisites");
    if (existing.updated_at) return false;

    Requisites r;
    r.org.legal_name = "ООО «Северный свет»";
    r.org.inn = "5406123450";
    r.org.kpp = "540601001";
    r.org.ogrn = "1125406000125";
    r.org.address = "630099, г. Новосибирск, ул. Советская, д. 18, офис 4";
    r.org.bank_name = "Сибирский банк ПАО Сбербанк, г. Новосибирск";
    r.org.bik = "045004641";
    r.org.account = "40702810744050012345";
    r.org.corr_account = "30101810500000000641";
    r.org.phone = "+7 383 210-45-67";
    r.org.email = "zakaz@severny-svet.ru";
    r.org.website = "severny-svet.ru";
    r.signer_title = "Генеральный директор";
    r.signer_name = "Петров И. А.";
    r = Check(documents.SetRequisites(system, r), "cannot save the requisites");
    r = Check(documents.SetLogo(system, DemoLogo()), "cannot save the logo");

    TemplateInput tpl;
    tpl.name = "Кухня на заказ — стандартное КП";
    tpl.intro_text =
        "Здравствуйте, {{client.name}}!\n\n"
        "Благодарим за интерес к студии {{company.name}}. По итогам замера и обсуждения проекта «{{deal.title}}» "
        "предлагаем изготовить мебель на следующих условиях.";
    tpl.terms_text =
        "Предоплата 50 %, остаток — до отгрузки. Изготовление — 35 рабочих дней, доставка и монтаж включены.\n"
        "Гарантия 24 месяца.\n"
        "Предложение действительно до {{valid_until}}.\n\n"
        "Ваш дизайнер-менеджер: {{owner.name}}, {{owner.email}}.";
    tpl.validity_days = 14;
    const ProposalTemplate created = Check(documents.CreateTemplate(system, tpl), "cannot create the template");

    long long wsl = ws, deal_id = 0;
    std::string title = kDemoDealTitle, client;
    db.Read([&](soci::session& sql) {
        sql << kFindDeal, soci::use(wsl, "ws"), soci::use(title, "title"), soci::into(deal_id), soci::into(client);
        return 0;
    });
    if (deal_id == 0) return true;  // no demo deals: requisites and the template only

    ProposalRequest req;
    req.template_id = created.id;
    const Proposal proposal = Check(documents.GenerateProposal(system, deal_id, req), "cannot generate the proposal");
    Check(documents.SetProposalStatus(system, proposal.id, "sent"), "cannot mark the proposal sent");

    const std::string today = org::LocalDateText("Europe/Moscow", clock.NowMs());
    ContractInput c;
    c.kind = "sale";
    c.number = "ДКП-2025/017";
    c.status = "signed";
    c.set_signed_on = c.set_valid_from = c.set_valid_to = true;
    c.signed_on = AddDays(today, -1);
    c.valid_from = c.signed_on;
    c.valid_to = AddDays(today, 365);
    c.terms = "Предоплата 50 % в течение 3 банковских дней, остаток — до отгрузки. Монтаж включён. Гарантия 24 месяца.";
    const Contract contract = Check(documents.CreateContract(system, deal_id, c), "cannot create the contract");
    Check(documents.UploadContractFile(system, contract.id, "Договор ДКП-2025-017 (подписан).pdf",
                                       DemoContractPdf(r, *c.number, client)),
          "cannot attach the contract file");
    return true;
}

}  // namespace otdel::documents
