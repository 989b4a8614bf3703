#include "documents/pdf_layout.hpp"

#include <algorithm>

namespace otdel::documents::layout {

Flow LayOut(const FlowPages& pages, const std::vector<FlowBlock>& blocks) {
    Flow flow;
    int page = 0;
    double y = 0;
    auto avail = [&] { return page == 0 ? pages.first : pages.rest; };
    auto next_page = [&] {
        ++page;
        y = 0;
    };

    for (const auto& block : blocks) {
        BlockPlaces places;
        places.units.reserve(block.units.size());
        if (block.units.empty()) {
            flow.blocks.push_back(std::move(places));
            continue;
        }
        if (y > 0) y += block.space_before;

        // The leading units that stay together (with the header) go to the next page when they do not fit here and
        // would fit on an empty page.
        const std::size_t keep = std::clamp<std::size_t>(block.keep_first, 1, block.units.size());
        double lead = block.header;
        for (std::size_t i = 0; i < keep; ++i) lead += block.units[i];
        if (y > 0 && y + lead > avail() && lead <= pages.rest) next_page();

        bool header_here = false;  // the header already stands on this page for this block
        for (std::size_t i = 0; i < block.units.size(); ++i) {
            const double h = block.units[i];
            const double need = h + (header_here ? 0 : block.header);
            if (y > 0 && y + need > avail() && i >= keep) {
                next_page();
                header_here = false;
            }
            if (!header_here && block.header > 0) {
                places.headers.push_back({page, y});
                y += block.header;
            }
            header_here = true;
            places.units.push_back({page, y});
            y += h;
        }
        flow.blocks.push_back(std::move(places));
    }
    flow.pages = page + 1;
    return flow;
}

}  // namespace otdel::documents::layout
