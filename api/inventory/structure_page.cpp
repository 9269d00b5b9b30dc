#include "inventory/structure_page.hpp"

#include <nlohmann/json.hpp>

#include "atlas/geo/error.hpp"
#include "html.hpp"

namespace atlas::api {

namespace {

using nlohmann::json;

// What struktur.js needs, as JSON that is safe inside a <script> element.
std::string page_config(const ServedData& data, const std::string& base_url) {
    json fields = json::array();
    for (const auto& f : data.dataset.config.fields)
        fields.push_back({{"id", f.id}, {"label", f.label_de}});
    json districts = json::array();
    for (const auto& d : data.dataset.districts)
        districts.push_back({{"id", d.id}, {"key", d.key}, {"name", d.name}});
    const Box& b = data.districts.at(data.default_year).extent;
    const json config = {{"base", base_url},
                         {"bounds", {b.min_x, b.min_y, b.max_x, b.max_y}},
                         {"fields", fields},
                         {"districts", districts},
                         {"editable", !data.dataset.config.server.update_tokens.empty()}};
    return script_safe(config.dump());
}

}  // namespace

ApiResponse structure_page(const ServedData& data, const ApiRequest& request) {
    if (!data.dataset.config.inventory)
        throw NotFound("this dataset has no [inventory] configured");
    const std::string base = escape_html(request.base_url);
    const auto& config = data.dataset.config;
    const Inventory& inv = data.dataset.inventory;
    std::size_t examples = 0;
    for (const auto& o : inv.offers) examples += o.data_status == kStatusExample;
    const std::string banner =
        examples == 0
            ? ""
            : "<p class=\"example-banner\">Beispieldaten (fiktiv): " + std::to_string(examples) +
                  " von " + std::to_string(inv.offers.size()) +
                  " Angeboten und ihre Träger sind erfunden, damit die Analysen in allen "
                  "Handlungsfeldern sichtbar sind. Sie sind in Karte, Tabellen und "
                  "Netzwerk gekennzeichnet.</p>";
    std::string attribution;
    for (const auto& a : config.attribution) attribution += "<li>" + escape_html(a) + "</li>";
    std::string page =
        R"(<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Struktur- und Ressourcenanalyse – )" +
        escape_html(config.title_de) + R"(</title>
<link rel="stylesheet" href=")" +
        base + R"(/assets/maplibre-gl.css">
<link rel="stylesheet" href=")" +
        base + R"(/assets/atlas.css">
</head>
<body>
<header><h1>Struktur- und Ressourcenanalyse</h1><p>)" +
        escape_html(config.title_de) + " · " + std::to_string(inv.actors.size()) + " Akteure · " +
        std::to_string(inv.offers.size()) + " Angebote · " +
        std::to_string(inv.cooperations.size()) + " Kooperationen · <a href=\"" + base +
        R"(/">Themenkarten</a></p></header>
<main>
<aside>
)" + banner +
        R"(
<label for="field">Handlungsfeld</label>
<select id="field"></select>
<nav class="tabs" role="tablist">
<button role="tab" id="tab-overview" aria-selected="true" aria-controls="overview">Übersicht</button>
<button role="tab" id="tab-network" aria-selected="false" aria-controls="network">Netzwerk</button>
<button role="tab" id="tab-editor" aria-selected="false" aria-controls="editor">Erfassen</button>
</nav>
<section id="overview" role="tabpanel"></section>
<section id="network" role="tabpanel" hidden>
<div id="graph" role="img" aria-label="Kooperationsnetzwerk der Akteure"></div>
<div id="network-text"></div>
</section>
<section id="editor" role="tabpanel" hidden>
<form id="offer-form" novalidate>
<h2>Neues Angebot</h2>
<label for="token">Schlüssel (Bearer-Token)</label>
<input id="token" type="password" autocomplete="off">
<label for="actor">Träger</label>
<select id="actor"></select>
<div id="new-actor">
<label for="actor-name">Name des neuen Trägers</label>
<input id="actor-name" type="text">
<label for="actor-kind">Trägerart</label>
<select id="actor-kind"></select>
</div>
<label for="title">Angebot (Titel)</label>
<input id="title" type="text">
<fieldset id="fields"><legend>Handlungsfelder</legend></fieldset>
<fieldset id="groups"><legend>Zielgruppen</legend></fieldset>
<fieldset id="languages"><legend>Sprachen</legend></fieldset>
<label for="more-languages">weitere Sprachen (ISO-639-1-Codes, z. B. so, am)</label>
<input id="more-languages" type="text">
<label for="place">Ort</label>
<select id="place">
<option value="point">Standort – in die Karte klicken</option>
<option value="district">Stadtteil</option>
<option value="citywide">stadtweit</option>
<option value="mobile">mobil</option>
</select>
<p id="point-text" class="hint">Noch kein Standort: in die Karte klicken.</p>
<select id="district" hidden aria-label="Stadtteil"></select>
<label for="capacity">Kapazität</label>
<input id="capacity" type="number" min="0" step="any">
<select id="unit" aria-label="Einheit"></select>
<label for="funding">Förderung</label>
<select id="funding"></select>
<label for="funding-until">Förderung bis</label>
<input id="funding-until" type="date">
<label for="staff">Personal (VZÄ)</label>
<input id="staff" type="number" min="0" step="0.1">
<p><button type="submit" id="save">Speichern</button></p>
<p id="form-message" role="status" aria-live="polite"></p>
</form>
<h2>Noch nicht verortet</h2>
<p class="hint">Diese Einträge haben eine Quelle, aber keinen bestätigten Standort. „Platzieren“ wählen und in die Karte klicken.</p>
<ul id="unplaced"></ul>
</section>
<details><summary>Daten und Schnittstellen</summary><ul>
<li><a href=")" +
        base + R"(/api/inventory">Inventar (JSON)</a></li>
<li><a href=")" +
        base + R"(/api/structure/alle.csv">Handlungsfeld × Stadtteil (CSV)</a></li>
<li><a href=")" +
        base + R"(/api/network">Netzwerkmaße (JSON)</a></li>
<li><a href=")" +
        base +
        R"(/ogc/collections/offers/items?f=gpkg">Angebote (GeoPackage)</a></li>
<li><a href=")" +
        base +
        R"(/ogc/collections/actors/items?f=csv&amp;csv=de">Akteure (CSV)</a></li>
</ul></details>
</aside>
<div id="map" role="region" aria-label="Karte der Angebote, Einrichtungen und Kooperationen"></div>
</main>
<footer><ul>)" +
        attribution +
        R"(</ul></footer>
<script id="atlas-config" type="application/json">)" +
        page_config(data, request.base_url) + R"(</script>
<script type="module" src=")" +
        base + R"(/assets/struktur.js"></script>
</body>
</html>
)";
    return {200, "text/html; charset=utf-8", std::move(page), {}};
}

}  // namespace atlas::api
