#include "atlas/geo/report.hpp"

#include <cairo-pdf.h>

#include <algorithm>
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

void title_page(cairo_t* cr, const Dataset& dataset, const ReportContent& content) {
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
    if (content.monitoring) {
        text_at(cr, 60, y,
                std::to_string(page++) + "  Status und Dynamik der Stadtteile " +
                    std::to_string(content.monitoring->year));
        y += 20;
    }
    if (!dataset.config.secrecy.totals.empty()) {
        text_at(cr, 60, y,
                std::to_string(page++) + "  Gruppen je Stadtteil " +
                    std::to_string(content.table_year));
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

// A table page: header row, then rows; columns at fixed x positions.
void table_page(cairo_t* cr, const std::string& title, const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows, const std::vector<double>& x) {
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    set_font(cr, 18, true);
    text_at(cr, kMargin, kMargin + 18, title);
    // Two blocks side by side so 53 districts fit on one page.
    const std::size_t per_block = (rows.size() + 1) / 2;
    const double block_width = (kPageWidth - 2 * kMargin) / 2;
    for (int block = 0; block < 2; ++block) {
        const double left = kMargin + block * block_width;
        double y = 62;
        set_font(cr, 9.5, true);
        for (std::size_t c = 0; c < header.size(); ++c) text_at(cr, left + x[c], y, header[c]);
        set_font(cr, 9.5);
        y += 4;
        for (std::size_t r = block * per_block; r < std::min(rows.size(), (block + 1) * per_block);
             ++r) {
            y += 12.4;
            for (std::size_t c = 0; c < rows[r].size(); ++c)
                text_at(cr, left + x[c], y, rows[r][c]);
        }
    }
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
         " Synergiekandidaten (im selben Stadtteil aktiv, ohne Kooperation)");
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

}  // namespace

std::string render_report(const Dataset& dataset, const ReportContent& content,
                          const std::function<void(std::size_t, std::size_t)>& progress) {
    std::string out;
    Surface surface(cairo_pdf_surface_create_for_stream(append_bytes, &out, kPageWidth * 0.75,
                                                        kPageHeight * 0.75));
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, content.title.c_str());
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "District Atlas");
    const std::size_t total = 1 + content.maps.size() + (content.monitoring ? 1 : 0) +
                              (dataset.config.secrecy.totals.empty() ? 0 : 1) +
                              (content.structure ? content.structure->fields.size() : 0);
    std::size_t done = 0;
    {
        const Context cr(cairo_create(surface.get()));
        cairo_scale(cr.get(), 0.75, 0.75);
        const auto next_page = [&](bool modelled) {
            footer(cr.get(), dataset, static_cast<int>(done + 1), modelled);
            cairo_show_page(cr.get());
            if (progress) progress(++done, total);
        };
        title_page(cr.get(), dataset, content);
        next_page(false);
        MapOptions options;
        options.width = kPageWidth;
        options.height = kPageHeight - 60;  // room for the report footer
        for (const auto& legend : content.maps) {
            draw_page(cr.get(), legend, dataset, page_layout(cr.get(), options), options);
            next_page(false);
        }
        if (content.monitoring) {
            const auto& m = *content.monitoring;
            std::vector<std::vector<std::string>> rows;
            for (std::size_t d = 0; d < m.districts.size(); ++d) {
                const auto& r = m.districts[d];
                rows.push_back({dataset.districts[d].name,
                                r.status_class ? status_label(r.status_class) : "–",
                                r.has_dynamics ? (r.dynamics_class > 0   ? "positiv"
                                                  : r.dynamics_class < 0 ? "negativ"
                                                                         : "stabil")
                                               : "–",
                                r.combined.empty() ? "–" : r.combined, r.excluded_reason});
            }
            table_page(cr.get(),
                       "Status und Dynamik der Stadtteile " + std::to_string(m.year) +
                           " (Dynamik seit " + std::to_string(m.base_year) + ")",
                       {"Stadtteil", "Status", "Dynamik", "Klasse", "nicht klassifiziert"}, rows,
                       {0, 130, 205, 265, 305});
            next_page(true);
        }
        if (!dataset.config.secrecy.totals.empty()) {
            const auto& total_cfg = dataset.config.secrecy.totals.front();
            std::vector<const IndicatorSeries*> columns = {dataset.indicator(total_cfg.total)};
            for (const auto& p : total_cfg.parts) columns.push_back(dataset.indicator(p));
            // Short column heads: the groups without what all their ids share.
            std::string prefix = total_cfg.parts.front(), suffix = total_cfg.parts.front();
            for (const auto& p : total_cfg.parts) {
                while (!p.starts_with(prefix)) prefix.pop_back();
                while (!p.ends_with(suffix)) suffix.erase(0, 1);
            }
            std::vector<std::string> header = {"Stadtteil", "insgesamt"};
            for (const auto& p : total_cfg.parts)
                header.push_back(p.substr(prefix.size(), p.size() - prefix.size() - suffix.size()));
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
            table_page(cr.get(),
                       total_cfg.total + " nach Gruppen je Stadtteil " +
                           std::to_string(content.table_year) + " (\".\" = geheim)",
                       header, rows, x);
            next_page(true);
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
