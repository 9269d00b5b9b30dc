#pragma once
// Static thematic maps (PNG, SVG, PDF) drawn with Cairo from a Legend: districts filled by
// class, title, legend with counts, scale bar, data-status notice and attribution.

#include <string>
#include <vector>

#include "atlas/geo/dataset.hpp"
#include "atlas/geo/style.hpp"

namespace atlas {

enum class ImageFormat { png, svg, pdf };

// "png", "svg", "pdf"; nullopt for anything else.
std::optional<ImageFormat> parse_image_format(const std::string& name);
std::string media_type(ImageFormat format);

struct MapOptions {
    int width = 1200;  // CSS pixels (1/96 inch); PDF and SVG pages are width × 0.75 points
    int height = 850;
    int dpi = 96;  // PNG only: pixels = width × dpi / 96
    Language language = Language::de;
    std::vector<std::string> attribution;
    // District names on the map; where a name does not fit, a number resolved beside the legend.
    bool labels = true;
};

// The page of a paper size in CSS pixels (a PDF page is exactly that sheet): "a4-landscape",
// "a4-portrait", "a3-landscape", "a3-portrait"; "a4"/"a3" are landscape. Nullopt otherwise.
struct PaperSize {
    int width = 0;
    int height = 0;
};
std::optional<PaperSize> parse_paper(const std::string& name);

// Limits a request may ask for; outside them render_map throws BadRequest.
constexpr int kMinMapSize = 300;
constexpr int kMaxMapSize = 4000;
constexpr int kMinDpi = 72;
constexpr int kMaxDpi = 600;
// Of a PNG: width × height × (dpi / 96)², so that no one request can take gigabytes.
constexpr double kMaxMapPixels = 40e6;

// Where the map frame puts a point of the working CRS, in CSS pixels of the page.
struct MapFrame {
    double scale = 1;  // pixels per metre
    double offset_x = 0;
    double offset_y = 0;
    Point north_arrow;  // the tip of the north arrow, above the scale bar
    Point to_page(Point metric) const {
        return {offset_x + metric.x * scale, offset_y - metric.y * scale};
    }
    Point to_metric(Point page) const {
        return {(page.x - offset_x) / scale, (offset_y - page.y) / scale};
    }
};

// The frame render_map uses for this map (for tests and image maps).
MapFrame map_frame(const Legend& legend, const Dataset& dataset, const MapOptions& options);

// The encoded image. Throws BadRequest for sizes or dpi outside the limits.
std::string render_map(const Legend& legend, const Dataset& dataset, const MapOptions& options,
                       ImageFormat format);

}  // namespace atlas
