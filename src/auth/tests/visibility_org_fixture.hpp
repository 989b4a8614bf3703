#pragma once
// The generated org of the visibility matrix, as data. A sales department (L1 leader at the root) with two
// branches (L2 heads), sellers (L3) in them and in a sub-team, a key account manager placed in the south who
// reports to the north head, a wholesale team in the south headed by the north head, a dismissed seller, an analyst
// (read_all), a support specialist (own scope, reads clients and tickets only), an administrator without an employee
// row, a newcomer without one, and absences around "today" — one active with a substitute, the others expired,
// cancelled or in the future.
//
// Department ids are explicit so that the north branch's path "/1/2/" is a string prefix of the south branch's
// "/1/22/" without the trailing slash: a subtree test that forgets the slash shows the south to the north head.
//
// Later rooms extend kMatrix with rows for their objects (object = the permission key, e.g. "deal").
#include <string_view>

namespace otdel::auth::testing {

/// The day the matrix runs on (a Wednesday); absences are placed around it.
inline constexpr std::string_view kToday = "2025-06-18";

struct DepartmentRow {
    long long id;
    long long parent_id;  // 0: root
    std::string_view name;
    std::string_view path;
    std::string_view head;  // key of the head, "" for none
};
// clang-format off
inline constexpr DepartmentRow kDepartments[] = {
    {1, 0, "Отдел продаж", "/1/", "leader"},
    {2, 1, "Север", "/1/2/", "head_n"},
    {21, 2, "Север: розница", "/1/2/21/", ""},
    {22, 1, "Юг", "/1/22/", "head_s"},
    {23, 22, "Юг: опт", "/1/22/23/", "head_n"},  // the north head also leads the south's wholesale team
};
// clang-format on

struct RoleRow {
    std::string_view code;
    std::string_view scope;
    std::string_view permissions;  // roles.permissions JSON
};
// Deals (issue 6) carry their shipments (the shipments room checks "deal" rights on the deal's row); invoices and
// payments have keys of their own: sellers work their own invoices and only read payments, as in the role catalog.
// Activities (issue 7) have the key "activity": heads work their subtree's, sellers and support their own, the
// analyst reads and exports all.
inline constexpr RoleRow kRoles[] = {
    {"l1_sales_leader", "team",
     R"({"lead":["create","read","update","delete","export","assign"],"client":["create","read","update","delete","export","assign"],"deal":["create","read","update","delete","export","assign"],"invoice":["create","read","update","delete","export"],"payment":["create","read","update","delete","export"],"activity":["create","read","update","delete","export"]})"},
    {"l2_head", "team",
     R"({"lead":["create","read","update","delete","export","assign"],"client":["create","read","update","delete","export","assign"],"deal":["create","read","update","delete","export","assign"],"invoice":["create","read","update","delete","export"],"payment":["create","read","update","delete","export"],"activity":["create","read","update","delete","export"]})"},
    {"l3_seller", "own",
     R"({"lead":["create","read","update","delete"],"client":["create","read","update","delete"],"deal":["create","read","update","delete"],"invoice":["create","read","update"],"payment":["read"],"activity":["create","read","update","delete"]})"},
    {"analyst", "read_all",
     R"({"lead":["read","export"],"client":["read","export"],"report":["read","export","create"],"deal":["read","export"],"invoice":["read","export"],"payment":["read","export"],"activity":["read","export"]})"},
    {"support", "own", R"({"client":["read"],"ticket":["read"],"activity":["create","read","update","delete"]})"},
};

struct PersonRow {
    std::string_view key;
    std::string_view full_name;
    bool is_admin;
    // Employee row; role "" means the person has none.
    std::string_view role;
    long long department_id;
    std::string_view manager;  // key of the manager, "" for none
    std::string_view status;   // "active" | "dismissed"
};
inline constexpr PersonRow kPeople[] = {
    {"leader", "Лидия Руководова", false, "l1_sales_leader", 1, "", "active"},
    {"head_n", "Николай Северов", false, "l2_head", 2, "leader", "active"},
    {"head_s", "Юлия Южная", false, "l2_head", 22, "leader", "active"},
    {"seller_n1", "Пётр Первов", false, "l3_seller", 2, "head_n", "active"},
    {"seller_n2", "Ольга Розничная", false, "l3_seller", 21, "head_n", "active"},  // on vacation this week
    {"seller_s1", "Семён Заменов", false, "l3_seller", 22, "head_s", "active"},    // her substitute
    {"seller_s2", "Светлана Южанина", false, "l3_seller", 22, "head_s", "active"},
    {"kam", "Кирилл Ключевой", false, "l3_seller", 22, "head_n", "active"},  // sits in the south, reports north
    {"seller_w", "Вера Оптова", false, "l3_seller", 23, "", "active"},       // wholesale, headed by head_n
    {"dismissed", "Дмитрий Уволенов", false, "l3_seller", 2, "head_n", "dismissed"},
    {"analyst", "Алла Аналитикова", false, "analyst", 1, "leader", "active"},
    {"support", "Сергей Поддержкин", false, "support", 1, "leader", "active"},
    {"admin", "Анна Админова", true, "", 0, "", ""},
    {"newcomer", "Новик Новиков", false, "", 0, "", ""},  // a user not yet placed in the org
};

struct AbsenceRow {
    std::string_view person;
    std::string_view substitute;
    std::string_view starts_on;
    std::string_view ends_on;
    bool cancelled;
};
inline constexpr AbsenceRow kAbsences[] = {
    {"seller_n2", "seller_s1", "2025-06-16", "2025-06-22", false},  // this week: delegated
    {"seller_n1", "seller_s1", "2025-06-02", "2025-06-08", false},  // expired
    {"head_n", "seller_s1", "2025-06-18", "2025-06-18", true},      // today, but cancelled
    {"seller_s2", "seller_s1", "2025-06-17", "2025-06-17", false},  // ended yesterday
    {"seller_s2", "seller_s1", "2025-06-23", "2025-06-27", false},  // starts next week
};

/// One expected cell group: `persona` acting on a record of `object` owned by `owner` (its `relationship` to the
/// persona; owner "" = unassigned, NULL owner). `ops` lists what succeeds, one letter per operation in the order
/// List, Read by id, Update, Delete, Export; '-' means forbidden: absent from lists and exports, "not found"
/// for by-id operations, and the row unchanged afterwards.
struct MatrixRow {
    std::string_view persona;
    std::string_view relationship;
    std::string_view owner;
    std::string_view object;
    std::string_view ops;
};
inline constexpr std::string_view kOps = "LRUDE";

inline constexpr MatrixRow kMatrix[] = {
    // L1 sales leader, team scope at the root: the whole tree, two levels down, dismissed people included.
    {"leader", "own", "leader", "lead", "LRUDE"},
    {"leader", "subordinate", "head_n", "lead", "LRUDE"},
    {"leader", "subordinate_deep", "seller_n2", "lead", "LRUDE"},
    {"leader", "subordinate_other_branch", "seller_s1", "lead", "LRUDE"},
    {"leader", "dismissed_in_subtree", "dismissed", "lead", "LRUDE"},
    {"leader", "unassigned", "", "lead", "-----"},
    {"leader", "own", "leader", "client", "LRUDE"},
    {"leader", "subordinate", "seller_s2", "client", "LRUDE"},

    // L2 head of the north: own branch and its sub-team, plus a direct report placed elsewhere.
    {"head_n", "own", "head_n", "lead", "LRUDE"},
    {"head_n", "subordinate", "seller_n1", "lead", "LRUDE"},
    {"head_n", "subordinate_deep", "seller_n2", "lead", "LRUDE"},
    {"head_n", "direct_report_elsewhere", "kam", "lead", "LRUDE"},
    {"head_n", "in_headed_department_elsewhere", "seller_w", "lead", "LRUDE"},
    {"head_n", "dismissed_in_subtree", "dismissed", "lead", "LRUDE"},
    {"head_n", "peer", "head_s", "lead", "-----"},
    {"head_n", "superior", "leader", "lead", "-----"},
    {"head_n", "other_branch", "seller_s1", "lead", "-----"},  // "/1/22/" is not under "/1/2/"
    {"head_n", "other_branch", "seller_s2", "lead", "-----"},
    {"head_n", "unassigned", "", "lead", "-----"},
    {"head_n", "subordinate", "seller_n1", "client", "LRUDE"},
    {"head_n", "other_branch", "seller_s1", "client", "-----"},

    // L2 head of the south.
    {"head_s", "own", "head_s", "lead", "LRUDE"},
    {"head_s", "subordinate", "seller_s1", "lead", "LRUDE"},
    {"head_s", "subordinate_reporting_elsewhere", "kam", "lead", "LRUDE"},
    {"head_s", "subordinate_deep_headed_by_other", "seller_w", "lead", "LRUDE"},
    {"head_s", "peer", "head_n", "lead", "-----"},
    {"head_s", "other_branch", "seller_n1", "lead", "-----"},
    {"head_s", "other_branch_deep", "seller_n2", "lead", "-----"},
    {"head_s", "other_branch_dismissed", "dismissed", "lead", "-----"},

    // L3 seller, own scope, no export.
    {"seller_n1", "own", "seller_n1", "lead", "LRUD-"},
    {"seller_n1", "peer", "seller_n2", "lead", "-----"},
    {"seller_n1", "peer_dismissed", "dismissed", "lead", "-----"},
    {"seller_n1", "superior", "head_n", "lead", "-----"},
    {"seller_n1", "other_branch", "seller_s1", "lead", "-----"},
    {"seller_n1", "unassigned", "", "lead", "-----"},
    {"seller_n1", "own", "seller_n1", "client", "LRUD-"},
    {"seller_n1", "peer", "seller_n2", "client", "-----"},

    // The absent seller keeps her own records.
    {"seller_n2", "own", "seller_n2", "lead", "LRUD-"},
    {"seller_n2", "substitute", "seller_s1", "lead", "-----"},

    // The substitute: acts on the absent seller's records this week, on nobody else's.
    {"seller_s1", "own", "seller_s1", "lead", "LRUD-"},
    {"seller_s1", "delegated", "seller_n2", "lead", "LRUD-"},
    {"seller_s1", "delegated", "seller_n2", "client", "LRUD-"},
    {"seller_s1", "delegation_expired", "seller_n1", "lead", "-----"},
    {"seller_s1", "delegation_cancelled", "head_n", "lead", "-----"},
    {"seller_s1", "delegation_ended_yesterday_or_future", "seller_s2", "lead", "-----"},
    {"seller_s1", "superior", "head_s", "lead", "-----"},
    {"seller_s1", "other_team", "seller_w", "lead", "-----"},

    // Analyst, read_all: everything for reading and export, no write anywhere (not even own records).
    {"analyst", "own", "analyst", "lead", "LR--E"},
    {"analyst", "superior", "leader", "lead", "LR--E"},
    {"analyst", "other_branch", "seller_s2", "lead", "LR--E"},
    {"analyst", "dismissed", "dismissed", "lead", "LR--E"},
    {"analyst", "unassigned", "", "lead", "LR--E"},
    {"analyst", "other_branch", "seller_n1", "client", "LR--E"},
    {"analyst", "own", "analyst", "report", "LR--E"},  // "create" on reports is no write licence for read_all

    // Support: own scope, reads clients and tickets only.
    {"support", "own", "support", "client", "LR---"},
    {"support", "own", "support", "ticket", "LR---"},
    {"support", "other", "seller_n1", "client", "-----"},
    {"support", "own", "support", "lead", "-----"},
    {"support", "other", "seller_n1", "lead", "-----"},

    // Administrator: every record of the workspace.
    {"admin", "other", "seller_n1", "lead", "LRUDE"},
    {"admin", "dismissed", "dismissed", "lead", "LRUDE"},
    {"admin", "unassigned", "", "lead", "LRUDE"},
    {"admin", "other", "support", "ticket", "LRUDE"},

    // Deals and their shipments, invoices and payments (issue 6): the same tree, each object's own rights.
    {"leader", "subordinate_deep", "seller_n2", "deal", "LRUDE"},
    {"leader", "subordinate_other_branch", "seller_s1", "invoice", "LRUDE"},
    {"leader", "dismissed_in_subtree", "dismissed", "payment", "LRUDE"},
    {"head_n", "subordinate", "seller_n1", "deal", "LRUDE"},
    {"head_n", "direct_report_elsewhere", "kam", "invoice", "LRUDE"},
    {"head_n", "in_headed_department_elsewhere", "seller_w", "payment", "LRUDE"},
    {"head_n", "other_branch", "seller_s1", "deal", "-----"},
    {"head_n", "other_branch", "seller_s2", "invoice", "-----"},
    {"head_n", "peer", "head_s", "payment", "-----"},
    {"seller_n1", "own", "seller_n1", "deal", "LRUD-"},
    {"seller_n1", "own", "seller_n1", "invoice", "LRU--"},  // an invoice is cancelled, not deleted, by a seller
    {"seller_n1", "own", "seller_n1", "payment", "LR---"},  // payments are the accountant's and the head's
    {"seller_n1", "peer", "seller_n2", "deal", "-----"},
    {"seller_n1", "peer", "seller_n2", "invoice", "-----"},
    {"seller_n1", "superior", "head_n", "payment", "-----"},
    {"seller_n1", "unassigned", "", "deal", "-----"},
    {"seller_s1", "delegated", "seller_n2", "deal", "LRUD-"},
    {"seller_s1", "delegated", "seller_n2", "invoice", "LRU--"},
    {"seller_s1", "delegation_expired", "seller_n1", "invoice", "-----"},
    {"analyst", "other_branch", "seller_s2", "deal", "LR--E"},
    {"analyst", "other_branch", "seller_n1", "invoice", "LR--E"},
    {"analyst", "dismissed", "dismissed", "payment", "LR--E"},
    {"support", "other", "seller_n1", "deal", "-----"},
    {"support", "own", "support", "invoice", "-----"},
    {"support", "other", "seller_n1", "payment", "-----"},
    {"admin", "other", "seller_n1", "deal", "LRUDE"},
    {"admin", "other", "seller_s2", "invoice", "LRUDE"},
    {"admin", "unassigned", "", "payment", "LRUDE"},
    {"newcomer", "other", "seller_n1", "invoice", "-----"},
    {"dismissed", "own", "dismissed", "deal", "-----"},

    // Activities (issue 7): calls, meetings, tasks, e-mails and notes follow their owner along the same tree.
    {"leader", "subordinate_other_branch", "seller_s2", "activity", "LRUDE"},
    {"head_n", "subordinate_deep", "seller_n2", "activity", "LRUDE"},
    {"head_n", "direct_report_elsewhere", "kam", "activity", "LRUDE"},
    {"head_n", "other_branch", "seller_s1", "activity", "-----"},
    {"head_s", "peer", "head_n", "activity", "-----"},
    {"seller_n1", "own", "seller_n1", "activity", "LRUD-"},
    {"seller_n1", "peer", "seller_n2", "activity", "-----"},
    {"seller_n1", "superior", "head_n", "activity", "-----"},
    {"seller_n1", "unassigned", "", "activity", "-----"},
    {"seller_s1", "delegated", "seller_n2", "activity", "LRUD-"},
    {"seller_s1", "delegation_expired", "seller_n1", "activity", "-----"},
    {"analyst", "other_branch", "seller_s1", "activity", "LR--E"},
    {"support", "own", "support", "activity", "LRUD-"},
    {"support", "other", "seller_n1", "activity", "-----"},
    {"admin", "other", "seller_s2", "activity", "LRUDE"},
    {"newcomer", "other", "seller_n1", "activity", "-----"},
    {"dismissed", "own", "dismissed", "activity", "-----"},

    // Fail closed: no employee row, or dismissed — nothing, not even own records.
    {"newcomer", "own", "newcomer", "lead", "-----"},
    {"newcomer", "other", "seller_n1", "lead", "-----"},
    {"dismissed", "own", "dismissed", "lead", "-----"},
    {"dismissed", "former_peer", "seller_n1", "lead", "-----"},
};

}  // namespace otdel::auth::testing
