#pragma once
// Private: drawing with Cairo for static maps and the report: RAII handles, text helpers and
// one complete map page (title, districts, legend, scale bar, notice, attribution), all in CSS
// pixels.

#include <cairo.h>

#include <memory>
#include <string>
#include <vector>

#include "atlas/geo/dataset.hpp"
#include "atlas/geo/static_map.hpp"
#include "atlas/geo/style.hpp"

namespace atlas::canvas {

struct SurfaceDeleter {
    void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct ContextDeleter {
    void operator()(cairo_t* c) const { cairo_destroy(c); }
};
using Surface = std::unique_ptr<cairo_surface_t, SurfaceDeleter>;
using Context = std::unique_ptr<cairo_t, ContextDeleter>;

constexpr double kMargin = 16;
constexpr double kTitleBand = 64;
constexpr double kAttributionSize = 10;
constexpr double kAttributionLine = 13;
constexpr const char* kFont = "DejaVu Sans";

// A cairo write callback appending to the std::string `closure`.
cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length);
void set_font(cairo_t* cr, double size, bool bold = false);
double text_width(cairo_t* cr, const std::string& text);
std::vector<std::string> wrap(cairo_t* cr, const std::string& text, double width);
void set_colour(cairo_t* cr, const std::string& hex);
void text_at(cairo_t* cr, double x, double y, const std::string& text);
// Text in `colour` on a white halo, legible on any fill.
void halo_text_at(cairo_t* cr, double x, double y, const std::string& text,
                  const std::string& colour);

// SVG output keeps its text as <text> elements (searchable, editable, translatable) instead of
// Cairo's glyph outlines: while a recorder is attached to a context, text_at and halo_text_at
// record the text where they would have drawn it.
class SvgTextRecorder {
  public:
    explicit SvgTextRecorder(cairo_t* cr);
    SvgTextRecorder(const SvgTextRecorder&) = delete;
    SvgTextRecorder& operator=(const SvgTextRecorder&) = delete;
    void record(cairo_t* cr, double x, double y, const std::string& text, bool halo);
    // The recorded text as a group of <text> elements, inserted before the closing </svg>.
    void insert_into(std::string& svg) const;

  private:
    std::string elements_;
};
std::string data_notice(Language language);

// The page split into title band, map area, legend and attribution band. Landscape pages put
// the legend in a column right of the map, the index of numbered districts below it; portrait
// pages put both side by side in a band below the map, which keeps the map wide.
struct Layout {
    double width = 0, height = 0;
    double map_x0 = 0, map_y0 = 0, map_x1 = 0, map_y1 = 0;
    double legend_x = 0, legend_y = 0, legend_width = 0;
    double legend_height = 0;   // as drawn at legend_width, before any shrinking
    bool index_beside = false;  // portrait: the index in its own column at index_x
    double index_x = 0;
    double attribution_y = 0;  // baseline of its first line
    std::vector<std::string> attribution;
};
Layout page_layout(cairo_t* cr, const MapOptions& options, const Legend& legend);
MapFrame fit(const Dataset& dataset, const Layout& l);
void check_options(const MapOptions& options);
// A whole map page on `cr` (white background first).
void draw_page(cairo_t* cr, const Legend& legend, const Dataset& dataset, const Layout& l,
               const MapOptions& options);
Context measuring_context(Surface& surface);

}  // namespace atlas::canvas
