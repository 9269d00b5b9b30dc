#include "atlas/geo/report.hpp"

#include <cairo-pdf.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <stdexcept>

#include "atlas/geo/style_formats.hpp"
#include "cairo_canvas.hpp"

namespace atlas {

namespace {

using namespace canvas;

// A4 landscape: 842 × 595 pt, drawn in CSS pixels (0.75 pt each).
constexpr int kPageWidth = 1123;
constexpr int kPageHeight = 794;

void footer(cairo_t* cr, const Dataset& dataset, int page, bool modelled) {
    set_font(cr, 9);
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    std::string attribution;
    for (const auto& a : dataset.config.attribution)
        attribution += (attribution.empty() ? "" : " · ") + a;
    double y = kPageHeight - 40;
    for (const auto& line : wrap(cr, attribution, kPageWidth - 2 * kMargin - 60)) {
        text_at(cr, kMargin, y, line);
        y += 12;
    }
    text_at(cr, kPageWidth - kMargin - 40, kPageHeight - 40, "S. " + std::to_string(page));
    if (modelled) {
        set_font(cr, 9, true);
        cairo_set_source_rgb(cr, 0.7, 0.1, 0.1);
        text_at(cr, kMargin, kPageHeight - 54, data_notice(Language::de));
    }
}

// A table laid out for pages: every cell wrapped to its column, rows in blocks (two side by side
// per page), filled by height so that no text overlaps and long tables go on over further pages.
struct Table {
    std::string title;
    std::vector<std::string> header;
    std::vector<double> x;                                     // column starts within a block
    std::vector<std::vector<std::vector<std::string>>> cells;  // row, column, wrapped lines
    std::vector<std::size_t> block_starts;                     // first row of each block
    std::size_t pages() const { return (block_starts.size() + 1) / 2; }
};

constexpr double kTableTop = 66, kTableBottom = kPageHeight - 72, kTableLine = 12.4;
constexpr double kBlockWidth = (kPageWidth - 2 * kMargin) / 2;

Table layout_table(cairo_t* cr, std::string title, std::vector<std::string> header,
                   const std::vector<std::vector<std::string>>& rows, std::vector<double> x) {
    Table t{std::move(title), std::move(header), std::move(x), {}, {}};
    set_font(cr, 9.5);
    std::vector<double> heights;
    for (const auto& row : rows) {
        std::vector<std::vector<std::string>> cells;
        std::size_t lines = 1;
        for (std::size_t c = 0; c < row.size(); ++c) {
            const double right = c + 1 < t.x.size() ? t.x[c + 1] : kBlockWidth;
            cells.push_back(wrap(cr, row[c], right - t.x[c] - 8));
            lines = std::max(lines, cells.back().size());
        }
        t.cells.push_back(std::move(cells));
        heights.push_back(static_cast<double>(lines) * kTableLine);
    }
    const double capacity = kTableBottom - kTableTop;
    double total = 0;
    for (const double h : heights) total += h;
    // One page: split where the first block holds about half the height; more: fill blocks.
    const double target =
        total <= 2 * capacity ? std::max(total / 2, heights.empty() ? 0 : heights[0]) : capacity;
    double used = 0;
    t.block_starts.push_back(0);
    for (std::size_t r = 0; r < heights.size(); ++r) {
        const bool full =
            used + heights[r] > capacity + 0.01 ||
            (t.block_starts.size() % 2 == 1 && total <= 2 * capacity && used >= target - 0.01);
        if (full && used > 0) {
            t.block_starts.push_back(r);
            used = 0;
        }
        used += heights[r];
    }
    return t;
}

// Draws page `page` of the table (its two blocks).
void table_page(cairo_t* cr, const Table& t, std::size_t page) {
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    set_font(cr, 18, true);
    text_at(cr, kMargin, kMargin + 18, t.title + (page > 0 ? " (Fortsetzung)" : ""));
    for (std::size_t block = 2 * page; block < std::min(t.block_starts.size(), 2 * page + 2);
         ++block) {
        const double left = kMargin + static_cast<double>(block % 2) * kBlockWidth;
        double y = 62;
        set_font(cr, 9.5, true);
        for (std::size_t c = 0; c < t.header.size(); ++c)
            text_at(cr, left + t.x[c], y, t.header[c]);
        set_font(cr, 9.5);
        y += 4;
        const std::size_t end =
            block + 1 < t.block_starts.size() ? t.block_starts[block + 1] : t.cells.size();
        for (std::size_t r = t.block_starts[block]; r < end; ++r) {
            std::size_t lines = 1;
            for (std::size_t c = 0; c < t.cells[r].size(); ++c) {
                for (std::size_t k = 0; k < t.cells[r][c].size(); ++k)
                    text_at(cr, left + t.x[c], y + kTableLine * static_cast<double>(k + 1),
                            t.cells[r][c][k]);
                lines = std::max(lines, t.cells[r][c].size());
            }
            y += kTableLine * static_cast<double>(lines);
        }
    }
}

void title_page(cairo_t* cr, const Dataset& dataset, const ReportContent& content,
                const std::vector<Table>& tables) {
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0.14, 0.28, 0.42);
    cairo_rectangle(cr, 0, 0, kPageWidth, 140);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    set_font(cr, 32, true);
    text_at(cr, 48, 80, content.title);
    set_font(cr, 16);
    text_at(cr, 48, 115, dataset.config.title_de + " · " + content.created);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    set_font(cr, 15, true);
    text_at(cr, 48, 190, "Inhalt");
    set_font(cr, 13);
    double y = 218;
    int page = 2;
    for (const auto& map : content.maps) {
        text_at(cr, 60, y, std::to_string(page++) + "  " + map.title + " – " + map.subtitle);
        y += 20;
    }
    for (const Table& t : tables) {
        text_at(cr, 60, y, std::to_string(page) + "  " + t.title);
        page += static_cast<int>(t.pages());
        y += 20;
    }
    if (content.structure) {
        text_at(cr, 60, y,
                std::to_string(page) +
                    "  Struktur- und Ressourcenanalyse: eine Seite je "
                    "Handlungsfeld (Stichtag " +
                    content.structure->as_of + ")");
        y += 20;
    }
    y += 20;
    set_font(cr, 12);
    const std::string secrecy =
        "Geheimhaltung: Fallzahlen unter " + std::to_string(dataset.config.secrecy.min_count) +
        " und Werte, aus denen sie sich errechnen ließen, sind mit \".\" bzw. \"geheim\" "
        "gekennzeichnet.";
    for (const auto& line : wrap(cr, secrecy, kPageWidth - 120)) {
        text_at(cr, 48, y, line);
        y += 17;
    }
}

bool id_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// Indicator ids in a text (whole words) replaced by their German labels, the longest id first.
std::string with_labels(const std::string& text, const Dataset& dataset) {
    std::vector<const IndicatorSeries*> by_length;
    for (const auto& s : dataset.indicators) by_length.push_back(&s);
    std::stable_sort(by_length.begin(), by_length.end(), [](const auto* a, const auto* b) {
        return a->meta.id.size() > b->meta.id.size();
    });
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        const IndicatorSeries* match = nullptr;
        if (i == 0 || !id_char(text[i - 1])) {
            for (const auto* s : by_length) {
                const std::string& id = s->meta.id;
                const std::size_t after = i + id.size();
                if (text.compare(i, id.size(), id) == 0 &&
                    (after == text.size() || !id_char(text[after]))) {
                    match = s;
                    break;
                }
            }
        }
        if (match) {
            out += match->meta.label_de;
            i += match->meta.id.size();
        } else {
            out += text[i++];
        }
    }
    return out;
}

// The words all labels share at their start and end ("Ausländer … (modelliert)") cut off:
// short column heads.
std::vector<std::string> distinct_parts(const std::vector<std::string>& labels) {
    std::string prefix = labels.front(), suffix = labels.front();
    for (const auto& l : labels) {
        while (!l.starts_with(prefix)) prefix.pop_back();
        while (!l.ends_with(suffix)) suffix.erase(0, 1);
    }
    // Cut at word boundaries only.
    while (!prefix.empty() && prefix.back() != ' ') prefix.pop_back();
    while (!suffix.empty() && suffix.front() != ' ') suffix.erase(0, 1);
    std::vector<std::string> out;
    for (const auto& l : labels) {
        if (prefix.size() + suffix.size() >= l.size()) {
            out.push_back(l);
            continue;
        }
        out.push_back(l.substr(prefix.size(), l.size() - prefix.size() - suffix.size()));
    }
    return out;
}

// Up to `limit` entries "a: 3 · b: 1", most first.
std::string counted(const std::map<std::string, std::size_t>& counts,
                    const std::vector<Term>* terms = nullptr, std::size_t limit = 8) {
    std::vector<std::pair<std::string, std::size_t>> sorted(counts.begin(), counts.end());
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    std::string out;
    for (std::size_t i = 0; i < sorted.size() && i < limit; ++i)
        out += (i ? " · " : "") + (terms ? term_label(*terms, sorted[i].first) : sorted[i].first) +
               ": " + std::to_string(sorted[i].second);
    if (sorted.size() > limit) out += " · …";
    return out.empty() ? "–" : out;
}

// One page of the structure chapter: the field's offers on the districts (real ones filled,
// fictional ones hollow, the Regelstruktur grey) and its figures beside the map.
void structure_page(cairo_t* cr, const Dataset& dataset, const FieldInventory& field,
                    const InventoryAnalysis& analysis, const NetworkResult& network) {
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    set_font(cr, 18, true);
    text_at(cr, kMargin, kMargin + 18, "Struktur- und Ressourcenanalyse: " + field.field.label_de);
    Layout layout;
    layout.map_x0 = kMargin;
    layout.map_y0 = 50;
    layout.map_x1 = kPageWidth * 0.52;
    layout.map_y1 = kPageHeight - 80;
    const MapFrame frame = fit(dataset, layout);
    cairo_set_line_width(cr, 0.6);
    for (const auto& d : dataset.districts) {
        for (const auto& polygon : d.metric) {
            cairo_new_path(cr);
            for (std::size_t i = 0; i < polygon.outer.size(); ++i) {
                const Point p = frame.to_page(polygon.outer[i]);
                i == 0 ? cairo_move_to(cr, p.x, p.y) : cairo_line_to(cr, p.x, p.y);
            }
            cairo_close_path(cr);
            cairo_set_source_rgb(cr, 0.98, 0.97, 0.95);
            cairo_fill_preserve(cr);
            cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
            cairo_stroke(cr);
        }
    }
    for (const auto& s : dataset.services) {
        if (std::find(s.fields.begin(), s.fields.end(), field.field.id) == s.fields.end()) continue;
        const Point p = frame.to_page(s.metric);
        cairo_new_path(cr);
        if (s.offer_id.empty()) {
            cairo_arc(cr, p.x, p.y, 1.8, 0, 6.2832);
            cairo_set_source_rgb(cr, 0.48, 0.48, 0.48);
            cairo_fill(cr);
            continue;
        }
        cairo_arc(cr, p.x, p.y, 4, 0, 6.2832);
        const bool example = s.data_status == kStatusExample;
        cairo_set_source_rgb(cr, example ? 1 : 0.76, example ? 1 : 0.25, example ? 1 : 0.05);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 0.76, 0.25, 0.05);
        cairo_set_line_width(cr, 1.5);
        cairo_stroke(cr);
        cairo_set_line_width(cr, 0.6);
    }
    set_font(cr, 9);
    cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
    text_at(cr, kMargin, kPageHeight - 66,
            "● Angebot (Inventar)   ○ Beispielangebot (fiktiv)   · Einrichtung (Regelstruktur)");

    double y = 70;
    const double x = kPageWidth * 0.55;
    const double width = kPageWidth - x - kMargin;
    const auto line = [&](const std::string& text, bool bold = false, double size = 10.5) {
        set_font(cr, size, bold);
        for (const auto& l : wrap(cr, text, width)) {
            text_at(cr, x, y, l);
            y += size * 1.45;
        }
    };
    if (field.example_offers > 0) {
        cairo_set_source_rgb(cr, 0.6, 0.2, 0.05);
        line("Beispieldaten (fiktiv): " + std::to_string(field.example_offers) + " von " +
                 std::to_string(field.offers) +
                 " Angeboten sind erfunden und zeigen nur, wie die Analyse aussieht.",
             true);
        y += 4;
    }
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    if (field.offers == 0) {
        line(
            "Keine Angebote erfasst. Angebote kommen über den Import einer Tabelle (atlas "
            "import-inventory) oder die Erfassung unter /struktur hinzu.",
            true);
        return;
    }
    line(std::to_string(field.offers) + " Angebote von " + std::to_string(field.actors) +
             " Trägern: " + std::to_string(field.in_districts) + " in Stadtteilen, " +
             std::to_string(field.citywide) + " stadtweit, " + std::to_string(field.mobile) +
             " mobil, " + std::to_string(field.unplaced) + " nicht verortet",
         true);
    if (field.offers_per_1000)
        line("je 1.000 der Zielgruppe (" + analysis.target_label +
             "): " + format_number(*field.offers_per_1000, 2));
    line("Personal: " + format_number(field.staff_fte, 1) + " Vollzeitäquivalente");
    y += 6;
    line("Trägerarten", true);
    line(counted(field.by_actor_kind, &kActorKinds));
    line("Förderung", true);
    line(counted(field.by_funding, &kFundingSources));
    line("Sprachen (Angebote je Sprache)", true);
    line(counted(field.languages, nullptr, 14));
    line("Ressourcen gefährdet (alle Förderungen enden bis " + analysis.risk_until + ")", true);
    if (field.at_risk.empty()) line("keine");
    for (std::size_t i = 0; i < field.at_risk.size() && i < 6; ++i) {
        const Offer* o = dataset.inventory.offer(field.at_risk[i]);
        const Actor* a = o ? dataset.inventory.actor(o->actor_id) : nullptr;
        line("– " + (o ? o->title : field.at_risk[i]) + (a ? " (" + a->name + ")" : ""));
    }
    y += 4;
    std::size_t active = 0, isolated = 0;
    for (const auto& m : network.actors) {
        if (std::find(m.fields.begin(), m.fields.end(), field.field.id) == m.fields.end()) continue;
        ++active;
        isolated += m.isolated;
    }
    std::vector<const SynergyCandidate*> synergies;
    for (const auto& s : network.synergies)
        if (std::find(s.fields.begin(), s.fields.end(), field.field.id) != s.fields.end())
            synergies.push_back(&s);
    line("Netzwerk", true);
    line(std::to_string(active) + " Akteure im Feld, davon " + std::to_string(isolated) +
         " ohne Kooperation; " + std::to_string(synergies.size()) +
         " Synergiekandidaten (im selben " + dataset.config.district_word +
         " aktiv, ohne Kooperation)");
    for (std::size_t i = 0; i < synergies.size() && i < 5; ++i) {
        const Actor* a = dataset.inventory.actor(synergies[i]->actor_a);
        const Actor* b = dataset.inventory.actor(synergies[i]->actor_b);
        line("– " + a->name + " + " + b->name + " (" +
             dataset.districts[synergies[i]->districts.front()].name + ")");
    }
}

std::string count_text(const IndicatorSeries& s, int year, std::size_t d) {
    if (s.suppressed(year, d)) return ".";
    const auto values = s.by_year.find(year);
    if (values == s.by_year.end() || !values->second[d]) return "–";
    return format_number(*values->second[d], 0);
}

// The monitoring table and the group table of the first secrecy relation, with labels from the
// config instead of ids.
std::vector<Table> report_tables(cairo_t* cr, const Dataset& dataset,
                                 const ReportContent& content) {
    std::vector<Table> tables;
    if (content.monitoring) {
        const auto& m = *content.monitoring;
        std::vector<std::vector<std::string>> rows;
        for (std::size_t d = 0; d < m.districts.size(); ++d) {
            const auto& r = m.districts[d];
            const std::string& note =
                r.excluded_reason.empty() ? r.partial_reason : r.excluded_reason;
            rows.push_back({dataset.districts[d].name,
                            r.status_class ? status_label(r.status_class) : "–",
                            r.has_dynamics ? (r.dynamics_class > 0   ? "positiv"
                                              : r.dynamics_class < 0 ? "negativ"
                                                                     : "stabil")
                                           : "–",
                            r.combined.empty() ? "–" : r.combined, with_labels(note, dataset)});
        }
        tables.push_back(layout_table(
            cr,
            "Status und Dynamik der " + dataset.config.districts_word + " " +
                std::to_string(m.year) + " (Dynamik seit " + std::to_string(m.base_year) + ")",
            {dataset.config.district_word, "Status", "Dynamik", "Klasse", "Hinweis"}, rows,
            {0, 130, 200, 255, 300}));
    }
    if (!dataset.config.secrecy.totals.empty()) {
        const auto& total_cfg = dataset.config.secrecy.totals.front();
        std::vector<const IndicatorSeries*> columns = {dataset.indicator(total_cfg.total)};
        std::vector<std::string> labels;
        for (const auto& id : total_cfg.parts) {
            columns.push_back(dataset.indicator(id));
            labels.push_back(columns.back() ? columns.back()->meta.label_de : id);
        }
        std::vector<std::string> header = {dataset.config.district_word, "insgesamt"};
        for (auto& part : distinct_parts(labels)) header.push_back(std::move(part));
        std::vector<std::vector<std::string>> rows;
        for (std::size_t d = 0; d < dataset.districts.size(); ++d) {
            std::vector<std::string> row = {dataset.districts[d].name};
            for (const auto* c : columns)
                row.push_back(c ? count_text(*c, content.table_year, d) : "");
            rows.push_back(std::move(row));
        }
        std::vector<double> x = {0};
        for (std::size_t c = 0; c < columns.size(); ++c)
            x.push_back(140 + 90.0 * static_cast<double>(c));
        const std::string total_label =
            columns.front() ? columns.front()->meta.label_de : total_cfg.total;
        tables.push_back(layout_table(cr,
                                      total_label + " nach Gruppen je " +
                                          dataset.config.district_word + " " +
                                          std::to_string(content.table_year) + " (\".\" = geheim)",
                                      header, rows, x));
    }
    return tables;
}

}  // namespace

std::string render_report(const Dataset& dataset, const ReportContent& content,
                          const std::function<void(std::size_t, std::size_t)>& progress) {
    std::string out;
    Surface surface(cairo_pdf_surface_create_for_stream(append_bytes, &out, kPageWidth * 0.75,
                                                        kPageHeight * 0.75));
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, content.title.c_str());
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "District Atlas");
    std::size_t done = 0;
    {
        const Context cr(cairo_create(surface.get()));
        cairo_scale(cr.get(), 0.75, 0.75);
        const std::vector<Table> tables = report_tables(cr.get(), dataset, content);
        std::size_t total =
            1 + content.maps.size() + (content.structure ? content.structure->fields.size() : 0);
        for (const Table& t : tables) total += t.pages();
        const auto next_page = [&](bool modelled) {
            footer(cr.get(), dataset, static_cast<int>(done + 1), modelled);
            cairo_show_page(cr.get());
            if (progress) progress(++done, total);
        };
        title_page(cr.get(), dataset, content, tables);
        next_page(false);
        MapOptions options;
        options.width = kPageWidth;
        options.height = kPageHeight - 60;  // room for the report footer
        for (const auto& legend : content.maps) {
            draw_page(cr.get(), legend, dataset, page_layout(cr.get(), options, legend), options);
            next_page(false);
        }
        // The tables rest on the monitoring and group indicators; they carry the notice only
        // where one of those is modelled (a city with official data throughout gets none).
        const bool tables_modelled =
            std::any_of(dataset.indicators.begin(), dataset.indicators.end(),
                        [](const IndicatorSeries& s) { return !s.meta.official; });
        for (const Table& t : tables) {
            for (std::size_t page = 0; page < t.pages(); ++page) {
                table_page(cr.get(), t, page);
                next_page(tables_modelled);
            }
        }
        if (content.structure && content.network) {
            for (const auto& field : content.structure->fields) {
                structure_page(cr.get(), dataset, field, *content.structure, *content.network);
                next_page(false);
            }
        }
        if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS)
            throw std::runtime_error(std::string("drawing the report failed: ") +
                                     cairo_status_to_string(cairo_status(cr.get())));
    }
    cairo_surface_finish(surface.get());
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
        throw std::runtime_error("writing the report failed");
    return out;
}

}  // namespace atlas
