#include "catalog/catalog.hpp"

#include <algorithm>

namespace otdel::catalog {
namespace {

// YYYY-MM-DD with plausible month and day (the service checks real dates with org::IsValidDate too).
bool IsDateText(const std::string& s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

bool IsCurrency(const std::string& s) {
    return s.size() == 3 && std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

void CheckText(std::vector<core::FieldError>& errs, const std::string& field, const std::string& value, bool required,
               std::size_t max) {
    if (required && value.empty()) errs.push_back({field, "required", ""});
    if (value.size() > max) errs.push_back({field, "too_long", std::to_string(max)});
}

void CheckBp(std::vector<core::FieldError>& errs, const std::string& field, long long bp) {
    if (bp < 0 || bp > kFullBp) errs.push_back({field, "out_of_range", "0–10000"});
}

// Half up for a non-negative numerator and a positive denominator.
std::int64_t DivideHalfUp(__int128 num, __int128 den) {
    return static_cast<std::int64_t>((num + den / 2) / den);
}

}  // namespace

const std::vector<std::string>& SchemeKinds() {
    static const std::vector<std::string> k = {"volume", "segment", "promotion"};
    return k;
}

std::int64_t LineAmount(std::int64_t quantity_milli, std::int64_t unit_price_minor, int discount_bp) {
    const __int128 num = static_cast<__int128>(quantity_milli) * unit_price_minor * (kFullBp - discount_bp);
    return DivideHalfUp(num, static_cast<__int128>(kMilli) * kFullBp);
}

std::int64_t VatIncluded(std::int64_t amount_minor, int vat_rate_bp) {
    if (amount_minor <= 0 || vat_rate_bp <= 0) return 0;
    return DivideHalfUp(static_cast<__int128>(amount_minor) * vat_rate_bp, kFullBp + vat_rate_bp);
}

std::vector<core::FieldError> ValidateLine(const DealLine& l, const std::string& at) {
    std::vector<core::FieldError> errs;
    CheckText(errs, at + "name", l.name, true, kMaxName);
    CheckText(errs, at + "sku", l.sku, false, kMaxSku);
    CheckText(errs, at + "unit", l.unit, false, kMaxUnit);
    if (l.quantity_milli <= 0 || l.quantity_milli > kMaxQuantityMilli)
        errs.push_back({at + "quantity_milli", "out_of_range", "1–" + std::to_string(kMaxQuantityMilli)});
    if (l.unit_price_minor < 0 || l.unit_price_minor > kMaxMoney)
        errs.push_back({at + "unit_price_minor", "out_of_range", "0–" + std::to_string(kMaxMoney)});
    CheckBp(errs, at + "discount_bp", l.discount_bp);
    CheckBp(errs, at + "vat_rate_bp", l.vat_rate_bp);
    if (errs.empty() && LineAmount(l.quantity_milli, l.unit_price_minor, l.discount_bp) > kMaxMoney)
        errs.push_back({at + "amount_minor", "out_of_range", "0–" + std::to_string(kMaxMoney)});
    return errs;
}

std::vector<core::FieldError> ValidateProduct(const Product& p) {
    std::vector<core::FieldError> errs;
    CheckText(errs, "name", p.name, true, kMaxName);
    CheckText(errs, "sku", p.sku, true, kMaxSku);
    CheckText(errs, "unit", p.unit, true, kMaxUnit);
    CheckText(errs, "description", p.description, false, kMaxDescription);
    CheckBp(errs, "vat_rate_bp", p.vat_rate_bp);
    return errs;
}

std::vector<core::FieldError> ValidatePriceList(const PriceList& p) {
    std::vector<core::FieldError> errs;
    CheckText(errs, "name", p.name, true, kMaxName);
    if (!IsCurrency(p.currency)) errs.push_back({"currency", "invalid", ""});
    CheckText(errs, "client_segment", p.client_segment, false, kMaxSegment);
    return errs;
}

std::vector<core::FieldError> ValidateScheme(const DiscountScheme& s) {
    std::vector<core::FieldError> errs;
    CheckText(errs, "name", s.name, true, kMaxName);
    if (std::find(SchemeKinds().begin(), SchemeKinds().end(), s.kind) == SchemeKinds().end()) {
        errs.push_back({"kind", "not_one_of", "volume, segment, promotion"});
        return errs;
    }
    CheckText(errs, "client_segment", s.client_segment, false, kMaxSegment);
    if (s.kind == "volume") {
        if (s.tiers.empty()) errs.push_back({"tiers", "required", ""});
        if (s.tiers.size() > kMaxTiers) errs.push_back({"tiers", "too_many", std::to_string(kMaxTiers)});
        for (std::size_t i = 0; i < s.tiers.size(); ++i) {
            const std::string at = "tiers/" + std::to_string(i) + "/";
            const Tier& t = s.tiers[i];
            if (t.min_quantity_milli <= 0 || t.min_quantity_milli > kMaxQuantityMilli)
                errs.push_back({at + "min_quantity_milli", "out_of_range", "1–" + std::to_string(kMaxQuantityMilli)});
            else if (i > 0 && t.min_quantity_milli <= s.tiers[i - 1].min_quantity_milli)
                errs.push_back({at + "min_quantity_milli", "not_ascending", ""});
            CheckBp(errs, at + "discount_bp", t.discount_bp);
        }
    } else {
        CheckBp(errs, "discount_bp", s.discount_bp);
    }
    if (s.kind == "segment" && s.client_segment.empty()) errs.push_back({"client_segment", "required", ""});
    if (s.kind == "promotion") {
        if (!s.valid_from) errs.push_back({"valid_from", "required", ""});
        if (!s.valid_to) errs.push_back({"valid_to", "required", ""});
    }
    if (s.valid_from && !IsDateText(*s.valid_from)) errs.push_back({"valid_from", "invalid_date", ""});
    if (s.valid_to && !IsDateText(*s.valid_to)) errs.push_back({"valid_to", "invalid_date", ""});
    if (s.valid_from && s.valid_to && IsDateText(*s.valid_from) && IsDateText(*s.valid_to) &&
        *s.valid_to < *s.valid_from)
        errs.push_back({"valid_to", "invalid_range", ""});
    return errs;
}

Suggestion SuggestDiscount(const std::vector<DiscountScheme>& schemes, const LineFacts& line,
                           const std::set<std::string>& client_segments, std::string_view today) {
    Suggestion best;
    auto consider = [&](const DiscountScheme& s, int bp, std::optional<Tier> tier) {
        const bool better =
            bp > best.discount_bp || (bp == best.discount_bp && bp > 0 && best.scheme_id && s.id < *best.scheme_id);
        if (!better) return;
        best = Suggestion{bp, s.id, s.name, s.kind, tier, s.client_segment, s.valid_to};
    };
    for (const auto& s : schemes) {
        if (!s.active || s.archived_at) continue;
        if (s.product_id && s.product_id != line.product_id) continue;
        // Dates bound any scheme that has them; a promotion always has both.
        if (s.valid_from && std::string_view(*s.valid_from) > today) continue;
        if (s.valid_to && std::string_view(*s.valid_to) < today) continue;
        if (s.kind == "volume") {
            std::optional<Tier> reached;
            for (const auto& t : s.tiers)
                if (line.quantity_milli >= t.min_quantity_milli && (!reached || t.discount_bp >= reached->discount_bp))
                    reached = t;
            if (reached) consider(s, reached->discount_bp, reached);
        } else if (s.kind == "segment") {
            if (client_segments.count(s.client_segment)) consider(s, s.discount_bp, std::nullopt);
        } else if (s.kind == "promotion") {
            consider(s, s.discount_bp, std::nullopt);
        }
    }
    return best;
}

std::string PercentText(int bp) {
    std::string out = std::to_string(bp / 100);
    if (int frac = bp % 100; frac != 0) {
        out += '.';
        out += static_cast<char>('0' + frac / 10);
        if (frac % 10) out += static_cast<char>('0' + frac % 10);
    }
    return out + " %";
}

std::string QuantityText(std::int64_t q) {
    std::string out = std::to_string(q / kMilli);
    if (std::int64_t frac = q % kMilli; frac != 0) {
        std::string digits = std::to_string(frac + kMilli).substr(1);  // three digits, leading zeros kept
        while (!digits.empty() && digits.back() == '0') digits.pop_back();
        out += "." + digits;
    }
    return out;
}

std::string Explain(const Suggestion& s, const std::string& unit, core::Lang lang) {
    if (!s.scheme_id || s.discount_bp == 0) return "";
    const bool en = lang == core::Lang::kEn;
    const std::string name = en ? "\"" + s.scheme_name + "\"" : "«" + s.scheme_name + "»";
    const std::string pct = PercentText(s.discount_bp);
    if (s.kind == "volume" && s.tier) {
        const std::string from = QuantityText(s.tier->min_quantity_milli) + (unit.empty() ? "" : " " + unit);
        return en ? "Volume discount " + name + ": from " + from + " — " + pct
                  : "Скидка за объём " + name + ": от " + from + " — " + pct;
    }
    if (s.kind == "segment")
        return en ? "Client segment discount " + name + " (" + s.segment + "): " + pct
                  : "Скидка для сегмента " + name + " (" + s.segment + "): " + pct;
    const std::string until = s.valid_to ? *s.valid_to : "";
    return en ? "Promotion " + name + " until " + until + ": " + pct : "Акция " + name + " до " + until + ": " + pct;
}

std::optional<PriceList> ChoosePriceList(const std::vector<PriceList>& lists, const std::string& currency,
                                         const std::set<std::string>& client_segments) {
    const PriceList *segment = nullptr, *def = nullptr, *general = nullptr;
    for (const auto& l : lists) {
        if (l.archived_at || l.currency != currency) continue;
        auto older = [&](const PriceList* p) { return !p || l.id < p->id; };
        if (!l.client_segment.empty()) {
            if (client_segments.count(l.client_segment) && older(segment)) segment = &l;
            continue;
        }
        if (l.is_default) def = &l;
        if (older(general)) general = &l;
    }
    for (const PriceList* p : {segment, def, general})
        if (p) return *p;
    return std::nullopt;
}

// ---- limits and approval ----

std::optional<int> DefaultDiscountLimit(bool decides_discounts) {
    if (decides_discounts) return std::nullopt;
    return kDefaultSellerLimitBp;
}

bool WithinLimit(int discount_bp, std::optional<int> limit_bp) {
    return !limit_bp || discount_bp <= *limit_bp;
}

std::string_view ApprovalStatusName(ApprovalStatus s) {
    switch (s) {
        case ApprovalStatus::kPending: return "pending";
        case ApprovalStatus::kApproved: return "approved";
        case ApprovalStatus::kRejected: return "rejected";
        case ApprovalStatus::kWithdrawn: return "withdrawn";
    }
    return "pending";
}

std::optional<ApprovalStatus> ParseApprovalStatus(std::string_view name) {
    for (auto s :
         {ApprovalStatus::kPending, ApprovalStatus::kApproved, ApprovalStatus::kRejected, ApprovalStatus::kWithdrawn})
        if (ApprovalStatusName(s) == name) return s;
    return std::nullopt;
}

ApprovalState StateOf(const std::vector<Approval>& approvals) {
    ApprovalState st;
    for (const auto& a : approvals) {
        if (a.status == ApprovalStatus::kApproved) st.approved_bp = std::max(st.approved_bp, a.discount_bp);
        if (a.status != ApprovalStatus::kWithdrawn && (!st.current || a.id > st.current->id)) st.current = a;
    }
    return st;
}

bool BlocksClosing(const ApprovalState& s) {
    return s.current &&
           (s.current->status == ApprovalStatus::kPending || s.current->status == ApprovalStatus::kRejected);
}

ApprovalChange OnLinesSaved(const std::vector<int>& changed, int max_after, std::optional<int> actor_limit,
                            const ApprovalState& state) {
    int over = -1;
    for (int d : changed)
        if (!WithinLimit(d, actor_limit)) over = std::max(over, d);
    const bool open = BlocksClosing(state);
    const bool pending = open && state.current->status == ApprovalStatus::kPending;
    if (over > state.approved_bp) {
        if (pending) {
            if (max_after == state.current->discount_bp) return {};
            return {ApprovalChange::Kind::kRaise, max_after};
        }
        return {ApprovalChange::Kind::kRequest, max_after};
    }
    if (open && (WithinLimit(max_after, state.current->limit_bp) || max_after <= state.approved_bp))
        return {ApprovalChange::Kind::kWithdraw, 0};
    if (pending && max_after != state.current->discount_bp && max_after > state.approved_bp)
        return {ApprovalChange::Kind::kRaise, max_after};  // a line went down: the request follows the deal
    return {};
}

bool MayRequest(int max_after, std::optional<int> actor_limit, const ApprovalState& state) {
    if (state.current && state.current->status == ApprovalStatus::kPending) return false;
    return !WithinLimit(max_after, actor_limit) && max_after > state.approved_bp;
}

}  // namespace otdel::catalog
