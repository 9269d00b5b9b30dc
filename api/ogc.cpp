#include "ogc.hpp"

#include <charconv>
#include <cmath>
#include <ctime>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "atlas/geo/crs.hpp"
#include "atlas/geo/error.hpp"
#include "atlas/geo/geojson.hpp"
#include "html.hpp"
#include "routes.hpp"

namespace atlas::api {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

constexpr const char* kCrs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
constexpr const char* kGeoJson = "application/geo+json";

struct CrsInfo {
    std::string uri;
    std::string proj;  // what PROJ calls it
    bool lat_lon = false;
    int decimals = 6;
};

const std::vector<CrsInfo>& supported_crs() {
    static const std::vector<CrsInfo> list = {
        {kCrs84, "OGC:CRS84", false, 6},
        {"http://www.opengis.net/def/crs/EPSG/0/4326", "EPSG:4326", true, 6},
        {"http://www.opengis.net/def/crs/EPSG/0/25832", "EPSG:25832", false, 2},
        {"http://www.opengis.net/def/crs/EPSG/0/3857", "EPSG:3857", false, 2},
    };
    return list;
}

const CrsInfo& crs_parameter(const ApiRequest& request, const std::string& name) {
    const auto found = request.query.find(name);
    if (found == request.query.end()) return supported_crs().front();
    std::string wanted = found->second;
    if (wanted.size() > 2 && wanted.front() == '[' && wanted.back() == ']')
        wanted = wanted.substr(1, wanted.size() - 2);
    for (const auto& c : supported_crs()) {
        if (wanted == c.uri || wanted == c.proj) return c;
    }
    throw BadRequest("parameter '" + name + "': unsupported CRS '" + found->second + "'");
}

// Transformers are costly to create and must not cross threads: one cache per thread.
const Transformer* transformer_from_crs84(const CrsInfo& crs) {
    if (crs.proj == "OGC:CRS84" || crs.proj == "EPSG:4326") return nullptr;
    thread_local std::map<std::string, std::unique_ptr<Transformer>> cache;
    auto& slot = cache[crs.proj];
    if (!slot) slot = std::make_unique<Transformer>("OGC:CRS84", crs.proj);
    return slot.get();
}

std::string format_of(const ApiRequest& request, std::initializer_list<const char*> allowed) {
    if (const auto f = request.query.find("f"); f != request.query.end()) {
        for (const char* a : allowed) {
            if (f->second == a) return a;
        }
        std::string list;
        for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        throw BadRequest("parameter 'f' must be one of " + list + ", not '" + f->second + "'");
    }
    // Browsers ask for HTML first; GDAL, QGIS and scripts ask for JSON or anything.
    return request.accept.starts_with("text/html") ? "html" : "json";
}

long integer_parameter(const ApiRequest& request, const std::string& name, long fallback,
                       long min) {
    const auto found = request.query.find(name);
    if (found == request.query.end()) return fallback;
    long value = 0;
    const std::string& raw = found->second;
    const auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), value);
    if (ec != std::errc() || end != raw.data() + raw.size() || value < min) {
        throw BadRequest("parameter '" + name + "' must be a whole number of at least " +
                         std::to_string(min) + ", not '" + raw + "'");
    }
    return value;
}

json link(const std::string& href, const std::string& rel, const std::string& type,
          const std::string& title = "") {
    json l = {{"href", href}, {"rel", rel}, {"type", type}};
    if (!title.empty()) l["title"] = title;
    return l;
}

std::string query_string(const std::map<std::string, std::string>& query) {
    std::string out;
    for (const auto& [k, v] : query) {
        out += (out.empty() ? "?" : "&") + k + "=";
        for (unsigned char c : v) {
            if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == ',' ||
                c == ':') {
                out += static_cast<char>(c);
            } else {
                char buffer[4];
                std::snprintf(buffer, sizeof buffer, "%%%02X", c);
                out += buffer;
            }
        }
    }
    return out;
}

ApiResponse json_response(const json& body, const std::string& type = "application/json") {
    return {200, type, body.dump(), {}};
}

std::string utc_now() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buffer;
}

std::string iso_year_start(int year) {
    return std::to_string(year) + "-01-01T00:00:00Z";
}
std::string iso_year_end(int year) {
    return std::to_string(year) + "-12-31T23:59:59Z";
}

// The year of an OGC `datetime` (instant "2021", "2021-12-31", "2021-12-31T00:00:00Z", or an
// interval whose both ends lie in one year) or of the `year` shortcut.
std::optional<int> year_parameter(const ApiRequest& request) {
    for (const char* name : {"datetime", "year"}) {
        const auto found = request.query.find(name);
        if (found == request.query.end()) continue;
        const std::string& raw = found->second;
        std::string first = raw.substr(0, raw.find('/'));
        std::string last =
            raw.find('/') == std::string::npos ? first : raw.substr(raw.find('/') + 1);
        int a = 0, b = 0;
        const auto parse = [](const std::string& text, int& out) {
            if (text.size() < 4) return false;
            const auto [end, ec] = std::from_chars(text.data(), text.data() + 4, out);
            const bool rest_ok = text.size() == 4 || text[4] == '-';
            return ec == std::errc() && end == text.data() + 4 && rest_ok;
        };
        if (!parse(first, a) || !parse(last, b) || a != b) {
            throw BadRequest("parameter '" + std::string(name) +
                             "' must name one year (e.g. 2021 or 2021-12-31), not '" + raw + "'");
        }
        return a;
    }
    return std::nullopt;
}

const FeatureLayer& layer_or_404(const ServedData& data, const ApiRequest& request,
                                 std::optional<int> year = {}) {
    const std::string& id = request.params.at("collectionId");
    const FeatureLayer* layer = data.layer(id, year);
    if (!layer) throw NotFound("no collection '" + id + "'");
    return *layer;
}

std::vector<std::string> collection_ids(const ServedData& data) {
    std::vector<std::string> ids{"districts", "services"};
    if (data.grid) ids.push_back("grid");
    if (data.dataset.config.inventory) ids.insert(ids.end(), {"actors", "offers", "cooperations"});
    return ids;
}

json collection_json(const FeatureLayer& layer, const std::string& base) {
    const std::string self = base + "/ogc/collections/" + layer.id;
    json crs = json::array();
    for (const auto& c : supported_crs()) crs.push_back(c.uri);
    json c = {
        {"id", layer.id},
        {"title", layer.title_de},
        {"description", layer.description},
        {"itemType", "feature"},
        {"crs", crs},
        {"storageCrs", kCrs84},
        {"attribution", layer.attribution},
        {"extent",
         {{"spatial",
           {{"bbox",
             {{layer.extent.min_x, layer.extent.min_y, layer.extent.max_x, layer.extent.max_y}}},
            {"crs", kCrs84}}}}},
        {"links",
         {link(self, "self", "application/json", layer.title_de),
          link(self + "?f=html", "alternate", "text/html"),
          link(self + "/items", "items", kGeoJson, "GeoJSON"),
          link(self + "/items?f=html", "items", "text/html", "HTML"),
          link(self + "/items?f=gpkg", "enclosure", "application/geopackage+sqlite3", "GeoPackage"),
          link(self + "/items?f=csv", "enclosure", "text/csv", "CSV"),
          link(self + "/queryables", "http://www.opengis.net/def/rel/ogc/1.0/queryables",
               "application/schema+json"),
          // GDAL's OAPIF driver types its fields from a "describedBy" JSON Schema; without it
          // it guesses from the first page, and a property null in every district of the
          // newest year (a census column, distances of a field without offers) became String.
          link(self + "/schema", "describedBy", "application/schema+json",
               "Schema der Features (GeoJSON)")}}};
    if (!layer.years.empty()) {
        c["extent"]["temporal"] = {
            {"interval", json::array({json::array({iso_year_start(layer.years.front()),
                                                   iso_year_end(layer.years.back())})})},
            {"trs", "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"}};
    }
    return c;
}

// A value as German readers write it on the HTML pages: decimal comma, "ja"/"nein", "geheim".
std::string german_text(const Value& value) {
    if (std::holds_alternative<Suppressed>(value)) return "geheim";
    if (const bool* b = std::get_if<bool>(&value)) return *b ? "ja" : "nein";
    std::string text = value_text(value);
    if (std::holds_alternative<double>(value)) std::replace(text.begin(), text.end(), '.', ',');
    return text;
}

ApiResponse html_page(const ServedData& data, const std::string& title, const std::string& body) {
    return {200,
            "text/html; charset=utf-8",
            render_page(title, body, data.dataset.config.attribution),
            {}};
}

}  // namespace

ApiResponse ogc_landing(const ServedData& data, const ApiRequest& request) {
    const std::string base = request.base_url + "/ogc";
    json body = {{"title", "Stadtteilatlas – " + data.dataset.config.title_de},
                 {"description", "OGC API – Features: " + data.dataset.config.districts_word +
                                     ", Einrichtungen und Bevölkerungsraster"},
                 {"attribution", data.dataset.config.attribution},
                 {"links",
                  {link(base, "self", "application/json", "diese Seite"),
                   link(base + "?f=html", "alternate", "text/html"),
                   link(base + "/api", "service-desc",
                        "application/vnd.oai.openapi+json;version=3.0", "OpenAPI 3.0"),
                   link(base + "/conformance", "conformance", "application/json"),
                   link(base + "/collections", "data", "application/json")}}};
    if (format_of(request, {"json", "html"}) == "html") {
        std::string html = "<p>" + escape_html(body["description"].get<std::string>()) + "</p><ul>";
        html += "<li><a href=\"" + escape_html(base) +
                "/collections?f=html\">Sammlungen (Collections)</a></li>";
        html += "<li><a href=\"" + escape_html(base) + "/conformance?f=html\">Konformität</a></li>";
        html += "<li><a href=\"" + escape_html(base) + "/api\">OpenAPI 3.0 (JSON)</a></li></ul>";
        return html_page(data, body["title"], html);
    }
    return json_response(body);
}

ApiResponse ogc_conformance(const ServedData& data, const ApiRequest& request) {
    const json classes = {
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
        "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters"};
    if (format_of(request, {"json", "html"}) == "html") {
        std::string html = "<ul>";
        for (const auto& c : classes) html += "<li>" + escape_html(c.get<std::string>()) + "</li>";
        return html_page(data, "Konformitätsklassen", html + "</ul>");
    }
    return json_response({{"conformsTo", classes}});
}

ApiResponse ogc_openapi(const ServedData& data, const ApiRequest& request) {
    return {200,
            "application/vnd.oai.openapi+json;version=3.0",
            openapi_document(data, request.base_url),
            {}};
}

ApiResponse ogc_collections(const ServedData& data, const ApiRequest& request) {
    const std::string base = request.base_url + "/ogc/collections";
    json collections = json::array();
    for (const auto& id : collection_ids(data)) {
        collections.push_back(collection_json(*data.layer(id), request.base_url));
    }
    if (format_of(request, {"json", "html"}) == "html") {
        std::string html = "<ul>";
        for (const auto& c : collections) {
            const std::string id = c["id"];
            html += "<li><a href=\"" + escape_html(base + "/" + id) + "?f=html\">" +
                    escape_html(c["title"]) + "</a> – " + escape_html(c["description"]) + "</li>";
        }
        return html_page(data, "Sammlungen", html + "</ul>");
    }
    json crs = json::array();
    for (const auto& c : supported_crs()) crs.push_back(c.uri);
    return json_response({{"collections", collections},
                          {"crs", crs},
                          {"links",
                           {link(base, "self", "application/json"),
                            link(base + "?f=html", "alternate", "text/html")}}});
}

ApiResponse ogc_collection(const ServedData& data, const ApiRequest& request) {
    const FeatureLayer& layer = layer_or_404(data, request);
    json c = collection_json(layer, request.base_url);
    if (layer.id == "districts") {
        // Which attributes are official statistics and which are modelled, before anyone maps them.
        json indicators = json::array();
        for (const auto& s : data.dataset.indicators) {
            indicators.push_back({{"id", s.meta.id},
                                  {"title", s.meta.label_de},
                                  {"unit", s.meta.unit},
                                  {"status", s.meta.official ? "official" : "modelled"}});
        }
        c["indicators"] = indicators;
    }
    if (format_of(request, {"json", "html"}) == "html") {
        std::string html = "<p>" + escape_html(layer.description) + "</p><ul>";
        for (const auto& l : c["links"]) {
            html += "<li><a href=\"" + escape_html(l["href"]) + "\">" + escape_html(l["rel"]) +
                    " (" + escape_html(l["type"]) + ")</a></li>";
        }
        return html_page(data, layer.title_de, html + "</ul>");
    }
    return json_response(c);
}

namespace {

// Properties in the order the items carry them, so clients list the fields as the server does.
ordered_json schema_properties(const FeatureLayer& layer) {
    ordered_json properties = ordered_json::object();
    for (const auto& a : layer.schema) {
        const char* type = a.type == ValueType::integer   ? "integer"
                           : a.type == ValueType::number  ? "number"
                           : a.type == ValueType::boolean ? "boolean"
                                                          : "string";
        properties[a.name] = {{"title", a.title}, {"type", type}};
    }
    return properties;
}

ApiResponse schema_response(const ordered_json& schema) {
    return {200, "application/schema+json", schema.dump(), {}};
}

}  // namespace

ApiResponse ogc_queryables(const ServedData& data, const ApiRequest& request) {
    const FeatureLayer& layer = layer_or_404(data, request);
    ordered_json properties = schema_properties(layer);
    properties["geometry"] = {
        {"$ref", "https://geojson.org/schema/" + layer.geometry_type + ".json"}};
    return schema_response(
        {{"$schema", "https://json-schema.org/draft/2019-09/schema"},
         {"$id", request.base_url + "/ogc/collections/" + layer.id + "/queryables"},
         {"type", "object"},
         {"title", layer.title_de},
         {"properties", properties}});
}

ApiResponse ogc_schema(const ServedData& data, const ApiRequest& request) {
    const FeatureLayer& layer = layer_or_404(data, request);
    // A value may be null (withheld, not collected that year); the type is that of the values
    // that exist, the same in every year.
    return schema_response(
        {{"$schema", "https://json-schema.org/draft/2019-09/schema"},
         {"$id", request.base_url + "/ogc/collections/" + layer.id + "/schema"},
         {"title", layer.title_de},
         {"type", "object"},
         {"required", {"type", "geometry", "properties"}},
         {"properties",
          {{"type", {{"type", "string"}, {"enum", {"Feature"}}}},
           {"geometry", {{"$ref", "https://geojson.org/schema/" + layer.geometry_type + ".json"}}},
           {"properties", {{"type", "object"}, {"properties", schema_properties(layer)}}}}}});
}

ApiResponse ogc_items(const ServedData& data, const ApiRequest& request) {
    const std::string format = format_of(request, {"json", "html", "csv", "gpkg"});
    std::optional<int> year = year_parameter(request);
    const std::string& id = request.params.at("collectionId");
    // Districts exist for every year; the grid for the year of its analysis only (a year
    // without data is 404 for both); services and the inventory carry no time.
    if (id == "grid" && year && data.grid && data.grid->year && *year != *data.grid->year) {
        throw NotFound("the grid exists for " + std::to_string(*data.grid->year) + " only, not " +
                       std::to_string(*year));
    }
    if (id != "districts") year.reset();
    const FeatureLayer& layer = layer_or_404(data, request, year);

    static const std::set<std::string> standard = {"limit",    "offset", "bbox", "bbox-crs", "crs",
                                                   "datetime", "year",   "f",    "csv"};
    FeatureQuery query;
    for (const auto& [name, value] : request.query) {
        if (standard.contains(name)) continue;
        if (!layer.attribute(name)) {
            throw BadRequest("unknown parameter '" + name + "' (not a queryable of '" + layer.id +
                             "')");
        }
        query.equals.emplace_back(name, value);
    }
    const CrsInfo& out_crs = crs_parameter(request, "crs");
    const CrsInfo& bbox_crs = crs_parameter(request, "bbox-crs");
    if (const auto bbox = request.query.find("bbox"); bbox != request.query.end()) {
        std::vector<double> v;
        std::size_t start = 0;
        const std::string& raw = bbox->second;
        while (start <= raw.size()) {
            const auto comma = std::min(raw.find(',', start), raw.size());
            double number = 0;
            const auto [end, ec] = std::from_chars(raw.data() + start, raw.data() + comma, number);
            if (ec != std::errc() || end != raw.data() + comma || !std::isfinite(number)) {
                throw BadRequest("parameter 'bbox' must be 4 numbers (minx,miny,maxx,maxy), not '" +
                                 raw + "'");
            }
            v.push_back(number);
            start = comma + 1;
        }
        if (v.size() == 6) v = {v[0], v[1], v[3], v[4]};  // drop heights
        if (v.size() != 4)
            throw BadRequest("parameter 'bbox' must have 4 or 6 numbers, not " +
                             std::to_string(v.size()));
        if (bbox_crs.lat_lon) v = {v[1], v[0], v[3], v[2]};
        if (v[1] > v[3] || (v[0] > v[2] && !bbox_crs.lat_lon && bbox_crs.proj != "OGC:CRS84")) {
            throw BadRequest("parameter 'bbox': the lower corner must come first");
        }
        Box box{v[0], v[1], v[2], v[3]};
        if (bbox_crs.proj != "OGC:CRS84" && bbox_crs.proj != "EPSG:4326") {
            // The box's outline, densified, in CRS84: its extent holds the whole box.
            const Transformer to_crs84(bbox_crs.proj, "OGC:CRS84");
            Box out{INFINITY, INFINITY, -INFINITY, -INFINITY};
            for (int k = 0; k <= 20; ++k) {
                const double t = k / 20.0;
                for (const Point p : {Point{box.min_x + t * (box.max_x - box.min_x), box.min_y},
                                      Point{box.min_x + t * (box.max_x - box.min_x), box.max_y},
                                      Point{box.min_x, box.min_y + t * (box.max_y - box.min_y)},
                                      Point{box.max_x, box.min_y + t * (box.max_y - box.min_y)}}) {
                    const Point q = to_crs84.apply(p);
                    out = {std::min(out.min_x, q.x), std::min(out.min_y, q.y),
                           std::max(out.max_x, q.x), std::max(out.max_y, q.y)};
                }
            }
            box = out;
        }
        query.bbox_wgs84 = box;
    }
    // A download (CSV, GeoPackage) is the whole collection unless a page is asked for.
    const bool download = format == "csv" || format == "gpkg";
    const long limit =
        download && !request.query.contains("limit")
            ? std::numeric_limits<long>::max()
            : std::min(integer_parameter(request, "limit", kDefaultLimit, 1), kMaxLimit);
    const long offset = integer_parameter(request, "offset", 0, 0);

    const std::vector<std::size_t> matched = select_features(layer, query);
    if (static_cast<std::size_t>(offset) > matched.size()) {
        throw BadRequest("parameter 'offset' (" + std::to_string(offset) + ") is beyond the " +
                         std::to_string(matched.size()) + " matching features");
    }
    const auto first = matched.begin() + offset;
    const std::vector<std::size_t> page(
        first, first + std::min<long>(limit, static_cast<long>(matched.end() - first)));

    const std::string items = request.base_url + "/ogc/collections/" + layer.id + "/items";
    const auto next_link = [&] {
        auto next = request.query;
        next["offset"] = std::to_string(offset + static_cast<long>(page.size()));
        next["limit"] = std::to_string(limit);
        return items + query_string(next);
    };
    const bool partial =
        offset + static_cast<long>(page.size()) < static_cast<long>(matched.size());
    if (download) {
        ApiResponse r;
        if (format == "csv") {
            const bool german = request.query.contains("csv") && request.query.at("csv") == "de";
            r = {200,
                 "text/csv; charset=utf-8",
                 to_csv(layer, &page, {german ? ';' : ',', german, german}),
                 {}};
        } else {
            FeatureLayer subset = layer;
            subset.features.clear();
            const Transformer* to_crs = transformer_from_crs84(out_crs);
            for (auto i : page) {
                subset.features.push_back(layer.features[i]);
                if (to_crs) {
                    std::visit(
                        [&](auto& g) {
                            using G = std::decay_t<decltype(g)>;
                            if constexpr (std::is_same_v<G, Point>) {
                                g = to_crs->apply(g);
                            } else if constexpr (std::is_same_v<G, LineString>) {
                                for (auto& p : g.points) p = to_crs->apply(p);
                            } else {
                                to_crs->apply(g);
                            }
                        },
                        subset.features.back().geometry);
                }
            }
            r = {200, "application/geopackage+sqlite3", to_geopackage(subset, out_crs.proj), {}};
        }
        r.headers.emplace_back("Content-Disposition",
                               "attachment; filename=\"" + layer.id + "." + format + "\"");
        // A file has no place for paging members: a page says so in its headers.
        r.headers.emplace_back("OGC-NumberMatched", std::to_string(matched.size()));
        r.headers.emplace_back("OGC-NumberReturned", std::to_string(page.size()));
        if (partial) r.headers.emplace_back("Link", "<" + next_link() + ">; rel=\"next\"");
        return r;
    }
    if (format == "html") {
        std::string html = "<p>" + std::to_string(page.size()) + " von " +
                           std::to_string(matched.size()) + " Objekten</p><table><tr><th>id</th>";
        for (const auto& a : layer.schema)
            html += "<th title=\"" + escape_html(a.title) + "\">" + escape_html(a.name) + "</th>";
        html += "</tr>";
        for (auto i : page) {
            const Feature& f = layer.features[i];
            html += "<tr><td>" + std::to_string(f.id) + "</td>";
            for (const auto& v : f.values) html += "<td>" + escape_html(german_text(v)) + "</td>";
            html += "</tr>";
        }
        return html_page(data, layer.title_de, html + "</table>");
    }

    auto self_query = request.query;
    json links = {link(items + query_string(self_query), "self", kGeoJson)};
    auto html_query = self_query;
    html_query["f"] = "html";
    links.push_back(link(items + query_string(html_query), "alternate", "text/html"));
    if (partial) links.push_back(link(next_link(), "next", kGeoJson));
    links.push_back(
        link(request.base_url + "/ogc/collections/" + layer.id, "collection", "application/json"));
    GeoJsonOptions options;
    options.transform = transformer_from_crs84(out_crs);
    options.swap_axes = out_crs.lat_lon;
    options.decimals = out_crs.decimals;
    options.extra_members = R"("numberMatched":)" + std::to_string(matched.size()) +
                            R"(,"numberReturned":)" + std::to_string(page.size()) +
                            R"(,"timeStamp":)" + json(utc_now()).dump() + R"(,"links":)" +
                            links.dump() + ",";
    ApiResponse r{200, kGeoJson, to_geojson(layer, &page, options), {}};
    r.headers.emplace_back("Content-Crs", "<" + out_crs.uri + ">");
    return r;
}

ApiResponse ogc_item(const ServedData& data, const ApiRequest& request) {
    const std::string format = format_of(request, {"json", "html"});
    std::optional<int> year = year_parameter(request);
    if (request.params.at("collectionId") != "districts") year.reset();
    const FeatureLayer& layer = layer_or_404(data, request, year);
    const std::string& raw = request.params.at("featureId");
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), id);
    const Feature* feature =
        ec == std::errc() && end == raw.data() + raw.size() ? layer.feature(id) : nullptr;
    if (!feature) throw NotFound("no feature '" + raw + "' in collection '" + layer.id + "'");
    if (format == "html") {
        std::string html = "<table>";
        for (std::size_t i = 0; i < layer.schema.size(); ++i) {
            html += "<tr><th>" + escape_html(layer.schema[i].title) + "</th><td>" +
                    escape_html(german_text(feature->values[i])) + "</td></tr>";
        }
        return html_page(data, layer.title_de + " " + raw, html + "</table>");
    }
    const CrsInfo& out_crs = crs_parameter(request, "crs");
    GeoJsonOptions options;
    options.transform = transformer_from_crs84(out_crs);
    options.swap_axes = out_crs.lat_lon;
    options.decimals = out_crs.decimals;
    ApiResponse r{200, kGeoJson, feature_geojson(layer, *feature, options), {}};
    r.headers.emplace_back("Content-Crs", "<" + out_crs.uri + ">");
    return r;
}

}  // namespace atlas::api
