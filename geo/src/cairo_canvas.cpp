#include "cairo_canvas.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "atlas/geo/error.hpp"
#include "atlas/geo/style_formats.hpp"
#include "map_labels.hpp"

namespace atlas::canvas {

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

void set_font(cairo_t* cr, double size, bool bold) {
    cairo_select_font_face(cr, kFont, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

double text_width(cairo_t* cr, const std::string& text) {
    cairo_text_extents_t extents;
    cairo_text_extents(cr, text.c_str(), &extents);
    return extents.x_advance;
}

// Greedy word wrap with the current font.
std::vector<std::string> wrap(cairo_t* cr, const std::string& text, double width) {
    std::vector<std::string> lines;
    std::string line;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find(' ', start);
        if (end == std::string::npos) end = text.size();
        const std::string word = text.substr(start, end - start);
        const std::string candidate = line.empty() ? word : line + " " + word;
        if (!line.empty() && text_width(cr, candidate) > width) {
            lines.push_back(line);
            line = word;
        } else {
            line = candidate;
        }
        start = end + 1;
    }
    if (!line.empty()) lines.push_back(line);
    return lines;
}

void set_colour(cairo_t* cr, const std::string& hex) {
    const Rgb c = parse_colour(hex);
    cairo_set_source_rgb(cr, c.r / 255.0, c.g / 255.0, c.b / 255.0);
}

namespace {

const cairo_user_data_key_t kRecorderKey{};

SvgTextRecorder* recorder_of(cairo_t* cr) {
    return static_cast<SvgTextRecorder*>(cairo_get_user_data(cr, &kRecorderKey));
}

std::string svg_number(double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f", v);
    return buffer;
}

constexpr double kHaloWidth = 2.4;

}  // namespace

SvgTextRecorder::SvgTextRecorder(cairo_t* cr) {
    cairo_set_user_data(cr, &kRecorderKey, this, nullptr);
}

void SvgTextRecorder::record(cairo_t* cr, double x, double y, const std::string& text, bool halo) {
    cairo_user_to_device(cr, &x, &y);
    cairo_matrix_t font, ctm;
    cairo_get_font_matrix(cr, &font);
    cairo_get_matrix(cr, &ctm);
    const double scale = ctm.yy;
    double r = 0, g = 0, b = 0, a = 1;
    cairo_pattern_get_rgba(cairo_get_source(cr), &r, &g, &b, &a);
    char colour[8];
    std::snprintf(colour, sizeof colour, "#%02x%02x%02x", static_cast<int>(std::lround(r * 255)),
                  static_cast<int>(std::lround(g * 255)), static_cast<int>(std::lround(b * 255)));
    const bool bold =
        cairo_toy_font_face_get_weight(cairo_get_font_face(cr)) == CAIRO_FONT_WEIGHT_BOLD;
    elements_ += "<text x=\"" + svg_number(x) + "\" y=\"" + svg_number(y) + "\" font-family=\"" +
                 kFont + "\" font-size=\"" + svg_number(font.yy * scale) + "\"" +
                 (bold ? " font-weight=\"bold\"" : "") + " fill=\"" + colour + "\"";
    if (halo) {
        elements_ += " stroke=\"#ffffff\" stroke-width=\"" + svg_number(kHaloWidth * scale) +
                     "\" stroke-linejoin=\"round\" paint-order=\"stroke\"";
    }
    elements_ += ">" + escape_xml(text) + "</text>\n";
}

void SvgTextRecorder::insert_into(std::string& svg) const {
    const auto end = svg.rfind("</svg>");
    if (end == std::string::npos) throw std::runtime_error("Cairo wrote no </svg>");
    svg.insert(end, "<g id=\"text\">\n" + elements_ + "</g>\n");
}

void text_at(cairo_t* cr, double x, double y, const std::string& text) {
    if (SvgTextRecorder* recorder = recorder_of(cr)) {
        recorder->record(cr, x, y, text, false);
        return;
    }
    cairo_move_to(cr, x, y);
    cairo_show_text(cr, text.c_str());
}

void halo_text_at(cairo_t* cr, double x, double y, const std::string& text,
                  const std::string& colour) {
    set_colour(cr, colour);
    if (SvgTextRecorder* recorder = recorder_of(cr)) {
        recorder->record(cr, x, y, text, true);
        return;
    }
    // The halo as an outline path, the text itself as text: PDFs stay searchable.
    cairo_save(cr);
    cairo_new_path(cr);
    cairo_move_to(cr, x, y);
    cairo_text_path(cr, text.c_str());
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_set_line_width(cr, kHaloWidth);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr);
    cairo_restore(cr);
    cairo_move_to(cr, x, y);
    cairo_show_text(cr, text.c_str());
}

std::string data_notice(Language language) {
    return language == Language::de ? "Modellierte Werte (synthetisch) – keine amtliche Statistik"
                                    : "Modelled (synthetic) values – not official statistics";
}

namespace {
double draw_legend(cairo_t* cr, const Legend& legend, const Layout& l, Language language);
}  // namespace

Layout page_layout(cairo_t* cr, const MapOptions& options, const Legend& legend) {
    Layout l;
    l.width = options.width;
    l.height = options.height;
    set_font(cr, kAttributionSize);
    std::string attribution;
    for (const auto& a : options.attribution) attribution += (attribution.empty() ? "" : " · ") + a;
    l.attribution = wrap(cr, attribution, l.width - 2 * kMargin);
    const double bottom =
        kMargin + kAttributionLine * static_cast<double>(l.attribution.size()) + 8;
    l.map_x0 = kMargin;
    l.map_y0 = kTitleBand;
    l.map_y1 = l.height - bottom;
    l.attribution_y = l.map_y1 + 8 + kAttributionLine;
    // The legend's height, measured by drawing it where no one sees.
    const auto measure = [&](double width) {
        Layout at_origin = l;
        at_origin.legend_x = at_origin.legend_y = 0;
        at_origin.legend_width = width;
        Surface surface(nullptr);
        const Context scratch = measuring_context(surface);
        return draw_legend(scratch.get(), legend, at_origin, options.language);
    };
    if (l.height > l.width) {
        l.legend_height = measure((l.width - 3 * kMargin) / 2);
        const double band = std::clamp(l.legend_height + 24, 140.0, 0.5 * l.height);
        l.map_x1 = l.width - kMargin;
        l.map_y1 -= band;
        l.legend_x = kMargin;
        l.legend_y = l.map_y1 + 12;
        l.legend_width = (l.width - 3 * kMargin) / 2;
        l.index_beside = true;
        l.index_x = l.legend_x + l.legend_width + kMargin;
    } else {
        l.legend_width = std::clamp(0.3 * l.width, 200.0, 340.0);
        l.legend_x = l.width - kMargin - l.legend_width;
        l.legend_y = l.map_y0 + 4;
        l.map_x1 = l.legend_x - kMargin;
        l.legend_height = measure(l.legend_width);
    }
    return l;
}

MapFrame fit(const Dataset& dataset, const Layout& l) {
    Box box{INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (const auto& d : dataset.districts) {
        const Box b = bounds(d.metric);
        box = {std::min(box.min_x, b.min_x), std::min(box.min_y, b.min_y),
               std::max(box.max_x, b.max_x), std::max(box.max_y, b.max_y)};
    }
    MapFrame frame;
    if (dataset.districts.empty() || !(box.max_x > box.min_x) || !(box.max_y > box.min_y))
        return frame;
    const double w = l.map_x1 - l.map_x0, h = l.map_y1 - l.map_y0;
    frame.scale = std::min(w / (box.max_x - box.min_x), h / (box.max_y - box.min_y));
    // Centre the districts in the map area.
    const double cx = (box.min_x + box.max_x) / 2, cy = (box.min_y + box.max_y) / 2;
    frame.offset_x = (l.map_x0 + l.map_x1) / 2 - cx * frame.scale;
    frame.offset_y = (l.map_y0 + l.map_y1) / 2 + cy * frame.scale;
    frame.north_arrow = {l.map_x0 + 10, l.map_y1 - 64};
    return frame;
}

void check_options(const MapOptions& options) {
    for (const auto& [name, value] :
         {std::pair{"width", options.width}, {"height", options.height}}) {
        if (value < kMinMapSize || value > kMaxMapSize) {
            throw BadRequest(std::string(name) + " must lie between " +
                             std::to_string(kMinMapSize) + " and " + std::to_string(kMaxMapSize));
        }
    }
    if (options.dpi < kMinDpi || options.dpi > kMaxDpi) {
        throw BadRequest("dpi must lie between " + std::to_string(kMinDpi) + " and " +
                         std::to_string(kMaxDpi));
    }
    const double zoom = options.dpi / 96.0;
    if (options.width * zoom * options.height * zoom > kMaxMapPixels) {
        throw BadRequest("width × height × (dpi/96)² must not exceed " +
                         std::to_string(static_cast<int>(kMaxMapPixels / 1e6)) +
                         " million pixels (e.g. 4000 × 4000 at 150 dpi, A3 at 300 dpi)");
    }
}

namespace {

void draw_districts(cairo_t* cr, const Legend& legend, const Dataset& dataset,
                    const MapFrame& frame) {
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    for (std::size_t d = 0; d < dataset.districts.size(); ++d) {
        const auto& k = legend.districts[d].class_index;
        set_colour(cr, k                                ? legend.classes[*k].colour
                       : legend.districts[d].suppressed ? legend.suppressed_colour
                                                        : legend.missing_colour);
        cairo_new_path(cr);
        const auto trace = [&](const Ring& ring) {
            for (std::size_t i = 0; i < ring.size(); ++i) {
                const Point p = frame.to_page(ring[i]);
                if (i == 0) {
                    cairo_move_to(cr, p.x, p.y);
                } else {
                    cairo_line_to(cr, p.x, p.y);
                }
            }
            cairo_close_path(cr);
        };
        for (const auto& polygon : dataset.districts[d].metric) {
            trace(polygon.outer);
            for (const auto& hole : polygon.holes) trace(hole);
        }
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 0.45, 0.45, 0.45);
        cairo_set_line_width(cr, 0.6);
        cairo_stroke(cr);
    }
}

// A bar of a round length (1, 2 or 5 × 10^k m) near a quarter of the map width.
void draw_scale_bar(cairo_t* cr, const Layout& l, const MapFrame& frame) {
    const double target = (l.map_x1 - l.map_x0) / 4 / frame.scale;
    const double magnitude = std::pow(10.0, std::floor(std::log10(target)));
    double metres = magnitude;
    for (const double step : {2.0, 5.0, 10.0})
        if (magnitude * step <= target) metres = magnitude * step;
    const double length = metres * frame.scale;
    const double x = l.map_x0, y = l.map_y1 - 6;
    cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
    cairo_set_line_width(cr, 2);
    cairo_move_to(cr, x, y - 5);
    cairo_line_to(cr, x, y);
    cairo_line_to(cr, x + length, y);
    cairo_line_to(cr, x + length, y - 5);
    cairo_stroke(cr);
    set_font(cr, 11);
    const std::string label =
        metres >= 1000 ? format_number(metres / 1000, 0) + " km" : format_number(metres, 0) + " m";
    text_at(cr, x + length + 6, y, label);
}

// An arrow pointing up, "N" above it. The map is drawn in the working CRS (Erfurt: UTM), whose
// grid north differs from true north by under a degree across a city.
void draw_north_arrow(cairo_t* cr, const MapFrame& frame) {
    const Point tip = frame.north_arrow;
    cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
    cairo_new_path(cr);
    cairo_move_to(cr, tip.x, tip.y);
    cairo_line_to(cr, tip.x + 8, tip.y + 24);
    cairo_line_to(cr, tip.x, tip.y + 17);
    cairo_line_to(cr, tip.x - 8, tip.y + 24);
    cairo_close_path(cr);
    cairo_fill(cr);
    set_font(cr, 12, true);
    text_at(cr, tip.x - text_width(cr, "N") / 2, tip.y - 4, "N");
}

std::string method_label(const Legend& legend, Language language) {
    const bool de = language == Language::de;
    const std::string name = method_name(legend);
    if (name == "quantile") return de ? "Quantile" : "quantiles";
    if (name == "equal_interval") return de ? "gleiche Intervalle" : "equal intervals";
    if (name == "jenks") return de ? "natürliche Brüche (Jenks)" : "natural breaks (Jenks)";
    if (name == "stddev") return de ? "Standardabweichungen" : "standard deviations";
    if (name == "manual") return de ? "feste Grenzen" : "manual breaks";
    return de ? "Bedarf × Zugang (Terzile)" : "need × access (tertiles)";
}

// Nine classes "need-access" (1..3 each): read as a matrix, not as a list of nine lines.
bool is_bivariate(const Legend& legend) {
    if (!legend.categorical || legend.classes.size() != 9) return false;
    for (const auto& c : legend.classes) {
        if (c.value.size() != 3 || c.value[1] != '-' || c.value[0] < '1' || c.value[0] > '3' ||
            c.value[2] < '1' || c.value[2] > '3')
            return false;
    }
    return true;
}

// Need rising upwards, access rising to the right; each cell carries its district count, the
// gap cell (need high, access low) is outlined. Returns the y below.
double draw_bivariate_matrix(cairo_t* cr, const Legend& legend, double x, double y, double width,
                             Language language) {
    const bool de = language == Language::de;
    const std::vector<std::string> levels =
        de ? std::vector<std::string>{"niedrig", "mittel", "hoch"}
           : std::vector<std::string>{"low", "medium", "high"};
    set_font(cr, 11);
    double label_width = 0;
    for (const auto& level : levels) label_width = std::max(label_width, text_width(cr, level));
    const double cell = std::max(30.0, label_width + 8);  // column labels must not touch
    const double x0 = x + label_width + 8;
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    set_font(cr, 11, true);
    text_at(cr, x, y + 11, de ? "Bedarf ↑" : "Need ↑");
    y += 18;
    for (const auto& c : legend.classes) {
        const int need = c.value[0] - '1', access = c.value[2] - '1';
        const double cx = x0 + access * cell, cy = y + (2 - need) * cell;
        set_colour(cr, c.colour);
        cairo_rectangle(cr, cx, cy, cell, cell);
        cairo_fill(cr);
        set_font(cr, 10, true);
        const std::string count = std::to_string(c.count);
        halo_text_at(cr, cx + (cell - text_width(cr, count)) / 2, cy + cell / 2 + 4, count,
                     "#1a1a1a");
    }
    // The gap cell: need high (row 0 on the page), access low (column 0).
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    cairo_set_line_width(cr, 2.2);
    cairo_rectangle(cr, x0 + 1.1, y + 1.1, cell - 2.2, cell - 2.2);
    cairo_stroke(cr);
    set_font(cr, 11);
    for (int need = 0; need < 3; ++need) {
        const std::string& level = levels[static_cast<std::size_t>(need)];
        text_at(cr, x0 - 6 - text_width(cr, level), y + (2 - need) * cell + cell / 2 + 4, level);
    }
    y += 3 * cell;
    for (int access = 0; access < 3; ++access) {
        const std::string& level = levels[static_cast<std::size_t>(access)];
        text_at(cr, x0 + access * cell + (cell - text_width(cr, level)) / 2, y + 13, level);
    }
    set_font(cr, 11, true);
    text_at(cr, x0, y + 29, de ? "Zugang →" : "Access →");
    y += 38;
    set_font(cr, 11);
    for (const auto& line : wrap(cr,
                                 de ? "umrandet: Versorgungslücke (Bedarf hoch, Zugang niedrig)"
                                    : "outlined: coverage gap (high need, low access)",
                                 width)) {
        text_at(cr, x, y + 11, line);
        y += 15;
    }
    return y + 7;
}

// Returns the y below the legend.
double draw_legend(cairo_t* cr, const Legend& legend, const Layout& l, Language language) {
    const bool de = language == Language::de;
    double y = l.legend_y;
    const double x = l.legend_x;
    set_font(cr, 13, true);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    const std::string heading =
        (de ? "Legende" : "Legend") + (legend.unit.empty() ? "" : " (" + legend.unit + ")");
    text_at(cr, x, y + 12, heading);
    y += 26;
    const auto entry = [&](const std::string& colour, const std::string& label, std::size_t n) {
        set_colour(cr, colour);
        cairo_rectangle(cr, x, y, 22, 15);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 0.45, 0.45, 0.45);
        cairo_set_line_width(cr, 0.6);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        set_font(cr, 12);
        text_at(cr, x + 30, y + 12, label + "  (" + std::to_string(n) + ")");
        y += 21;
    };
    if (is_bivariate(legend)) {
        y = draw_bivariate_matrix(cr, legend, x, y, l.legend_width, language);
    } else {
        // Highest class on top, as map readers expect for sequential data.
        for (auto c = legend.classes.rbegin(); c != legend.classes.rend(); ++c) {
            entry(c->colour, c->label, c->count);
        }
    }
    if (legend.suppressed > 0)
        entry(legend.suppressed_colour, legend.suppressed_label, legend.suppressed);
    if (legend.missing > 0) entry(legend.missing_colour, legend.missing_label, legend.missing);
    y += 8;
    set_font(cr, 11);
    cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
    const std::string method =
        (de ? "Klassen: " : "Classes: ") + method_label(legend, language) +
        (legend.fixed_breaks ? (de ? ", über alle Jahre gleich" : ", the same in all years") : "");
    for (const std::string& text : {method, legend.note}) {
        for (const auto& line : wrap(cr, text, l.legend_width)) {
            text_at(cr, x, y + 11, line);
            y += 15;
        }
        y += 4;
    }
    if (legend.modelled) {
        set_font(cr, 11, true);
        cairo_set_source_rgb(cr, 0.7, 0.1, 0.1);
        for (const auto& line : wrap(cr, data_notice(language), l.legend_width)) {
            text_at(cr, x, y + 11, line);
            y += 15;
        }
    }
    return y;
}

}  // namespace

void draw_page(cairo_t* cr, const Legend& legend, const Dataset& dataset, const Layout& l,
               const MapOptions& options) {
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    set_font(cr, 20, true);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    text_at(cr, kMargin, kMargin + 18, legend.title);
    set_font(cr, 13);
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    const std::string& title =
        options.language == Language::en ? dataset.config.title_en : dataset.config.title_de;
    text_at(cr, kMargin, kMargin + 38, title + " · " + legend.subtitle);
    const MapFrame frame = fit(dataset, l);
    draw_districts(cr, legend, dataset, frame);
    // A legend taller than its room (small pages) is drawn smaller rather than over the
    // attribution.
    const double legend_room = l.attribution_y - kAttributionLine - 8 - l.legend_y;
    const double shrink = l.legend_height > legend_room ? legend_room / l.legend_height : 1.0;
    Layout at_origin = l;
    at_origin.legend_x = at_origin.legend_y = 0;
    at_origin.legend_width /= shrink;
    cairo_save(cr);
    cairo_translate(cr, l.legend_x, l.legend_y);
    cairo_scale(cr, shrink, shrink);
    const double below_legend =
        l.legend_y + shrink * draw_legend(cr, legend, at_origin, options.language);
    cairo_restore(cr);
    // The index of numbered districts: beside the legend (portrait) or below it, down to the
    // attribution.
    const double index_x = l.index_beside ? l.index_x : l.legend_x;
    const double index_y = l.index_beside ? l.legend_y : below_legend + 8;
    const double index_bottom = l.attribution_y - kAttributionLine - 8;
    LabelPlan labels;
    if (options.labels) {
        const Point tip = frame.north_arrow;
        const std::vector<PageBox> furniture = {
            {tip.x - 10, tip.y - 18, tip.x + 10, tip.y + 26},  // north arrow and its "N"
            {l.map_x0, l.map_y1 - 20, l.map_x0 + 0.25 * (l.map_x1 - l.map_x0) + 60,
             l.map_y1}};  // scale bar and its label
        labels = plan_labels(cr, dataset, frame, {l.map_x0, l.map_y0, l.map_x1, l.map_y1},
                             furniture, l.legend_width, index_bottom - index_y);
        draw_labels(cr, labels);
    }
    draw_scale_bar(cr, l, frame);
    draw_north_arrow(cr, frame);
    draw_label_index(cr, labels, index_x, index_y, l.legend_width, options.language);
    set_font(cr, kAttributionSize);
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    double y = l.attribution_y;
    for (const auto& line : l.attribution) {
        text_at(cr, kMargin, y, line);
        y += kAttributionLine;
    }
}

Context measuring_context(Surface& surface) {
    surface.reset(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1));
    return Context(cairo_create(surface.get()));
}

}  // namespace atlas::canvas
