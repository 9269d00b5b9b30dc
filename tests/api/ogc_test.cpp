// The OGC API handlers called directly (no socket): statuses, paging, filters, OpenAPI.

#include "ogc.hpp"

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <set>

#include "atlas/geo/error.hpp"
#include "districts/district_profile.hpp"
#include "erfurt_served.hpp"
#include "http_errors.hpp"
#include "planning/planning_routes.hpp"
#include "routes.hpp"
#include "support.hpp"

namespace atlas::api {
namespace {

using nlohmann::json;

const ServedData& erfurt() {
    return test::erfurt_served();
}

ApiRequest request(std::map<std::string, std::string> params,
                   std::map<std::string, std::string> query = {}) {
    return test::request_for(std::move(params), std::move(query),
                             "https://atlas.example/stadtteile");
}

ApiRequest items(const std::string& collection, std::map<std::string, std::string> query = {}) {
    return request({{"collectionId", collection}}, std::move(query));
}

using test::status_of;

TEST(OgcApi, OpenApiNamesExactlyTheRoutesOfTheTable) {
    const json doc = json::parse(openapi_document(erfurt(), "https://atlas.example"));
    EXPECT_EQ(doc["openapi"], "3.0.3");
    std::set<std::string> documented, routed;
    for (const auto& [path, item] : doc["paths"].items()) documented.insert(path);
    for (const auto& r : route_table()) routed.insert(openapi_path(r.path));
    EXPECT_EQ(documented, routed);
    EXPECT_TRUE(documented.contains("/ogc/collections/{collectionId}/items/{featureId}"));
    EXPECT_EQ(doc["servers"][0]["url"], "https://atlas.example");
}

TEST(OgcApi, BadRequestsGetTheStatusesTheStandardAsksFor) {
    EXPECT_EQ(status_of(ogc_items, items("districts", {{"limit", "-1"}})), 400);
    EXPECT_EQ(status_of(ogc_items, items("districts", {{"limit", "zehn"}})), 400);
    EXPECT_EQ(status_of(ogc_items, items("districts", {{"bbox", "a,b"}})), 400);
    EXPECT_EQ(status_of(ogc_items, items("districts", {{"bbox", "11,51,10,50,3"}})), 400);
    EXPECT_EQ(status_of(ogc_items, items("districts", {{"bbox", "11,51,10,50"}})),
              400);  // upper corner first
    EXPECT_EQ(status_of(ogc_items, items("districts", {{"crs", "EPSG:31468"}})), 400);
    EXPECT_EQ(
        status_of(ogc_items, items("districts", {{"bbox-crs", "EPSG:999"}, {"bbox", "1,2,3,4"}})),
        400);
    EXPECT_EQ(status_of(ogc_items, items("districts", {{"offset", "99999999999999999999999"}})),
              400);
    EXPECT_EQ(status_of(ogc_items, items("districts", {{"offset", "54"}})), 400);
    EXPECT_EQ(status_of(ogc_items, items("districts", {{"offset", "-3"}})), 400);
    EXPECT_EQ(status_of(ogc_items, items("districts", {{"colour", "red"}})),
              400);  // unknown parameter
    EXPECT_EQ(status_of(ogc_items, items("districts", {{"f", "xml"}})), 400);
    EXPECT_EQ(status_of(ogc_items, items("districts", {{"datetime", "gestern"}})), 400);
    EXPECT_EQ(status_of(ogc_items, items("districts", {{"datetime", "1850"}})), 404);
    EXPECT_EQ(status_of(ogc_items, items("no-such-collection")), 404);
    EXPECT_EQ(status_of(ogc_collection, items("no-such-collection")), 404);
    EXPECT_EQ(status_of(ogc_item, request({{"collectionId", "districts"}, {"featureId", "54"}})),
              404);
    EXPECT_EQ(status_of(ogc_item, request({{"collectionId", "districts"}, {"featureId", "x"}})),
              404);
    EXPECT_EQ(status_of(ogc_items, items("districts", {{"limit", "1000000"}})),
              200);  // capped, not refused
}

TEST(OgcApi, PagingHasNextLinksUntilTheLastPage) {
    json page = json::parse(ogc_items(erfurt(), items("districts", {{"limit", "20"}})).body);
    EXPECT_EQ(page["numberMatched"], 53);
    EXPECT_EQ(page["numberReturned"], 20);
    std::string next;
    for (const auto& l : page["links"]) {
        if (l["rel"] == "next") next = l["href"];
    }
    EXPECT_EQ(
        next,
        "https://atlas.example/stadtteile/ogc/collections/districts/items?limit=20&offset=20");
    page = json::parse(
        ogc_items(erfurt(), items("districts", {{"limit", "20"}, {"offset", "40"}})).body);
    EXPECT_EQ(page["numberReturned"], 13);
    for (const auto& l : page["links"]) EXPECT_NE(l["rel"], "next");
    EXPECT_EQ(page["features"][0]["id"], 41);
}

TEST(OgcApi, PropertyFiltersAndDatetime) {
    json r = json::parse(
        ogc_items(erfurt(), items("districts", {{"name", "Altstadt"}, {"datetime", "2019-12-31"}}))
            .body);
    ASSERT_EQ(r["numberMatched"], 1);
    EXPECT_EQ(r["features"][0]["properties"]["name"], "Altstadt");
    EXPECT_EQ(r["features"][0]["properties"]["year"], 2019);
    r = json::parse(ogc_items(erfurt(), items("districts", {{"official_id", "39"}})).body);
    EXPECT_EQ(r["numberMatched"], 2);  // Frienstedt and Bindersleben
    r = json::parse(
        ogc_items(erfurt(), items("services", {{"category", "kitas"}, {"limit", "1000"}})).body);
    EXPECT_EQ(r["numberMatched"], 95);
    r = json::parse(
        ogc_items(erfurt(), items("districts", {{"auslaender", "1063"}, {"year", "2019"}})).body);
    ASSERT_EQ(r["numberMatched"], 1);
    EXPECT_EQ(r["features"][0]["properties"]["name"], "Berliner Platz");
}

TEST(OgcApi, Epsg4326IsLatitudeFirstAndSaysSo) {
    const auto crs84 = json::parse(
        ogc_item(erfurt(), request({{"collectionId", "services"}, {"featureId", "1"}})).body);
    const ApiResponse r =
        ogc_item(erfurt(), request({{"collectionId", "services"}, {"featureId", "1"}},
                                   {{"crs", "http://www.opengis.net/def/crs/EPSG/0/4326"}}));
    const auto lat_lon = json::parse(r.body);
    EXPECT_EQ(lat_lon["geometry"]["coordinates"][0], crs84["geometry"]["coordinates"][1]);
    EXPECT_EQ(lat_lon["geometry"]["coordinates"][1], crs84["geometry"]["coordinates"][0]);
    ASSERT_EQ(r.headers.size(), 1u);
    EXPECT_EQ(r.headers[0].second, "<http://www.opengis.net/def/crs/EPSG/0/4326>");
}

TEST(OgcApi, CollectionsDescribeExtentsAndCrs) {
    const json c = json::parse(ogc_collections(erfurt(), request({})).body);
    ASSERT_EQ(c["collections"].size(),
              6u);  // districts, services, grid, actors, offers, cooperations
    const json& districts = c["collections"][0];
    EXPECT_EQ(districts["id"], "districts");
    EXPECT_EQ(districts["itemType"], "feature");
    EXPECT_NEAR(districts["extent"]["spatial"]["bbox"][0][0].get<double>(), 10.85532, 1e-5);
    EXPECT_EQ(districts["extent"]["temporal"]["interval"][0][0], "2009-01-01T00:00:00Z");
    EXPECT_EQ(districts["storageCrs"], "http://www.opengis.net/def/crs/OGC/1.3/CRS84");
    EXPECT_EQ(districts["crs"].size(), 4u);
    const json q = json::parse(ogc_queryables(erfurt(), items("districts")).body);
    EXPECT_EQ(q["properties"]["auslaender_modell"]["type"], "integer");
    EXPECT_EQ(q["properties"]["name"]["type"], "string");
}

TEST(OgcApi, DownloadsForSpreadsheetsAndGis) {
    const ApiResponse csv =
        ogc_items(erfurt(), items("districts", {{"f", "csv"}, {"csv", "de"}, {"year", "2019"}}));
    EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
    EXPECT_EQ(csv.body.substr(0, 3), "\xEF\xBB\xBF");
    EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'), 54);
    EXPECT_NE(csv.body.find(";Berliner Platz;"), std::string::npos);
    const ApiResponse gpkg =
        ogc_items(erfurt(), items("services", {{"f", "gpkg"}, {"limit", "10000"}}));
    EXPECT_EQ(gpkg.body.substr(0, 15), "SQLite format 3");
    const ApiResponse html = ogc_items(erfurt(), items("districts", {{"f", "html"}}));
    EXPECT_NE(html.body.find("<html lang=\"de\">"), std::string::npos);
    EXPECT_NE(html.body.find("dl-de/by-2-0"), std::string::npos);  // attribution on every page
    // German like the rest: decimal commas, "geheim" for withheld values, a German title.
    std::size_t decimal_commas = 0, decimal_points = 0;
    for (auto at = html.body.find("<td>"); at != std::string::npos;
         at = html.body.find("<td>", at + 1)) {
        const std::string cell = html.body.substr(at + 4, html.body.find("</td>", at) - at - 4);
        const auto number_with = [&](char mark) {
            const auto sep = cell.find(mark);
            return sep != std::string::npos && sep > 0 && sep + 1 < cell.size() &&
                   cell.find_first_not_of("-0123456789" + std::string(1, mark)) ==
                       std::string::npos;
        };
        decimal_commas += number_with(',');
        decimal_points += number_with('.');
    }
    EXPECT_GT(decimal_commas, 0u);
    EXPECT_EQ(decimal_points, 0u);
    EXPECT_NE(html.body.find("<td>geheim</td>"), std::string::npos);
    EXPECT_NE(html.body.find("Stadtteilatlas"), std::string::npos);
    EXPECT_EQ(html.body.find("District Atlas"), std::string::npos);
}

// What GIS staff see in QGIS/GDAL: fields in schema order, the asked CRS in the GeoPackage, a
// Boolean type GDAL accepts, and the grid's datetime handled like the districts'.
TEST(OgcApi, GisClientsGetOrderTypesCrsAndTime) {
    const auto page = nlohmann::ordered_json::parse(
        ogc_items(erfurt(), items("districts", {{"limit", "1"}})).body);
    std::vector<std::string> keys;
    for (const auto& [k, v] : page["features"][0]["properties"].items()) keys.push_back(k);
    ASSERT_GE(keys.size(), 5u);
    EXPECT_EQ(std::vector<std::string>(keys.begin(), keys.begin() + 4),
              (std::vector<std::string>{"id", "name", "key", "year"}));
    // Indicators in config order: the first table's first indicator before the derived shares.
    const auto at = [&](const std::string& k) { return std::find(keys.begin(), keys.end(), k); };
    EXPECT_LT(at("einwohner"), at("auslaender_anteil_modell"));

    const ApiResponse gpkg = ogc_items(
        erfurt(), items("districts", {{"f", "gpkg"}, {"crs", "EPSG:25832"}, {"limit", "60"}}));
    test::TempDir dir;
    const std::string path = dir.write("districts.gpkg", gpkg.body);
    CPLErrorReset();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR));
    ASSERT_TRUE(ds);
    OGRLayer* layer = ds->GetLayer(0);
    EXPECT_EQ(std::string(layer->GetSpatialRef()->GetAuthorityCode(nullptr)), "25832");
    OGREnvelope extent;
    ASSERT_EQ(layer->GetExtent(&extent), OGRERR_NONE);
    EXPECT_GT(extent.MinX, 620000);  // metres east in UTM 32N around Erfurt
    EXPECT_LT(extent.MaxX, 660000);
    EXPECT_GT(extent.MinY, 5630000);
    const OGRFieldDefn* gap =
        layer->GetLayerDefn()->GetFieldDefn(layer->GetLayerDefn()->GetFieldIndex("bildung_gap"));
    ASSERT_NE(gap, nullptr);
    EXPECT_EQ(gap->GetType(), OFTInteger);
    EXPECT_EQ(gap->GetSubType(), OFSTBoolean);
    for (auto& f : *layer) (void)f;
    EXPECT_EQ(CPLGetLastErrorType(), CE_None) << CPLGetLastErrorMsg();

    // A district without a gap class has no gap flag (not "no gap"); a withheld target group
    // withholds every coverage measure, the flag included.
    const json all = json::parse(ogc_items(erfurt(), items("districts", {{"limit", "60"}})).body);
    std::size_t withheld = 0;
    for (const auto& f : all["features"]) {
        const auto& p = f["properties"];
        EXPECT_EQ(p["bildung_gap"].is_null(), p["bildung_gap_class"].is_null()) << p["name"];
        const std::string list = "," + p["suppressed_indicators"].get<std::string>() + ",";
        if (list.find(",bildung_gap_class,") == std::string::npos) continue;
        ++withheld;
        EXPECT_NE(list.find(",bildung_gap,"), std::string::npos) << p["name"];
        EXPECT_TRUE(p["bildung_gap"].is_null()) << p["name"];
    }
    EXPECT_GT(withheld, 0u);

    const int grid_year = erfurt().grid->year.value();
    EXPECT_EQ(status_of(ogc_items, items("grid", {{"datetime", "1990"}, {"limit", "1"}})), 404);
    EXPECT_EQ(status_of(ogc_items, items("districts", {{"datetime", "1990"}})), 404);
    const json grid = json::parse(
        ogc_items(erfurt(),
                  items("grid", {{"datetime", std::to_string(grid_year)}, {"limit", "1"}}))
            .body);
    EXPECT_EQ(grid["numberReturned"], 1);
}

const RouteSpec& route(const std::string& path) {
    for (const auto& r : route_table()) {
        if (r.path == path) return r;
    }
    throw std::runtime_error("no route " + path);
}

TEST(IndicatorApi, MetadataAndValuesPerDistrict) {
    const json list = json::parse(route("/api/indicators").handler(erfurt(), request({})).body);
    bool found = false;
    for (const auto& i : list["indicators"]) {
        if (i["id"] == "auslaender") {
            found = true;
            EXPECT_EQ(i["status"], "official");
            EXPECT_EQ(i["years"], json({2016, 2019, 2020, 2021, 2022}));
        }
        if (i["id"] == "auslaender_modell") {
            EXPECT_EQ(i["status"], "modelled");
        }
    }
    EXPECT_TRUE(found);
    const auto& values = route("/api/indicators/:id");
    const json v = json::parse(
        values.handler(erfurt(), request({{"id", "auslaender"}}, {{"year", "2019"}})).body);
    EXPECT_EQ(v["values"].size(), 53u);
    int with_value = 0;
    for (const auto& row : v["values"]) {
        if (row["value"].is_null()) continue;
        ++with_value;
        if (row["district"] == "Berliner Platz") {
            EXPECT_EQ(row["value"], 1063);
        }
    }
    EXPECT_EQ(with_value, 2);  // Berliner Platz and Urbich
    const std::string csv =
        values.handler(erfurt(), request({{"id", "auslaender_modell.csv"}}, {{"year", "2021"}}))
            .body;
    EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 54);
    EXPECT_NE(csv.find(",modelled\n"), std::string::npos);
    const auto status = [&](std::map<std::string, std::string> params,
                            std::map<std::string, std::string> query) {
        try {
            return values.handler(erfurt(), request(params, query)).status;
        } catch (...) {
            return to_http_error(std::current_exception()).status;
        }
    };
    EXPECT_EQ(status({{"id", "nothing"}}, {}), 404);
    EXPECT_EQ(status({{"id", "auslaender"}}, {{"year", "1850"}}), 404);
    EXPECT_EQ(status({{"id", "auslaender"}}, {{"year", "neunzehn"}}), 400);
}

TEST(LegendApi, OneLegendPerStyleAndYear) {
    const auto& legend = route("/api/legend/:style");
    const json l = json::parse(
        legend.handler(erfurt(), request({{"style", "auslaender_anteil"}}, {{"year", "2021"}}))
            .body);
    EXPECT_EQ(l["year"], 2021);
    EXPECT_EQ(l["method"], "quantile");
    EXPECT_EQ(l["data_status"], "modelled");
    EXPECT_EQ(l["classes"].size(), 5u);
    const json en = json::parse(
        legend.handler(erfurt(), request({{"style", "auslaender_anteil"}}, {{"lang", "en"}})).body);
    EXPECT_EQ(en["title"], "Share of foreign nationals (modelled)");
    try {
        legend.handler(erfurt(), request({{"style", "nothing"}}));
        FAIL();
    } catch (...) {
        EXPECT_EQ(to_http_error(std::current_exception()).status, 404);
    }
}

}  // namespace
}  // namespace atlas::api

namespace atlas::api {
namespace {

std::string header(const ApiResponse& r, const std::string& name) {
    for (const auto& [k, v] : r.headers)
        if (k == name) return v;
    return "";
}

// A download link gives the whole collection; a page of a download says it is one.
TEST(OgcApi, DownloadsAreWholeUnlessAPageIsAskedFor) {
    const ServedData& data = test::erfurt_served();
    const std::size_t cells = data.coverage->grid.cells.size();
    ASSERT_GT(cells, 1000u);
    const auto grid = [&](std::map<std::string, std::string> query) {
        return ogc_items(data, test::request_for({{"collectionId", "grid"}}, std::move(query),
                                                 "https://atlas.example"));
    };
    const ApiResponse whole = grid({{"f", "csv"}});
    EXPECT_EQ(static_cast<std::size_t>(std::count(whole.body.begin(), whole.body.end(), '\n')),
              cells + 1);
    EXPECT_EQ(header(whole, "OGC-NumberMatched"), std::to_string(cells));
    EXPECT_EQ(header(whole, "Link"), "");
    const ApiResponse page = grid({{"f", "csv"}, {"limit", "1000"}});
    EXPECT_EQ(std::count(page.body.begin(), page.body.end(), '\n'), 1001);
    EXPECT_EQ(header(page, "OGC-NumberReturned"), "1000");
    EXPECT_EQ(header(page, "Link"),
              "<https://atlas.example/ogc/collections/grid/items?f=csv&limit=1000&offset=1000>; "
              "rel=\"next\"");
    const json collection = json::parse(
        ogc_collection(data, test::request_for({{"collectionId", "grid"}}, {}, "https://a.example"))
            .body);
    for (const auto& l : collection["links"]) {
        if (l["rel"] == "enclosure") {
            EXPECT_EQ(l["href"].get<std::string>().find("limit"), std::string::npos);
        }
    }
}

}  // namespace
}  // namespace atlas::api

namespace atlas::api {
namespace {

// "Modelled" reaches every table a reader can download, not only the maps.
TEST(OgcApi, ModelledValuesAreLabelledInEveryTable) {
    const ServedData& data = test::erfurt_served();
    const auto base = [](std::map<std::string, std::string> params,
                         std::map<std::string, std::string> query = {}) {
        return test::request_for(std::move(params), std::move(query), "https://atlas.example");
    };
    const json collection =
        json::parse(ogc_collection(data, base({{"collectionId", "districts"}})).body);
    std::map<std::string, std::string> status;
    for (const auto& i : collection["indicators"]) status[i["id"]] = i["status"];
    EXPECT_EQ(status["einwohner"], "official");
    EXPECT_EQ(status["auslaender_anteil_modell"], "modelled");
    EXPECT_EQ(status.size(), data.dataset.indicators.size());

    const json districts =
        json::parse(ogc_items(data, base({{"collectionId", "districts"}}, {{"limit", "1"}})).body);
    const std::string modelled = districts["features"][0]["properties"]["modelled_indicators"];
    EXPECT_NE(modelled.find("sprache_within"), std::string::npos);  // coverage measures too
    EXPECT_NE(modelled.find("einwohner_modell"), std::string::npos);
    EXPECT_EQ(modelled.find("einwohner,"), std::string::npos);

    const std::string grid =
        ogc_items(data, base({{"collectionId", "grid"}}, {{"f", "csv"}, {"limit", "2"}})).body;
    EXPECT_NE(grid.substr(0, grid.find('\n')).find("data_status"), std::string::npos);
    EXPECT_NE(grid.find(",modelled,"), std::string::npos);

    for (const auto& r : route_table()) {
        if (r.path != "/api/monitoring") continue;
        const std::string csv = r.handler(data, base({}, {{"f", "csv"}})).body;
        EXPECT_EQ(csv.substr(0, csv.find('\n')).substr(csv.find('\n') - 12), ",data_status");
        EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'),
                  1 + static_cast<long>(data.dataset.districts.size()));
        EXPECT_NE(csv.find(",modelled\n"), std::string::npos);
    }
}

}  // namespace
TEST(HttpErrors, InternalExceptionTextsStayInTheLog) {
    const HttpError e =
        to_http_error(std::make_exception_ptr(std::length_error("basic_string::_M_create")));
    EXPECT_EQ(e.status, 500);
    EXPECT_EQ(e.message.find("_M_create"), std::string::npos);
    EXPECT_NE(e.message.find("internal error"), std::string::npos);
    // Invalid UTF-8 in a message (a path echoed back) still makes valid JSON.
    const auto body = nlohmann::json::parse(error_body({404, "no resource at /\xff\xfe", {}}));
    EXPECT_EQ(body["status"], 404);
}

int status_of_profile(const ServedData& data, const std::string& district) {
    ApiRequest r;
    r.params["district"] = district;
    try {
        district_profile(data, r);
        return 200;
    } catch (...) {
        return to_http_error(std::current_exception()).status;
    }
}

TEST(DistrictProfile, ValuesRanksMediansAndWithheldCellsAsTheIndicatorsHaveThem) {
    const ServedData& data = test::erfurt_served();
    const Dataset& ds = data.dataset;
    const auto profile_of = [&](const std::string& district, int year) {
        ApiRequest r;
        r.params["district"] = district;
        r.query["year"] = std::to_string(year);
        return nlohmann::json::parse(district_profile(data, r).body);
    };
    const auto p = profile_of("Altstadt", 2019);
    EXPECT_EQ(p["name"], "Altstadt");
    std::size_t d = 0;
    while (ds.districts[d].key != "Altstadt") ++d;
    std::size_t withheld_seen = 0;
    for (const auto& entry : p["indicators"]) {
        const IndicatorSeries* s = ds.indicator(entry["id"].get<std::string>());
        ASSERT_NE(s, nullptr);
        if (!s->by_year.contains(2019)) {
            EXPECT_FALSE(entry["has_year"].get<bool>());
            continue;
        }
        // Independently: the published values of 2019, their median, Altstadt's place.
        std::vector<double> values;
        const auto& all = s->by_year.at(2019);
        for (std::size_t k = 0; k < all.size(); ++k)
            if (all[k] && !s->suppressed(2019, k)) values.push_back(*all[k]);
        std::sort(values.begin(), values.end());
        if (!values.empty()) {
            const double median =
                values.size() % 2 ? values[values.size() / 2]
                                  : (values[values.size() / 2 - 1] + values[values.size() / 2]) / 2;
            EXPECT_DOUBLE_EQ(entry["median"].get<double>(), median) << s->meta.id;
        }
        EXPECT_EQ(entry["ranked"].get<std::size_t>(), values.size());
        if (s->suppressed(2019, d)) {
            ++withheld_seen;
            EXPECT_TRUE(entry["value"].is_null());
            EXPECT_TRUE(entry["suppressed"].get<bool>());
            EXPECT_TRUE(entry["rank"].is_null());
        } else if (all[d]) {
            EXPECT_DOUBLE_EQ(entry["value"].get<double>(), *all[d]);
            const auto higher =
                std::count_if(values.begin(), values.end(), [&](double v) { return v > *all[d]; });
            EXPECT_EQ(entry["rank"].get<long>(), higher + 1) << s->meta.id;
        }
        // The series never carries a withheld value.
        for (const auto& point : entry["series"])
            if (point["suppressed"].get<bool>()) {
                EXPECT_TRUE(point["value"].is_null());
            }
    }
    EXPECT_EQ(p["coverage"].size(), ds.config.fields.size());
    // Some district has a withheld count in 2024; its profile says so instead of a number.
    bool found = false;
    for (std::size_t k = 0; k < ds.districts.size() && !found; ++k) {
        const IndicatorSeries* s = ds.indicator("auslaender_modell");
        if (!s->suppressed(2024, k)) continue;
        found = true;
        const auto profile = profile_of(ds.districts[k].key, 2024);
        for (const auto& entry : profile["indicators"])
            if (entry["id"] == "auslaender_modell") {
                EXPECT_TRUE(entry["suppressed"].get<bool>());
            }
    }
    EXPECT_TRUE(found);
    EXPECT_EQ(status_of_profile(data, "Nirgendwo"), 404);
}

// The suggested stops bring exactly the reported number of people within reach, recounted
// from the grid without the solver; the exact answer is never worse than greedy's.
TEST(LocationPlanning, ErfurtStopsSuggestionsRecountFromTheGrid) {
    const ServedData& data = test::erfurt_served();
    const auto ask = [&](const std::string& method, const std::string& candidates) {
        ApiRequest r;
        r.query = {
            {"field", "sprache"}, {"k", "3"}, {"method", method}, {"candidates", candidates}};
        return nlohmann::json::parse(location_suggestions(data, r).body);
    };
    const auto exact = ask("exact", "haltestellen");
    EXPECT_EQ(exact["candidate_count"], 215);
    EXPECT_TRUE(exact["optimal"].get<bool>());
    ASSERT_EQ(exact["sites"].size(), 3u);
    const GroupCoverage* group = data.coverage->group("sprache");
    const double radius = group->group.radius_m;
    double recount = 0, gains = 0;
    const auto& cells = data.coverage->grid.cells;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (!(cells[i].target > 0) || group->cell_distance_m[i] <= radius) continue;
        for (const auto& site : exact["sites"]) {
            if (std::hypot(cells[i].centre_metric.x - site["x"].get<double>(),
                           cells[i].centre_metric.y - site["y"].get<double>()) <= radius) {
                recount += cells[i].target;
                break;
            }
        }
    }
    for (const auto& site : exact["sites"]) gains += site["gain"].get<double>();
    EXPECT_NEAR(recount, exact["newly_within"].get<double>(), 1e-6);
    EXPECT_NEAR(gains, recount, 1e-6);
    EXPECT_GT(recount, 0);
    // Sprache's existing offers include fictional examples: the answer says so.
    EXPECT_EQ(exact["example_services"], group->example_services);
    EXPECT_EQ(exact["note"].get<std::string>().empty(), group->example_services == 0);
    const auto quick = ask("greedy", "haltestellen");
    EXPECT_LE(quick["newly_within"].get<double>(), exact["newly_within"].get<double>() + 1e-6);
    EXPECT_GE(quick["lp_bound"].get<double>(), exact["newly_within"].get<double>() - 1e-6);
    // Unknown sets and fields are 404, a missing field 400.
    ApiRequest bad;
    bad.query = {{"field", "sprache"}, {"candidates", "rathaeuser"}};
    EXPECT_THROW(location_suggestions(data, bad), NotFound);
    bad.query = {{"k", "2"}};
    EXPECT_THROW(location_suggestions(data, bad), BadRequest);
}

}  // namespace atlas::api
