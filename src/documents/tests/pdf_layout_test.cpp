// Page breaking of the PDF flow (layout::LayOut): tables keep their heading on every page, rows never split, kept
// units stay together, space above a block is dropped at the top of a page.
#include <gtest/gtest.h>

#include "documents/pdf_layout.hpp"

namespace otdel::documents::layout {
namespace {

FlowBlock Table(int rows, double row_h, double header_h) {
    FlowBlock b;
    b.header = header_h;
    b.units.assign(static_cast<std::size_t>(rows), row_h);
    return b;
}

TEST(PdfLayout, EverythingOnOnePageWhenItFits) {
    const Flow f = LayOut({100, 100}, {Table(4, 20, 10)});
    EXPECT_EQ(f.pages, 1);
    ASSERT_EQ(f.blocks[0].headers.size(), 1u);
    EXPECT_EQ(f.blocks[0].headers[0].y, 0);
    EXPECT_EQ(f.blocks[0].units[3].y, 70);
}

TEST(PdfLayout, ATableRepeatsItsHeadingOnEveryPageItContinuesOnto) {
    // First page 100: heading 10 + 4 rows of 20; later pages 60: heading 10 + 2 rows.
    const Flow f = LayOut({100, 60}, {Table(10, 20, 10)});
    EXPECT_EQ(f.pages, 4);  // 4 + 2 + 2 + 2
    const auto& b = f.blocks[0];
    ASSERT_EQ(b.headers.size(), 4u);
    for (int p = 0; p < 4; ++p) {
        EXPECT_EQ(b.headers[p].page, p);
        EXPECT_EQ(b.headers[p].y, 0);
    }
    EXPECT_EQ(b.units[3].page, 0);
    EXPECT_EQ(b.units[4].page, 1);
    EXPECT_EQ(b.units[4].y, 10);  // under the repeated heading
    EXPECT_EQ(b.units[9].page, 3);
}

TEST(PdfLayout, RowsOfDifferentHeightsNeverSplit) {
    FlowBlock t = Table(0, 0, 5);
    t.units = {30, 50, 30, 10};  // 5+30+50 = 85 fits 100; +30 does not
    const Flow f = LayOut({100, 100}, {t});
    EXPECT_EQ(f.blocks[0].units[1].page, 0);
    EXPECT_EQ(f.blocks[0].units[2].page, 1);
    EXPECT_EQ(f.blocks[0].units[2].y, 5);
    EXPECT_EQ(f.blocks[0].units[3].page, 1);
}

TEST(PdfLayout, AHeadingWithItsFirstRowMovesToTheNextPageTogether) {
    FlowBlock para;
    para.units = {85};
    const Flow f = LayOut({100, 100}, {para, Table(3, 20, 10)});
    // 85 + heading 10 + row 20 > 100: the heading does not stay alone at the bottom.
    EXPECT_EQ(f.blocks[1].headers[0].page, 1);
    EXPECT_EQ(f.blocks[1].headers[0].y, 0);
    EXPECT_EQ(f.blocks[1].units[0].page, 1);
}

TEST(PdfLayout, KeptUnitsStayTogether) {
    FlowBlock filler;
    filler.units = {70};
    FlowBlock signatures;
    signatures.units = {20, 20};
    signatures.keep_first = 2;
    const Flow f = LayOut({100, 100}, {filler, signatures});
    EXPECT_EQ(f.blocks[1].units[0].page, 1);
    EXPECT_EQ(f.blocks[1].units[1].page, 1);
}

TEST(PdfLayout, SpaceBeforeIsDroppedAtTheTopOfAPage) {
    FlowBlock a;
    a.units = {100};
    FlowBlock b;
    b.space_before = 15;
    b.units = {10};
    FlowBlock c;
    c.space_before = 15;
    c.units = {10};
    const Flow f = LayOut({100, 100}, {a, b, c});
    EXPECT_EQ(f.blocks[1].units[0].page, 1);
    EXPECT_EQ(f.blocks[1].units[0].y, 0);
    EXPECT_EQ(f.blocks[2].units[0].y, 25);
}

TEST(PdfLayout, ParagraphLinesSplitAcrossPages) {
    FlowBlock p;
    p.units.assign(25, 10);
    const Flow f = LayOut({100, 120}, {p});
    EXPECT_EQ(f.pages, 3);  // 10 + 12 + 3 lines
    EXPECT_EQ(f.blocks[0].units[9].page, 0);
    EXPECT_EQ(f.blocks[0].units[10].page, 1);
    EXPECT_EQ(f.blocks[0].units[22].page, 2);
}

TEST(PdfLayout, AUnitTallerThanAPageStandsAloneOnOne) {
    FlowBlock p;
    p.units = {10, 500, 10};
    const Flow f = LayOut({100, 100}, {p});
    EXPECT_EQ(f.blocks[0].units[1].page, 1);
    EXPECT_EQ(f.blocks[0].units[1].y, 0);
    EXPECT_EQ(f.blocks[0].units[2].page, 2);
}

TEST(PdfLayout, AnEmptyFlowIsOnePage) {
    EXPECT_EQ(LayOut({100, 100}, {}).pages, 1);
    EXPECT_EQ(LayOut({100, 100}, {FlowBlock{}}).pages, 1);
}

}  // namespace
}  // namespace otdel::documents::layout
