#pragma once
/// The pure half of the PDF renderer: how a vertical flow of blocks is cut into pages. Heights are in points and come
/// from pango; nothing here draws or measures, so page breaking is unit-tested without cairo.
#include <cstddef>
#include <vector>

namespace otdel::documents::layout {

/// Content height (between the page's header and footer) of the first page and of every page after it.
struct FlowPages {
    double first = 0;
    double rest = 0;
};

/// A block of the flow: units stacked top-down (a paragraph's lines, a table's rows, total rows…) that may be split
/// between any two units.
struct FlowBlock {
    /// Gap above the block; dropped when the block starts at the top of a page.
    double space_before = 0;
    /// A unit drawn above the block's first unit and again above its first unit on every later page (a table's
    /// heading row); 0 means none.
    double header = 0;
    std::vector<double> units;
    /// How many leading units must share a page with each other (and the header): a paragraph's heading with its
    /// first line, a table's heading with its first row, a signature block whole. At least 1.
    std::size_t keep_first = 1;
};

/// The top of something placed: page (0-based) and y from the top of that page's content area.
struct Place {
    int page = 0;
    double y = 0;
};

struct BlockPlaces {
    std::vector<Place> headers;  // one per page the block is on, when it has a header
    std::vector<Place> units;    // one per unit
};

struct Flow {
    std::vector<BlockPlaces> blocks;
    int pages = 1;
};

/// Places the blocks in order. A unit that does not fit in what is left of the page starts the next page (a block
/// with a header draws it there first); a unit taller than a whole page is placed alone at the top of one (and is
/// cut by the page's edge — callers keep units small). Never returns fewer than one page.
Flow LayOut(const FlowPages& pages, const std::vector<FlowBlock>& blocks);

}  // namespace otdel::documents::layout
