#include "map_labels.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "cairo_canvas.hpp"

namespace atlas::canvas {

namespace {

constexpr double kNameSize = 9.5;
constexpr double kNumberSize = 9;
constexpr double kLineHeight = 11;
constexpr double kPad = 1.5;  // around the text, so halos do not touch

// A name as one line, or split into two at the space or hyphen nearest its middle.
std::vector<std::vector<std::string>> name_layouts(const std::string& name) {
    std::vector<std::vector<std::string>> out{{name}};
    std::size_t best = std::string::npos;
    for (std::size_t i = 1; i + 1 < name.size(); ++i) {
        if (name[i] != ' ' && name[i] != '-') continue;
        const auto off = [&](std::size_t k) {
            return std::abs(static_cast<double>(k) - name.size() / 2.0);
        };
        if (best == std::string::npos || off(i) < off(best)) best = i;
    }
    if (best != std::string::npos) {
        // A hyphen stays at the end of the first line; a space goes.
        const std::size_t cut = name[best] == '-' ? best + 1 : best;
        out.push_back({name.substr(0, cut), name.substr(best + 1)});
    }
    return out;
}

PageBox text_box(cairo_t* cr, const std::vector<std::string>& lines, Point centre) {
    double width = 0;
    for (const auto& line : lines) width = std::max(width, text_width(cr, line));
    const double height = kLineHeight * static_cast<double>(lines.size());
    return {centre.x - width / 2 - kPad, centre.y - height / 2 - kPad, centre.x + width / 2 + kPad,
            centre.y + height / 2 + kPad};
}

bool inside(const PageBox& inner, const PageBox& outer) {
    return inner.x0 >= outer.x0 && inner.x1 <= outer.x1 && inner.y0 >= outer.y0 &&
           inner.y1 <= outer.y1;
}

class Placer {
  public:
    Placer(const PageBox& area, std::vector<PageBox> taken)
        : area_(area), taken_(std::move(taken)) {}
    bool free(const PageBox& box) const {
        if (!inside(box, area_)) return false;
        return std::none_of(taken_.begin(), taken_.end(),
                            [&](const PageBox& t) { return t.overlaps(box); });
    }
    void take(const PageBox& box) { taken_.push_back(box); }

  private:
    PageBox area_;
    std::vector<PageBox> taken_;
};

// The name fits its district when the middle of the box's left and right edges and its centre
// lie inside the district: readers then take it for that district's name.
bool fits(const MultiPolygon& district, const MapFrame& frame, const PageBox& box) {
    const double mid = (box.y0 + box.y1) / 2;
    for (const Point p : {Point{box.x0 + kPad, mid}, Point{box.x1 - kPad, mid},
                          Point{(box.x0 + box.x1) / 2, mid}}) {
        if (signed_distance(district, frame.to_metric(p)) <= 0) return false;
    }
    return true;
}

constexpr double kIndexHeading = 17;
constexpr double kIndexLine = 13;
constexpr double kIndexSize = 10;

struct IndexShape {
    int columns = 1;
    double column_width = 0;
};

// Up to three columns of "12  Name", as many as the widest entry allows.
IndexShape index_shape(cairo_t* cr, const std::vector<std::string>& names, double width) {
    set_font(cr, kIndexSize);
    double widest = 0;
    for (const auto& name : names) widest = std::max(widest, text_width(cr, "00  " + name));
    const int columns = std::clamp(static_cast<int>(width / (widest + 12)), 1, 3);
    return {columns, width / columns};
}

}  // namespace

LabelPlan plan_labels(cairo_t* cr, const Dataset& dataset, const MapFrame& frame,
                      const PageBox& map_area, const std::vector<PageBox>& reserved,
                      double index_width, double index_height) {
    const std::size_t n = dataset.districts.size();
    std::vector<Point> anchors(n);
    for (std::size_t d = 0; d < n; ++d) {
        anchors[d] = frame.to_page(label_point(dataset.districts[d].metric, 0.5 / frame.scale));
    }
    // Every anchor stays free for the number that may have to sit on it.
    const auto anchor_box = [&](std::size_t d) {
        return PageBox{anchors[d].x - 2, anchors[d].y - 2, anchors[d].x + 2, anchors[d].y + 2};
    };

    // Names first, largest districts first: they have the room, and small ones get numbers.
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return dataset.districts[a].area_km2 > dataset.districts[b].area_km2;
    });
    LabelPlan plan;
    std::vector<bool> named(n, false);
    Placer placed(map_area, reserved);
    set_font(cr, kNameSize);
    for (const std::size_t d : order) {
        const auto& district = dataset.districts[d];
        bool done = false;
        for (const auto& lines : name_layouts(district.name)) {
            for (const double dy : {0.0, -kLineHeight / 2, kLineHeight / 2, -kLineHeight}) {
                const PageBox box = text_box(cr, lines, {anchors[d].x, anchors[d].y + dy});
                bool covers_anchor = false;
                for (std::size_t o = 0; o < n && !covers_anchor; ++o)
                    covers_anchor = o != d && anchor_box(o).overlaps(box);
                if (covers_anchor || !placed.free(box) || !fits(district.metric, frame, box))
                    continue;
                placed.take(box);
                plan.labels.push_back({d, anchors[d], lines, box, false, false});
                named[d] = true;
                done = true;
                break;
            }
            if (done) break;
        }
    }

    // As many numbers as the index can list, largest districts first; numbered in the order of
    // the names, so the index reads alphabetically.
    std::vector<std::size_t> rest;
    for (const std::size_t d : order)
        if (!named[d]) rest.push_back(d);
    std::vector<std::string> names;
    for (const std::size_t d : rest) names.push_back(dataset.districts[d].name);
    const IndexShape shape = index_shape(cr, names, index_width);
    const double rows = std::floor((index_height - kIndexHeading) / kIndexLine);
    const auto room = static_cast<std::size_t>(std::max(0.0, rows) * shape.columns);
    if (rest.size() > room) rest.resize(room);
    std::stable_sort(rest.begin(), rest.end(), [&](std::size_t a, std::size_t b) {
        return dataset.districts[a].name < dataset.districts[b].name;
    });
    set_font(cr, kNumberSize, true);
    int number = 0;
    for (const std::size_t d : rest) {
        const std::string text = std::to_string(++number);
        plan.index.emplace_back(number, dataset.districts[d].name);
        const double half_w = text_width(cr, text) / 2 + kPad;
        const double half_h = kLineHeight / 2 + kPad;
        const auto box_at = [&](Point c) {
            return PageBox{c.x - half_w, c.y - half_h, c.x + half_w, c.y + half_h};
        };
        std::optional<PageBox> chosen;
        bool leader = false;
        const auto other_anchor_in = [&](const PageBox& box) {
            for (std::size_t o = 0; o < n; ++o)
                if (o != d && anchor_box(o).overlaps(box)) return true;
            return false;
        };
        if (const PageBox box = box_at(anchors[d]); placed.free(box) && !other_anchor_in(box)) {
            chosen = box;
        }
        // Then further and further out, in sixteen directions, with a leader line.
        for (double radius = 14; !chosen && radius <= 120; radius += 6) {
            for (int k = 0; k < 16 && !chosen; ++k) {
                const double angle = -M_PI / 4 + k * M_PI / 8;  // start up and to the right
                const PageBox box = box_at({anchors[d].x + radius * std::cos(angle),
                                            anchors[d].y - radius * std::sin(angle)});
                if (placed.free(box) && !other_anchor_in(box)) {
                    chosen = box;
                    leader = true;
                }
            }
        }
        if (!chosen) {
            // Crowded beyond 120 px all round: no number rather than one on top of another.
            plan.index.pop_back();
            --number;
            continue;
        }
        placed.take(*chosen);
        plan.labels.push_back({d, anchors[d], {text}, *chosen, true, leader});
    }
    return plan;
}

void draw_labels(cairo_t* cr, const LabelPlan& plan) {
    // Leader lines under every text, so no line crosses a name.
    cairo_set_line_width(cr, 0.7);
    for (const auto& label : plan.labels) {
        if (!label.leader) continue;
        const Point c{(label.box.x0 + label.box.x1) / 2, (label.box.y0 + label.box.y1) / 2};
        cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
        cairo_arc(cr, label.anchor.x, label.anchor.y, 1.3, 0, 2 * M_PI);
        cairo_fill(cr);
        // From the anchor to the box's edge, not into the number.
        const double dx = c.x - label.anchor.x, dy = c.y - label.anchor.y;
        const double hx = (label.box.x1 - label.box.x0) / 2, hy = (label.box.y1 - label.box.y0) / 2;
        const double t = std::min(std::abs(dx) > 0 ? hx / std::abs(dx) : 1.0,
                                  std::abs(dy) > 0 ? hy / std::abs(dy) : 1.0);
        cairo_move_to(cr, label.anchor.x, label.anchor.y);
        cairo_line_to(cr, c.x - dx * t, c.y - dy * t);
        cairo_stroke(cr);
    }
    for (const auto& label : plan.labels) {
        if (label.numbered) {
            set_font(cr, kNumberSize, true);
        } else {
            set_font(cr, kNameSize);
        }
        double y = label.box.y0 + kPad;
        for (const auto& line : label.lines) {
            const double x = (label.box.x0 + label.box.x1) / 2 - text_width(cr, line) / 2;
            // The baseline sits about 0.8 of the line box down.
            halo_text_at(cr, x, y + kLineHeight * 0.8, line, "#1a1a1a");
            y += kLineHeight;
        }
    }
}

double draw_label_index(cairo_t* cr, const LabelPlan& plan, double x, double y, double width,
                        Language language) {
    if (plan.index.empty()) return y;
    set_font(cr, 11, true);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    text_at(cr, x, y + 11,
            language == Language::de ? "Nummern in der Karte" : "Numbers on the map");
    y += kIndexHeading;
    std::vector<std::string> names;
    for (const auto& entry : plan.index) names.push_back(entry.second);
    const IndexShape shape = index_shape(cr, names, width);
    const std::size_t rows = (plan.index.size() + shape.columns - 1) / shape.columns;
    for (std::size_t i = 0; i < plan.index.size(); ++i) {
        const auto& [number, name] = plan.index[i];
        const double cx = x + static_cast<double>(i / rows) * shape.column_width;
        const double cy = y + static_cast<double>(i % rows) * kIndexLine;
        set_font(cr, kIndexSize, true);
        text_at(cr, cx, cy + 10, std::to_string(number));
        set_font(cr, kIndexSize);
        text_at(cr, cx + 18, cy + 10, name);
    }
    return y + static_cast<double>(rows) * kIndexLine;
}

}  // namespace atlas::canvas
