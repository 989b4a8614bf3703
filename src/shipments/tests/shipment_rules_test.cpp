// Shipments as pure rules (DEAL-8): the status moves, the quantity a line may still ship, overdue, and production
// before a made-to-order shipment leaves.
#include <gtest/gtest.h>

#include "shipments/shipment.hpp"

namespace otdel::shipments {
namespace {

TEST(ShipmentStatus, DeliveredNeedsShippedAndReturnedNeedsItOut) {
    const Status all[] = {Status::kPreparing, Status::kShipped, Status::kDelivered, Status::kReturned};
    std::vector<std::string> allowed;
    for (Status from : all)
        for (Status to : all)
            if (CheckTransition(from, to).ok())
                allowed.push_back(std::string(StatusName(from)) + ">" + std::string(StatusName(to)));
    EXPECT_EQ(allowed, (std::vector<std::string>{"preparing>shipped", "shipped>delivered", "shipped>returned",
                                                 "delivered>returned"}));
    auto refused = CheckTransition(Status::kPreparing, Status::kDelivered);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, core::ErrorCode::kConflict);
    EXPECT_EQ(refused.error().message_key, "shipments.bad_transition");
    EXPECT_EQ(refused.error().fields.at(0).param, "preparing → delivered");
    EXPECT_FALSE(CheckTransition(Status::kReturned, Status::kShipped).ok());  // a return is final
}

TEST(ShipmentStatus, NamesRoundTrip) {
    for (const char* n : {"preparing", "shipped", "delivered", "returned"}) EXPECT_EQ(StatusName(*ParseStatus(n)), n);
    EXPECT_FALSE(ParseStatus("cancelled"));
    for (const char* n : {"requested", "in_production", "ready"})
        EXPECT_EQ(ProductionStatusName(*ParseProductionStatus(n)), n);
    EXPECT_FALSE(ParseProductionStatus("done"));
}

TEST(ProductionStatus, OneStepAtATime) {
    EXPECT_TRUE(CheckProductionTransition(ProductionStatus::kRequested, ProductionStatus::kInProduction).ok());
    EXPECT_TRUE(CheckProductionTransition(ProductionStatus::kInProduction, ProductionStatus::kReady).ok());
    EXPECT_FALSE(CheckProductionTransition(ProductionStatus::kRequested, ProductionStatus::kReady).ok());
    EXPECT_FALSE(CheckProductionTransition(ProductionStatus::kReady, ProductionStatus::kInProduction).ok());
    EXPECT_FALSE(CheckProductionTransition(ProductionStatus::kReady, ProductionStatus::kReady).ok());
}

const std::vector<LineStock> kLines = {{11, "Кухня угловая", 1000}, {12, "Столешница", 2500}, {13, "Монтаж", 1000}};

TEST(ShipmentItems, WithinWhatWasSoldCountingTheOtherShipments) {
    EXPECT_TRUE(CheckItems({{11, 1000}, {12, 1500}}, kLines, {{12, 1000}}).empty());  // 1.5 + 1 of 2.5
    const auto errs = CheckItems({{11, 1000}, {12, 2000}}, kLines, {{11, 500}, {12, 1000}});
    ASSERT_EQ(errs.size(), 2u);  // every over-shipped line is named
    EXPECT_EQ(errs[0].field, "items/0/quantity_milli");
    EXPECT_EQ(errs[0].code, "exceeds_sold");
    EXPECT_EQ(errs[0].param, "Кухня угловая: 1, 0.5");
    EXPECT_EQ(errs[1].field, "items/1/quantity_milli");
    EXPECT_EQ(errs[1].param, "Столешница: 2.5, 1");
}

TEST(ShipmentItems, BadInputIsNamed) {
    auto codes = [](const std::vector<core::FieldError>& errs) {
        std::vector<std::string> out;
        for (const auto& e : errs) out.push_back(e.field + ":" + e.code);
        return out;
    };
    EXPECT_EQ(codes(CheckItems({}, kLines, {})), (std::vector<std::string>{"items:required"}));
    EXPECT_EQ(codes(CheckItems({{99, 1000}, {11, 0}, {12, -5}, {11, 1}}, kLines, {})),
              (std::vector<std::string>{"items/0/deal_line_id:invalid", "items/1/quantity_milli:out_of_range",
                                        "items/2/quantity_milli:out_of_range", "items/3/deal_line_id:not_unique"}));
}

TEST(ShipmentFields, PlannedDayAndTextLimits) {
    Shipment s;
    EXPECT_EQ(CheckFields(s).at(0).code, "required");
    s.planned_date = "2025-02-30";
    EXPECT_EQ(CheckFields(s).at(0).code, "invalid_date");
    s.planned_date = "2025-02-28";
    s.address = std::string(kMaxAddress, 'x');
    EXPECT_TRUE(CheckFields(s).empty());
    s.note = std::string(kMaxNote + 1, 'x');
    ASSERT_EQ(CheckFields(s).size(), 1u);
    EXPECT_EQ(CheckFields(s).at(0).field, "note");
}

TEST(ShipmentOverdue, PlannedDayPassedAndNotShipped) {
    EXPECT_TRUE(IsOverdue(Status::kPreparing, "2025-03-01", "2025-03-02"));
    EXPECT_FALSE(IsOverdue(Status::kPreparing, "2025-03-02", "2025-03-02"));  // due today is not late yet
    EXPECT_FALSE(IsOverdue(Status::kShipped, "2025-03-01", "2025-03-02"));
    EXPECT_FALSE(IsOverdue(Status::kReturned, "2025-03-01", "2025-03-02"));
    EXPECT_TRUE(Counts(Status::kPreparing) && Counts(Status::kShipped) && Counts(Status::kDelivered));
    EXPECT_FALSE(Counts(Status::kReturned));  // a return frees its quantities
}

TEST(ShipmentProduction, MadeToOrderLeavesOnlyWhenReady) {
    EXPECT_FALSE(CheckProductionForShipping(false, std::nullopt));
    EXPECT_EQ(CheckProductionForShipping(true, std::nullopt)->message_key, "shipments.production_missing");
    EXPECT_EQ(CheckProductionForShipping(true, ProductionStatus::kInProduction)->message_key,
              "shipments.production_not_ready");
    EXPECT_FALSE(CheckProductionForShipping(true, ProductionStatus::kReady));
}

}  // namespace
}  // namespace otdel::shipments
