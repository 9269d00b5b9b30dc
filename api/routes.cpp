#include "routes.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "atlas/geo/error.hpp"
#include "atlas/geo/monitoring.hpp"
#include "dataset_updates.hpp"
#include "districts/district_profile.hpp"
#include "inventory/inventory_routes.hpp"
#include "inventory/structure_page.hpp"
#include "metrics.hpp"
#include "ogc.hpp"
#include "planning/planning_routes.hpp"
#include "request_params.hpp"
#include "style_routes.hpp"
#include "tiles.hpp"
#include "web/map_page.hpp"
#include "web/web_assets.hpp"

namespace atlas::api {

namespace {

using nlohmann::json;

ApiResponse health(const ServedData& data, const ApiRequest&) {
    const Dataset& ds = data.dataset;
    const json body = {
        {"status", "ok"},
        {"dataset", ds.config.id},
        {"districts", ds.districts.size()},
        {"services", std::count_if(ds.services.begin(), ds.services.end(),
                                   [](const Service& s) { return s.offer_id.empty(); })},
        {"inventory", ds.config.inventory ? json{{"actors", ds.inventory.actors.size()},
                                                 {"offers", ds.inventory.offers.size()},
                                                 {"cooperations", ds.inventory.cooperations.size()}}
                                          : json(nullptr)},
        {"indicators", ds.indicators.size()},
        {"years", ds.years()},
        {"default_year", data.default_year},
        {"data_version", data.version},
        {"coverage_year", data.coverage ? json(data.coverage->grid.year) : json(nullptr)}};
    return {200, "application/json", body.dump(), {}};
}

ApiResponse coverage(const ServedData& data, const ApiRequest& request) {
    std::string field = request.params.at("field");
    const bool csv = field.ends_with(".csv");
    if (csv) field.resize(field.size() - 4);
    const auto& table = csv ? data.coverage_csv : data.coverage_json;
    const auto found = table.find(field);
    if (found == table.end()) {
        if (!data.coverage) throw NotFound("this dataset has no [coverage] configured");
        throw NotFound("no Handlungsfeld or service category '" + field + "'");
    }
    return {200, csv ? "text/csv; charset=utf-8" : "application/json", found->second, {}};
}

json indicator_meta(const IndicatorSeries& s) {
    std::vector<int> years;
    for (const auto& [year, values] : s.by_year) years.push_back(year);
    const char* kind = s.meta.kind == IndicatorKind::count     ? "count"
                       : s.meta.kind == IndicatorKind::share   ? "share"
                       : s.meta.kind == IndicatorKind::density ? "density"
                                                               : "rate";
    json meta = {{"id", s.meta.id},
                 {"label_de", s.meta.label_de},
                 {"label_en", s.meta.label_en},
                 {"unit", s.meta.unit},
                 {"kind", kind},
                 {"years", years},
                 {"status", s.meta.official ? "official" : "modelled"},
                 {"source", s.meta.source}};
    if (!s.meta.change_of.empty()) {
        meta["change_of"] = s.meta.change_of;
        meta["base_year"] = s.meta.base_year ? json(*s.meta.base_year) : json(nullptr);
        meta["period"] = s.meta.period ? json(*s.meta.period) : json(nullptr);
        if (!s.meta.base_of.empty()) meta["base_of"] = s.meta.base_of;
    }
    return meta;
}

ApiResponse indicators(const ServedData& data, const ApiRequest&) {
    json list = json::array();
    for (const auto& s : data.dataset.indicators) list.push_back(indicator_meta(s));
    return {200,
            "application/json",
            json{{"indicators", list}, {"attribution", data.dataset.config.attribution}}.dump(),
            {}};
}

// Values of one indicator per district for a year (default: the indicator's newest).
ApiResponse indicator_values(const ServedData& data, const ApiRequest& request) {
    std::string id = request.params.at("id");
    const bool csv = id.ends_with(".csv");
    if (csv) id.resize(id.size() - 4);
    const IndicatorSeries* s = data.dataset.indicator(id);
    if (!s) throw NotFound("no indicator '" + id + "'");
    // ?from=Y: the change since Y instead of the values, for any pair of years.
    std::optional<IndicatorSeries> change;
    if (const auto from = integer_parameter(request, "from")) {
        if (!s->by_year.contains(*from))
            throw NotFound("indicator '" + id + "' has no values for " + std::to_string(*from));
        change = change_since(*s, *from);
        s = &*change;
        id = s->meta.id;
    }
    const int year = integer_parameter(request, "year")
                         .value_or(s->by_year.empty() ? 0 : s->by_year.rbegin()->first);
    const auto values = s->by_year.find(year);
    if (values == s->by_year.end())
        throw NotFound("indicator '" + id + "' has no values for " + std::to_string(year));
    const auto& districts = data.dataset.districts;
    if (csv) {
        std::string out = "district_id,district,year," + id + ",status\n";
        for (std::size_t d = 0; d < districts.size(); ++d) {
            const auto& v = values->second[d];
            std::string name = districts[d].name;
            if (name.find_first_of(",\"") != std::string::npos) name = "\"" + name + "\"";
            // "." marks a value withheld by statistical secrecy, as German statistics print it.
            const std::string cell = s->suppressed(year, d) ? "." : v ? value_text(*v) : "";
            out += std::to_string(districts[d].id) + "," + name + "," + std::to_string(year) + "," +
                   cell + "," + (s->meta.official ? "official" : "modelled") + "\n";
        }
        return {200, "text/csv; charset=utf-8", out, {}};
    }
    json rows = json::array();
    for (std::size_t d = 0; d < districts.size(); ++d) {
        const auto& v = values->second[d];
        rows.push_back({{"district_id", districts[d].id},
                        {"district", districts[d].name},
                        {"value", v ? json(*v) : json(nullptr)},
                        {"suppressed", s->suppressed(year, d)}});
    }
    json body = indicator_meta(*s);
    body["year"] = year;
    body["values"] = rows;
    body["attribution"] = data.dataset.config.attribution;
    return {200, "application/json", body.dump(), {}};
}

// Status × dynamics of the districts for a year (default: the newest all indicators have).
ApiResponse monitoring(const ServedData& data, const ApiRequest& request) {
    const auto& config = data.dataset.config.monitoring;
    if (!config) throw NotFound("this dataset has no [monitoring] configured");
    std::optional<int> year = integer_parameter(request, "year");
    if (!year) year = newest_monitoring_year(data.dataset, *config);
    if (!year) throw NotFound("the monitoring indicators share no year");
    const std::string format = text_parameter(request, "f", "json");
    if (format != "json" && format != "csv") throw BadRequest("parameter 'f' must be json or csv");
    const MonitoringResult result = compute_monitoring(data.dataset, *config, *year);
    if (format == "csv")
        return {200, "text/csv; charset=utf-8", monitoring_csv(data.dataset, result), {}};
    return {200, "application/json", monitoring_json(data.dataset, result), {}};
}

const ParameterSpec kCollection{"collectionId", "path", "string", "districts, services or grid"};
const ParameterSpec kFormat{"f", "query", "string",
                            "json (default), html; items also csv and gpkg"};
const ParameterSpec kCrs{
    "crs", "query", "string",
    "output CRS: CRS84 (default), EPSG:4326 (lat/lon), EPSG:25832, EPSG:3857 (OGC URIs)"};
const ParameterSpec kDatetime{"datetime", "query", "string",
                              "indicator year of districts: 2021 or 2021-12-31"};

const ParameterSpec kInventoryKind{"kind", "path", "string", "actors, offers or cooperations"};
const ParameterSpec kInventoryId{"id", "path", "string", "the entry's id"};

const ParameterSpec kStyleYear{"year", "query", "integer",
                               "year (default: the newest of the style's data)"};
const ParameterSpec kStyleField{"field", "query", "string",
                                "Handlungsfeld of a coverage style (default: the style's)"};
const ParameterSpec kLang{"lang", "query", "string", "de (default) or en"};

}  // namespace

const std::vector<RouteSpec>& route_table() {
    static const std::vector<RouteSpec> routes = {
        {"/", "The web map (HTML, German)", "text/html", {}, map_page},
        {"/struktur",
         "The structure and resource analysis (HTML, German): offers, services and cooperations "
         "on the map, tables per Handlungsfeld, the network graph and the inventory editor",
         "text/html",
         {},
         structure_page},
        {"/assets/:file",
         "Files of the web map: atlas.js, atlas.css, MapLibre GL JS (maplibre-gl.mjs, "
         "maplibre-gl-worker.mjs, maplibre-gl.css)",
         "text/javascript",
         {{"file", "path", "string", "file name"}},
         asset},
        {"/health", "Service status", "application/json", {}, health},
        {"/ogc", "OGC API landing page", "application/json", {kFormat}, ogc_landing},
        {"/ogc/conformance", "Conformance classes", "application/json", {kFormat}, ogc_conformance},
        {"/ogc/api",
         "This OpenAPI 3.0 document",
         "application/vnd.oai.openapi+json;version=3.0",
         {},
         ogc_openapi},
        {"/ogc/collections", "Feature collections", "application/json", {kFormat}, ogc_collections},
        {"/ogc/collections/:collectionId",
         "One collection",
         "application/json",
         {kCollection, kFormat},
         ogc_collection},
        {"/ogc/collections/:collectionId/queryables",
         "Queryable properties (JSON Schema)",
         "application/schema+json",
         {kCollection},
         ogc_queryables},
        {"/ogc/collections/:collectionId/schema",
         "The features as JSON Schema: every property with its type, also in years where it is "
         "null everywhere",
         "application/schema+json",
         {kCollection},
         ogc_schema},
        {"/ogc/collections/:collectionId/items",
         "Features; every queryable may be used as an equality filter (?name=Altstadt)",
         "application/geo+json",
         {kCollection,
          {"limit", "query", "integer",
           "page size, default " + std::to_string(kDefaultLimit) + ", maximum " +
               std::to_string(kMaxLimit)},
          {"offset", "query", "integer", "first feature of the page (next links carry it)"},
          {"bbox", "query", "string", "minx,miny,maxx,maxy in bbox-crs"},
          {"bbox-crs", "query", "string", "CRS of bbox (default CRS84)"},
          kCrs,
          kDatetime,
          {"year", "query", "integer", "shortcut for datetime"},
          {"csv", "query", "string",
           "with f=csv: 'de' for ';', decimal comma and BOM (German spreadsheets)"},
          kFormat},
         ogc_items,
         true},
        {"/ogc/collections/:collectionId/items/:featureId",
         "One feature",
         "application/geo+json",
         {kCollection, {"featureId", "path", "integer", "feature id"}, kCrs, kDatetime, kFormat},
         ogc_item,
         true},
        {"/tiles/:tileset",
         "TileJSON 3.0.0 of a tile layer: districts.json, services.json, grid.json",
         "application/json",
         {{"tileset", "path", "string", "layer id with .json"}},
         tilejson},
        {"/tiles/:layer/:z/:x/:y",
         "Mapbox Vector Tile 2.1 (y with .mvt); gzip on Accept-Encoding, ETag and 304 on "
         "If-None-Match",
         "application/vnd.mapbox-vector-tile",
         {{"layer", "path", "string", "districts, services or grid"},
          {"z", "path", "integer", "zoom 0-22"},
          {"x", "path", "integer", "column"},
          {"y", "path", "string", "row with .mvt"}},
         tile,
         true,
         cached_tile},
        {"/api/indicators",
         "Indicator metadata: labels, unit, years, official or modelled",
         "application/json",
         {},
         indicators},
        {"/api/indicators/:id",
         "Values of one indicator per district ('.csv' suffix: CSV)",
         "application/json",
         {{"id", "path", "string", "indicator id, optionally with .csv"},
          {"year", "query", "integer", "year (default: the indicator's newest)"},
          {"from", "query", "integer",
           "give the change since this year instead (percentage points for shares)"}},
         indicator_values},
        {"/api/districts/:district",
         "One district's profile: every indicator of the year with unit, status, rank and the "
         "districts' median, each indicator's series, coverage per Handlungsfeld, its services",
         "application/json",
         {{"district", "path", "string", "district id or key"},
          {"year", "query", "integer", "year (default: the newest)"}},
         district_profile},
        {"/api/planning/suggestions",
         "Location suggestions: the k candidate sites that bring the most of a Handlungsfeld's "
         "target group within its radius (maximal covering; exact with CBC or greedy, with the "
         "LP bound)",
         "application/json",
         {{"field", "query", "string", "Handlungsfeld id (required)"},
          {"k", "query", "integer", "number of sites, 1-20 (default 3)"},
          {"candidates", "query", "string",
           "a [[planning.candidates]] id (Erfurt: haltestellen) or cells (populated grid cells)"},
          {"method", "query", "string", "exact (default) or greedy"}},
         location_suggestions,
         true},
        {"/api/legend/:style",
         "Class breaks, colours, labels, counts and method of a thematic map: the one legend all "
         "outputs use",
         "application/json",
         {{"style", "path", "string", "style id (styles/*.toml)"}, kStyleYear, kStyleField, kLang},
         legend},
        {"/styles/:style",
         "The thematic map as MapLibre GL style (.json, colours joined by feature id to "
         "/tiles/districts), QGIS style (.qml) or SLD 1.0 (.sld)",
         "application/json",
         {{"style", "path", "string", "style id with .json, .qml or .sld"},
          kStyleYear,
          kStyleField,
          kLang},
         style_document},
        {"/maps/:map",
         "Static map with legend, scale bar and attribution (PNG, SVG or PDF)",
         "image/png",
         {{"map", "path", "string", "style id with .png, .svg or .pdf"},
          kStyleYear,
          kStyleField,
          {"width", "query", "integer", "width in CSS pixels (300-4000, default 1200)"},
          {"height", "query", "integer", "height in CSS pixels (300-4000, default 850)"},
          {"dpi", "query", "integer", "PNG resolution (72-600, default 96)"},
          kLang},
         static_map,
         true},
        {"/api/coverage/:field",
         "Coverage and gap classes of one Handlungsfeld or service category ('.csv' suffix: CSV)",
         "application/json",
         {{"field", "path", "string",
           "Handlungsfeld id (bildung, ...) or category id, optionally with .csv"}},
         coverage},
        {"/metrics",
         "Prometheus metrics: requests by route and status, latency histograms, tile cache, "
         "data version",
         "text/plain",
         {},
         metrics},
        {"/api/monitoring",
         "Status × dynamics classes of the districts (z-scores of the [monitoring] indicators "
         "against the city, change over the period; docs/monitoring.md)",
         "application/json",
         {{"year", "query", "integer", "year (default: the newest with every indicator)"},
          {"f", "query", "string", "json (default) or csv"}},
         monitoring},
        {"/api/datasets/:name",
         "Replace an indicator table (CSV body) or a service layer (GeoJSON body); needs "
         "'Authorization: Bearer <token>'. Validated completely, stored as a new version, then "
         "swapped in whole",
         "application/json",
         {{"name", "path", "string",
           "indicator table id (default: file name without .csv) or "
           "service layer id"}},
         put_dataset,
         true,
         {},
         "PUT"},
        {"/api/datasets/:name/versions",
         "Version history of an updated dataset: version, when, who, action, size (token needed)",
         "application/json",
         {{"name", "path", "string", "indicator table or service layer id"}},
         dataset_versions},
        {"/api/datasets/:name/rollback",
         "Make an earlier version current again, as a new version (token needed)",
         "application/json",
         {{"name", "path", "string", "indicator table or service layer id"},
          {"version", "query", "integer", "the version to return to"}},
         rollback_dataset,
         true,
         {},
         "POST"},
        {"/api/inventory",
         "The structure analysis's inventory: actors, offers, cooperations (with labels and "
         "data_status; example entries are fictional) and the vocabularies of the editor",
         "application/json",
         {},
         inventory_document},
        {"/api/inventory/:kind",
         "Inventory entries of one kind; filters field, data_status, unplaced=true|false",
         "application/json",
         {kInventoryKind,
          {"field", "query", "string", "offers of this Handlungsfeld"},
          {"data_status", "query", "string", "example, source or official"},
          {"unplaced", "query", "string", "true: only entries without a position"}},
         inventory_list},
        {"/api/inventory/:kind",
         "Create an inventory entry (JSON body; token needed); 201 with Location, 422 naming "
         "the field of a validation error",
         "application/json",
         {kInventoryKind},
         inventory_create,
         true,
         {},
         "POST"},
        {"/api/inventory/:kind/:id",
         "One inventory entry",
         "application/json",
         {kInventoryKind, kInventoryId},
         inventory_item},
        {"/api/inventory/:kind/:id",
         "Replace an inventory entry (JSON body; token needed); every change is a version of "
         "the dataset 'inventory' (/api/datasets/inventory/versions, rollback)",
         "application/json",
         {kInventoryKind, kInventoryId},
         inventory_update,
         true,
         {},
         "PUT"},
        {"/api/inventory/:kind/:id",
         "Delete an inventory entry (token needed); an actor only without offers and "
         "cooperations",
         "application/json",
         {kInventoryKind, kInventoryId},
         inventory_delete,
         true,
         {},
         "DELETE"},
        {"/api/structure",
         "Structure and resource analysis of every Handlungsfeld: offers and capacity per "
         "district and per 1,000 of the target group, actor kinds, funding, resources at risk, "
         "languages",
         "application/json",
         {},
         structure_analysis},
        {"/api/structure/:field",
         "The analysis of one Handlungsfeld ('.csv' suffix: the field × district table; "
         "'alle.csv': every field)",
         "application/json",
         {{"field", "path", "string", "Handlungsfeld id, optionally with .csv"}},
         structure_analysis},
        {"/api/network",
         "The cooperation network: per actor degree, betweenness, component; isolated actors; "
         "actors bridging Handlungsfelder; synergy candidates",
         "application/json",
         {},
         network},
    };
    return routes;
}

std::string openapi_path(const std::string& route_path) {
    std::string out;
    for (std::size_t i = 0; i < route_path.size(); ++i) {
        if (route_path[i] == ':') {
            const auto end = route_path.find('/', i);
            out += "{" + route_path.substr(i + 1, end - i - 1) + "}";
            i = end == std::string::npos ? route_path.size() : end - 1;
        } else {
            out += route_path[i];
        }
    }
    return out;
}

std::string openapi_document(const ServedData& data, const std::string& base_url) {
    json paths = json::object();
    for (const auto& route : route_table()) {
        json parameters = json::array();
        for (const auto& p : route.parameters) {
            parameters.push_back({{"name", p.name},
                                  {"in", p.in},
                                  {"required", p.in == "path"},
                                  {"description", p.description},
                                  {"schema", {{"type", p.type}}}});
        }
        std::string method = route.method;
        for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        paths[openapi_path(route.path)][method] = {
            {"summary", route.summary},
            {"parameters", parameters},
            {"responses",
             {{"200",
               {{"description", route.summary},
                {"content", {{route.response_type, json::object()}}}}},
              {"400", {{"$ref", "#/components/responses/Error"}}},
              {"404", {{"$ref", "#/components/responses/Error"}}}}}};
    }
    const json doc = {
        {"openapi", "3.0.3"},
        {"info",
         {{"title", "Stadtteilatlas – " + data.dataset.config.title_de},
          {"version", "0.1.0"},
          {"description", "Stadtteile, Einrichtungen, Bevölkerungsraster und Versorgungsanalyse"}}},
        {"servers", {{{"url", base_url}}}},
        {"paths", paths},
        {"components",
         {{"responses",
           {{"Error",
             {{"description", "error as JSON"},
              {"content",
               {{"application/json",
                 {{"schema",
                   {{"type", "object"},
                    {"properties",
                     {{"error", {{"type", "string"}}},
                      {"status", {{"type", "integer"}}}}}}}}}}}}}}}}}};
    return doc.dump();
}

}  // namespace atlas::api
