#include "web/map_page.hpp"

#include <nlohmann/json.hpp>

#include "html.hpp"
#include "web/web_assets.hpp"

namespace atlas::api {

namespace {

using nlohmann::json;

// The years a style can show: the indicator's, or the one year coverage is computed for.
json style_years(const ServedData& data, const StyleDefinition& style) {
    json years = json::array();
    if (style.is_coverage()) {
        if (data.coverage) years.push_back(data.coverage->grid.year);
    } else if (const IndicatorSeries* s = data.dataset.indicator(style.indicator)) {
        for (const auto& [year, values] : s->by_year) years.push_back(year);
    }
    return years;
}

// What atlas.js needs, as JSON that is safe inside a <script> element.
std::string page_config(const ServedData& data, const std::string& base_url) {
    json styles = json::array();
    for (const auto& s : data.styles) {
        if (!style_problems(s, data.dataset).empty()) continue;
        if (s.is_coverage() && !data.coverage) continue;
        styles.push_back({{"id", s.id},
                          {"title", s.title_de},
                          {"coverage", s.is_coverage()},
                          {"field", s.field},
                          {"years", style_years(data, s)}});
    }
    json fields = json::array();
    for (const auto& f : data.dataset.config.fields)
        fields.push_back({{"id", f.id}, {"label", f.label_de}});
    const Box& b = data.districts.at(data.default_year).extent;
    const json config = {{"base", base_url},
                         {"defaultStyle", data.dataset.config.default_style},
                         {"bounds", {b.min_x, b.min_y, b.max_x, b.max_y}},
                         {"styles", styles},
                         {"words",
                          {{"district", data.dataset.config.district_word},
                           {"districts", data.dataset.config.districts_word}}},
                         {"fields", fields}};
    return script_safe(config.dump());
}

}  // namespace

ApiResponse map_page(const ServedData& data, const ApiRequest& request) {
    const std::string base = escape_html(request.base_url);
    const auto& config = data.dataset.config;
    std::string links;
    links += "<li><a href=\"" + base + "/ogc?f=html\">OGC API – Features</a> (QGIS: " + base +
             "/ogc)</li>";
    links += "<li><a href=\"" + base + "/ogc/collections/districts/items?f=html\">" +
             escape_html(config.districts_word) + " mit Indikatoren (Tabelle)</a></li>";
    links += "<li><a href=\"" + base + "/api/indicators\">Indikatoren (JSON)</a></li>";
    if (data.coverage) {
        links += "<li>Versorgungsanalyse (CSV):";
        for (const auto& field : config.fields) {
            links += " <a href=\"" + base + "/api/coverage/" + escape_html(field.id) + ".csv\">" +
                     escape_html(field.label_de) + "</a>";
        }
        links += "</li>";
    }
    links += "<li><a href=\"" + base + "/ogc/api\">OpenAPI-Beschreibung</a></li>";
    const std::string structure =
        config.inventory ? "<p class=\"structure-link\"><a href=\"" + base +
                               "/struktur\">Struktur- und Ressourcenanalyse: Akteure, Angebote, "
                               "Netzwerk, Erfassung</a></p>"
                         : "";
    std::string attribution;
    for (const auto& a : config.attribution) attribution += "<li>" + escape_html(a) + "</li>";
    const std::string& problem = WebAssets::installed().problem();
    const std::string warning =
        problem.empty() ? ""
                        : "<p class=\"warning\">Die Kartenbibliothek fehlt auf dem Server: " +
                              escape_html(problem) + "</p>";

    std::string page = R"(<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Stadtteilatlas – )" +
                       escape_html(config.title_de) +
                       R"(</title>
<link rel="stylesheet" href=")" +
                       base +
                       R"(/assets/maplibre-gl.css">
<link rel="stylesheet" href=")" +
                       base +
                       R"(/assets/atlas.css">
</head>
<body>
<header><h1>Stadtteilatlas</h1><p>)" +
                       escape_html(config.title_de) + " · " +
                       std::to_string(data.dataset.districts.size()) + " " +
                       escape_html(config.districts_word) + " · " +
                       std::to_string(data.dataset.services.size()) +
                       R"( Einrichtungen</p></header>
<main>
<aside>
)" + warning + structure +
                       R"(
<label for="style">Thema</label>
<select id="style"></select>
<label for="year" id="year-label">Jahr</label>
<select id="year"></select>
<label for="field" id="field-label">Handlungsfeld</label>
<select id="field"></select>
<section id="legend" aria-live="polite"></section>
<label for="district-select">)" +
                       escape_html(config.district_word) + R"(</label>
<select id="district-select"><option value="">– wählen oder in der Karte anklicken –</option></select>
<section id="district" aria-live="polite"><p class="hint">)" +
                       escape_html(config.district_word) +
                       R"( anklicken für das Profil.</p></section>
<fieldset id="services-toggle"></fieldset>
<section id="downloads"></section>
<details><summary>Daten und Schnittstellen</summary><ul>)" +
                       links + R"(</ul></details>
</aside>
<div id="map" role="region" aria-label="Karte der )" +
                       escape_html(config.districts_word) + R"("></div>
</main>
<footer><ul>)" + attribution +
                       R"(</ul></footer>
<script id="atlas-config" type="application/json">)" +
                       page_config(data, request.base_url) + R"(</script>
<script type="module" src=")" +
                       base + R"(/assets/atlas.js"></script>
</body>
</html>
)";
    return {200, "text/html; charset=utf-8", std::move(page), {}};
}

}  // namespace atlas::api
