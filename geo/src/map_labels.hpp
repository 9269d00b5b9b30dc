#pragma once
// Private: district names on static maps without collisions. A district whose name does not fit
// inside it gets a number (with a leader line where the number has to move away), resolved in
// an index next to the legend.

#include <cairo.h>

#include <string>
#include <vector>

#include "atlas/geo/dataset.hpp"
#include "atlas/geo/static_map.hpp"

namespace atlas::canvas {

// An axis-parallel box in CSS pixels of the page.
struct PageBox {
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    bool overlaps(const PageBox& o) const {
        return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1;
    }
};

struct DistrictLabel {
    std::size_t district = 0;
    Point anchor;                    // the district's label point on the page
    std::vector<std::string> lines;  // the name (one or two lines) or the index number
    PageBox box;                     // where the text goes
    bool numbered = false;
    bool leader = false;  // the number sits away from its anchor: a line joins them
};

struct LabelPlan {
    std::vector<DistrictLabel> labels;
    std::vector<std::pair<int, std::string>> index;  // number → district name
};

// Places a label for every district inside the map area, avoiding the `reserved` boxes (north
// arrow, scale bar) and each other. Numbers go only to as many districts as an index of
// `index_width` × `index_height` can list (the largest unnamed districts first); the others
// stay unlabelled rather than crowd the page.
LabelPlan plan_labels(cairo_t* cr, const Dataset& dataset, const MapFrame& frame,
                      const PageBox& map_area, const std::vector<PageBox>& reserved,
                      double index_width, double index_height);
void draw_labels(cairo_t* cr, const LabelPlan& plan);
// The index of numbered districts in columns from (x, y) within `width`; returns the y below.
double draw_label_index(cairo_t* cr, const LabelPlan& plan, double x, double y, double width,
                        Language language);

}  // namespace atlas::canvas
