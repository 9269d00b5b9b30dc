// End to end: the real `atlas` binary on a loopback port, read back with independent clients.

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>
#include <nlohmann/json.hpp>

#include <proj.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "process.hpp"
#include "support.hpp"

namespace atlas {
namespace {

using nlohmann::json;

class ErfurtServer : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { server_ = new test::AtlasServer({"--threads", "2"}); }
    static void TearDownTestSuite() {
        EXPECT_EQ(server_->stop(), 0);  // SIGTERM is a clean stop
        delete server_;
    }
    static test::AtlasServer* server_;
};
test::AtlasServer* ErfurtServer::server_ = nullptr;

TEST_F(ErfurtServer, Health) {
    const auto r = test::http_get(server_->port(), "/health");
    ASSERT_EQ(r.status, 200);
    const auto body = json::parse(r.body);
    EXPECT_EQ(body["status"], "ok");
    EXPECT_EQ(body["districts"], 53);
    EXPECT_EQ(body["default_year"], 2024);
}

TEST_F(ErfurtServer, DistrictsLayerReadsBackInGdalWithUmlauts) {
    // GDAL fetches the URL itself: its GeoJSON driver is the independent reader.
    GDALAllRegister();
    const std::string url = server_->url("/ogc/collections/districts/items?year=2019");
    GDALDatasetUniquePtr ds(GDALDataset::Open(url.c_str(), GDAL_OF_VECTOR));
    ASSERT_TRUE(ds) << CPLGetLastErrorMsg();
    OGRLayer* layer = ds->GetLayer(0);
    ASSERT_EQ(layer->GetFeatureCount(), 53);
    std::set<std::string> names;
    double area = 0;
    for (auto& f : *layer) {
        names.insert(f->GetFieldAsString("name"));
        area += f->GetFieldAsDouble("area_km2");
        EXPECT_EQ(f->GetFieldAsInteger("year"), 2019);
        if (std::string(f->GetFieldAsString("name")) == "Berliner Platz") {
            EXPECT_EQ(f->GetFieldAsInteger("auslaender"), 1063);
            EXPECT_EQ(f->GetFieldAsInteger("einwohner"), 6050);
            EXPECT_NEAR(f->GetFieldAsDouble("auslaender_anteil"), 1063.0 / 6050 * 100, 1e-9);
        }
        EXPECT_NE(std::string(f->GetFieldAsString("modelled_indicators")).find("auslaender_modell"),
                  std::string::npos);
    }
    for (const char* name : {"L\xC3\xB6"
                             "bervorstadt",
                             "B\xC3\xBC\xC3\x9F"
                             "leben",
                             "T\xC3\xB6ttelst\xC3\xA4"
                             "dt",
                             "Wiesenh\xC3\xBCgel", "Rohda (Haarberg)"}) {
        EXPECT_TRUE(names.contains(name)) << name;
    }
    EXPECT_NEAR(area, 269.8, 269.8 * 0.005);
    OGREnvelope extent;
    ASSERT_EQ(layer->GetExtent(&extent), OGRERR_NONE);
    EXPECT_NEAR(extent.MinX, 10.8553, 1e-3);  // lon/lat order, RFC 7946
    EXPECT_NEAR(extent.MaxY, 51.0799, 1e-3);
}

TEST_F(ErfurtServer, DefaultYearIsTheLatest) {
    const auto r = test::http_get(server_->port(), "/ogc/collections/districts/items");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.headers.at("content-type"), "application/geo+json");
    EXPECT_EQ(json::parse(r.body)["year"], 2024);
}

TEST_F(ErfurtServer, KeepAliveWithoutConnectionHeader) {
    test::HttpConnection connection(server_->port());
    for (int i = 0; i < 3; ++i) {
        const auto r = connection.get("/health");
        EXPECT_EQ(r.status, 200);
        EXPECT_EQ(r.headers.at("connection"), "Keep-Alive");
    }
    EXPECT_FALSE(connection.closed_by_server());
}

// The contract: HEAD on every GET path answers with the GET's status and headers, no body.
TEST_F(ErfurtServer, HeadAnswersLikeGetWithoutABody) {
    test::HttpConnection c(server_->port());
    for (const char* path : {"/health", "/api/inventory", "/tiles/districts/12/2170/1387.mvt",
                             "/ogc/collections/offers/items?limit=3", "/struktur", "/nirgends"}) {
        auto get = c.request("GET", path, "", "");
        auto head = c.request("HEAD", path, "", "");
        EXPECT_EQ(head.status, get.status) << path;
        EXPECT_TRUE(head.body.empty()) << path;
        EXPECT_EQ(head.headers["content-type"], get.headers["content-type"]) << path;
        EXPECT_EQ(head.headers["etag"], get.headers["etag"]) << path;
        EXPECT_FALSE(c.closed_by_server()) << path;  // the connection stays usable
    }
}

TEST_F(ErfurtServer, ErrorsAreJson) {
    const auto check = [&](const std::string& path, int status) {
        const auto r = test::http_get(server_->port(), path);
        EXPECT_EQ(r.status, status) << path;
        EXPECT_EQ(r.headers.at("content-type"), "application/json") << path;
        const auto body = json::parse(r.body);
        EXPECT_EQ(body["status"], status);
        EXPECT_FALSE(body["error"].get<std::string>().empty());
    };
    check("/no/such/thing", 404);
    check("/ogc/collections/districts/items?year=zwanzig", 400);
    check("/ogc/collections/districts/items?year=1850", 404);
    check("/ogc/collections/districts/items?year=99999999999999", 400);
}

TEST_F(ErfurtServer, CoverageJsonCsvAndErrors) {
    const auto r = test::http_get(server_->port(), "/api/coverage/bildung");
    ASSERT_EQ(r.status, 200);
    const auto body = json::parse(r.body);
    EXPECT_EQ(body["field"], "bildung");
    EXPECT_EQ(body["districts"].size(), 53u);
    EXPECT_EQ(body["method"]["data_status"], "modelled");
    int gaps = 0;
    for (const auto& d : body["districts"]) gaps += d["gap"].get<bool>();
    EXPECT_GT(gaps, 0);
    const auto csv = test::http_get(server_->port(), "/api/coverage/kitas.csv");
    ASSERT_EQ(csv.status, 200);
    EXPECT_EQ(csv.headers.at("content-type"), "text/csv; charset=utf-8");
    EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'), 54);
    // Ausbildung/Arbeitsmarkt rests on fictional example offers only, and says so.
    const auto work = json::parse(test::http_get(server_->port(), "/api/coverage/arbeit").body);
    EXPECT_FALSE(work["no_service"].get<bool>());
    EXPECT_EQ(work["data_status"], "example");
    EXPECT_EQ(work["example_services"], work["services"]);
    EXPECT_NE(work["data_note"].get<std::string>().find("Beispieldaten (fiktiv)"),
              std::string::npos);
    EXPECT_EQ(test::http_get(server_->port(), "/api/coverage/zoo").status, 404);
}

TEST_F(ErfurtServer, GridAndDistrictCoverageReadBackInGdal) {
    GDALAllRegister();
    // The grid is larger than one page: GDAL's OGC API client follows the next links.
    const char* options[] = {"PAGE_SIZE=10000", nullptr};
    GDALDatasetUniquePtr grid(GDALDataset::Open(("OAPIF:" + server_->url("/ogc")).c_str(),
                                                GDAL_OF_VECTOR, nullptr, options, nullptr));
    ASSERT_TRUE(grid) << CPLGetLastErrorMsg();
    OGRLayer* cells = grid->GetLayerByName("grid");
    ASSERT_NE(cells, nullptr);
    EXPECT_GT(cells->GetFeatureCount(), 3700);  // populated census cells
    double population = 0;
    std::map<int, double> by_district;
    for (auto& f : *cells) {
        population += f->GetFieldAsDouble("population");
        by_district[f->GetFieldAsInteger("district_id")] += f->GetFieldAsDouble("population");
    }
    // Districts whose number of foreign nationals is withheld get no cells (they would give it
    // back); the others' residents are all on the grid, rounded to 0.01 per cell.
    const json residents = json::parse(
        test::http_get(server_->port(), "/api/indicators/einwohner_modell?year=2024").body);
    const json foreigners = json::parse(
        test::http_get(server_->port(), "/api/indicators/auslaender_modell?year=2024").body);
    double expected = 0;
    int withheld = 0;
    for (std::size_t d = 0; d < 53; ++d) {
        if (foreigners["values"][d]["suppressed"].get<bool>()) {
            ++withheld;
            EXPECT_FALSE(by_district.contains(residents["values"][d]["district_id"].get<int>()));
            continue;
        }
        const double total = residents["values"][d]["value"].get<double>();
        expected += total;
        // Each cell belongs to one district; its cells sum to the district's total exactly.
        EXPECT_NEAR(by_district[residents["values"][d]["district_id"].get<int>()], total, 1e-6);
    }
    EXPECT_GT(withheld, 0);
    EXPECT_NEAR(population, expected, 1e-6);
    GDALDatasetUniquePtr districts(GDALDataset::Open(
        server_->url("/ogc/collections/districts/items").c_str(), GDAL_OF_VECTOR));
    ASSERT_TRUE(districts);
    int classified = 0;
    for (auto& f : *districts->GetLayer(0)) {
        classified += !std::string(f->GetFieldAsString("bildung_gap_class")).empty();
        EXPECT_EQ(f->GetFieldAsInteger("coverage_year"), 2024);
    }
    // Classed: every district of 300 residents or more whose target group is published.
    const auto coverage =
        nlohmann::json::parse(test::http_get(server_->port(), "/api/coverage/bildung").body);
    int expected_classified = 0;
    for (const auto& d : coverage["districts"])
        expected_classified +=
            d["population"].get<double>() >= 300 && !d.contains("target_group_suppressed");
    EXPECT_EQ(classified, expected_classified);
    EXPECT_GE(expected_classified, 53 - 6 - 2);  // six districts have fewer than 300 residents
}

GDALDatasetUniquePtr open_oapif(const std::string& landing, const char* page_size) {
    GDALAllRegister();
    const std::string option = std::string("PAGE_SIZE=") + page_size;
    const char* options[] = {option.c_str(), nullptr};
    return GDALDatasetUniquePtr(
        GDALDataset::Open(("OAPIF:" + landing).c_str(), GDAL_OF_VECTOR, nullptr, options, nullptr));
}

TEST_F(ErfurtServer, GdalOgcApiClientReadsEveryCollectionAcrossPages) {
    // A page size of 7 makes GDAL follow eight next links for the 53 districts.
    const auto ds = open_oapif(server_->url("/ogc"), "7");
    ASSERT_TRUE(ds) << CPLGetLastErrorMsg();
    ASSERT_EQ(ds->GetLayerCount(), 6);  // + actors, offers, cooperations
    OGRLayer* districts = ds->GetLayerByName("districts");
    std::set<std::int64_t> ids;
    std::set<std::string> names;
    for (auto& f : *districts) {
        ids.insert(f->GetFieldAsInteger64("id"));
        names.insert(f->GetFieldAsString("name"));
        EXPECT_GT(f->GetFieldAsInteger("einwohner_modell"), 0);
    }
    EXPECT_EQ(ids.size(), 53u);
    EXPECT_EQ(*ids.rbegin(), 53);
    EXPECT_TRUE(
        names.contains("L\xC3\xB6"
                       "bervorstadt"));
    OGRLayer* services = ds->GetLayerByName("services");
    std::size_t count = 0, bildung = 0;
    for (auto& f : *services) {
        if (std::string(f->GetFieldAsString("source")) != "OpenStreetMap") continue;
        ++count;
        bildung += std::string(f->GetFieldAsString("field")).find("bildung") != std::string::npos;
    }
    EXPECT_EQ(count, 311u);
    EXPECT_EQ(bildung, 193u);  // as `atlas check` counts
}

TEST_F(ErfurtServer, GdalTypesFieldsFromTheSchemaEvenWhereTheNewestYearIsAllNull) {
    // In 2024 the official counts and every Zensus 2011 column are null in all 53 districts;
    // guessed from the first page they were String and `einwohner > 10000` matched nothing.
    const auto ds = open_oapif(server_->url("/ogc"), "10");
    ASSERT_TRUE(ds) << CPLGetLastErrorMsg();
    const auto type_of = [&](const char* layer, const char* field) {
        OGRFeatureDefn* defn = ds->GetLayerByName(layer)->GetLayerDefn();
        const int i = defn->GetFieldIndex(field);
        return i < 0
                   ? std::string("missing")
                   : std::string(OGRFieldDefn::GetFieldTypeName(defn->GetFieldDefn(i)->GetType()));
    };
    EXPECT_EQ(type_of("districts", "einwohner"), "Integer");
    EXPECT_EQ(type_of("districts", "einwohner_zensus2011"), "Integer");
    EXPECT_EQ(type_of("districts", "auslaender_anteil"), "Real");
    EXPECT_EQ(type_of("districts", "auslaender_anteil_zensus2011"), "Real");
    EXPECT_EQ(type_of("districts", "arbeit_distance_m"), "Real");
    EXPECT_EQ(type_of("districts", "name"), "String");
    EXPECT_EQ(type_of("grid", "dist_arbeit"), "Real");
    EXPECT_EQ(type_of("offers", "at_risk"), "Integer");
    // The schema keeps the server's order: id, name, key, year first.
    OGRFeatureDefn* districts = ds->GetLayerByName("districts")->GetLayerDefn();
    ASSERT_GT(districts->GetFieldCount(), 4);
    EXPECT_STREQ(districts->GetFieldDefn(0)->GetNameRef(), "id");
    EXPECT_STREQ(districts->GetFieldDefn(1)->GetNameRef(), "name");
    EXPECT_STREQ(districts->GetFieldDefn(3)->GetNameRef(), "year");
    // A typed filter now works on a year where the field has values.
    const auto y2022 = open_oapif(server_->url("/ogc/collections/districts?datetime=2022"), "100");
    ASSERT_TRUE(y2022) << CPLGetLastErrorMsg();
    OGRLayer* layer = y2022->GetLayer(0);
    layer->SetAttributeFilter("einwohner > 10000");
    int large = 0;
    for (auto& f : *layer) {
        EXPECT_GT(f->GetFieldAsInteger("einwohner"), 10000);
        ++large;
    }
    EXPECT_GT(large, 0);
    EXPECT_LT(large, 53);
}

TEST_F(ErfurtServer, Epsg25832CoordinatesMatchProjToOneCentimetre) {
    const auto lonlat =
        json::parse(test::http_get(server_->port(), "/ogc/collections/districts/items/7").body);
    const auto utm = test::http_get(
        server_->port(),
        "/ogc/collections/districts/items/7?crs=http://www.opengis.net/def/crs/EPSG/0/25832");
    ASSERT_EQ(utm.status, 200);
    EXPECT_EQ(utm.headers.at("content-crs"), "<http://www.opengis.net/def/crs/EPSG/0/25832>");
    const auto utm_json = json::parse(utm.body);
    // PROJ directly, not the atlas's Transformer: EPSG:4326 in its official lat/lon order.
    PJ_CONTEXT* ctx = proj_context_create();
    PJ* pj = proj_create_crs_to_crs(ctx, "EPSG:4326", "EPSG:25832", nullptr);
    ASSERT_NE(pj, nullptr);
    const auto& ring_ll = lonlat["geometry"]["coordinates"][0];
    const auto& ring_utm = utm_json["geometry"]["coordinates"][0];
    ASSERT_EQ(ring_ll.size(), ring_utm.size());
    for (std::size_t i = 0; i < ring_ll.size(); ++i) {
        const PJ_COORD out = proj_trans(
            pj, PJ_FWD, proj_coord(ring_ll[i][1].get<double>(), ring_ll[i][0].get<double>(), 0, 0));
        EXPECT_NEAR(ring_utm[i][0].get<double>(), out.enu.e, 0.01);
        EXPECT_NEAR(ring_utm[i][1].get<double>(), out.enu.n, 0.01);
    }
    proj_destroy(pj);
    proj_context_destroy(ctx);
}

TEST_F(ErfurtServer, BboxReturnsExactlyTheIntersectingDistricts) {
    const std::string box = "11.00,50.96,11.04,50.99";
    const auto r = json::parse(
        test::http_get(server_->port(), "/ogc/collections/districts/items?limit=100&bbox=" + box)
            .body);
    std::set<std::int64_t> served;
    for (const auto& f : r["features"]) served.insert(f["id"].get<std::int64_t>());
    // OGR's own spatial filter (envelope, then GEOS intersects) over the full layer.
    GDALAllRegister();
    GDALDatasetUniquePtr all(GDALDataset::Open(
        server_->url("/ogc/collections/districts/items?limit=100").c_str(), GDAL_OF_VECTOR));
    ASSERT_TRUE(all);
    OGRLayer* layer = all->GetLayer(0);
    layer->SetSpatialFilterRect(11.00, 50.96, 11.04, 50.99);
    std::set<std::int64_t> expected;
    for (auto& f : *layer) expected.insert(f->GetFieldAsInteger64("id"));
    EXPECT_EQ(served, expected);
    EXPECT_GE(served.size(), 4u);
    EXPECT_LT(served.size(), 53u);
    EXPECT_EQ(r["numberMatched"], static_cast<int>(expected.size()));
}

// name{label="value",...} number — the exposition format's sample line (std::regex is avoided:
// GCC 12 warns falsely inside it under -O1).
bool is_prometheus_sample(const std::string& line) {
    std::size_t i = 0;
    const auto name_char = [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; };
    while (i < line.size() && name_char(line[i])) ++i;
    if (i == 0) return false;
    if (i < line.size() && line[i] == '{') {
        do {
            ++i;
            const std::size_t start = i;
            while (i < line.size() && name_char(line[i])) ++i;
            if (i == start || line.compare(i, 2, "=\"") != 0) return false;
            i = line.find('"', i + 2);
            if (i == std::string::npos) return false;
            ++i;
        } while (i < line.size() && line[i] == ',');
        if (i >= line.size() || line[i] != '}') return false;
        ++i;
    }
    if (i >= line.size() || line[i] != ' ') return false;
    const std::string value = line.substr(i + 1);
    char* end = nullptr;
    std::strtod(value.c_str(), &end);
    return !value.empty() && end == value.c_str() + value.size();
}

TEST_F(ErfurtServer, MetricsCountRequestsInPrometheusFormat) {
    const auto count_of = [](const std::string& text, const std::string& series) {
        const auto at = text.find(series + " ");
        return at == std::string::npos ? -1L : std::stol(text.substr(at + series.size() + 1));
    };
    const std::string health = "atlas_http_requests_total{route=\"/health\",code=\"200\"}";
    const std::string missing =
        "atlas_http_requests_total{route=\"/api/indicators/:id\",code=\"404\"}";
    const auto before = test::http_get(server_->port(), "/metrics").body;
    test::http_get(server_->port(), "/health");
    test::http_get(server_->port(), "/health");
    test::http_get(server_->port(), "/api/indicators/gibt_es_nicht");
    const auto r = test::http_get(server_->port(), "/metrics");
    EXPECT_EQ(r.headers.at("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    EXPECT_EQ(count_of(r.body, health), std::max(0L, count_of(before, health)) + 2);
    EXPECT_EQ(count_of(r.body, missing), std::max(0L, count_of(before, missing)) + 1);
    // Every sample line has the exposition syntax; histogram buckets add up to the count.
    std::istringstream lines(r.body);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) continue;
        EXPECT_TRUE(is_prometheus_sample(line)) << line;
    }
    const std::string route = "{route=\"/health\"";
    EXPECT_EQ(
        count_of(r.body, "atlas_http_request_duration_seconds_bucket" + route + ",le=\"+Inf\"}"),
        count_of(r.body, "atlas_http_request_duration_seconds_count" + route + "}"));
    EXPECT_NE(r.body.find("atlas_tile_cache_limit_bytes "), std::string::npos);
    EXPECT_NE(r.body.find("atlas_data_info{dataset=\"erfurt\""), std::string::npos);
}

TEST(AtlasCommand, CheckReportsTheErfurtDataset) {
    const auto r = test::run_atlas({"check"});
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("districts    53"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("repaired     2"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Marbach"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("result: usable"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("styles       14"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("services     311 in 1 layer(s)"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("inventory    59 actors, 129 offers (96 fictional examples, 27 not "
                         "placed yet), 40 cooperations"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("  wohnen: 0 + "), std::string::npos) << r.out;
}

TEST(AtlasCommand, BrokenConfigStopsServeWithAClearMessage) {
    test::TempDir dir;
    const auto config = dir.write("atlas.toml", "[dataset]\nid = \"x\"\ntitle_de = \n");
    const auto r = test::run_atlas({"serve", "--port", "0", "--config", config});
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.out.find(config + ":3"), std::string::npos) << r.out;
}

// The Erfurt config with every data path made absolute (so it can live in a temp folder),
// except those in `keep_relative`.
TEST(AtlasCommand, LinksFollowTheReverseProxyWhenTrusted) {
    test::TempDir dir;
    const auto path = dir.write(
        "atlas.toml", test::erfurt_config_with_absolute_paths() +
                          "\n[server]\ntrust_forwarded_headers = true\ncors_origin = \"\"\n");
    test::AtlasServer server({"--config", path});
    test::HttpConnection connection(server.port());
    const auto r =
        connection.get("/ogc",
                       "X-Forwarded-Proto: https\r\nX-Forwarded-Host: atlas.example.org\r\n"
                       "X-Forwarded-Prefix: /stadtteile/\r\n");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(json::parse(r.body)["links"][0]["href"], "https://atlas.example.org/stadtteile/ogc");
    EXPECT_FALSE(r.headers.contains("access-control-allow-origin"));  // CORS switched off
    // Without a proxy the links use the Host header.
    const auto direct = json::parse(connection.get("/ogc").body);
    EXPECT_EQ(direct["links"][0]["href"], "http://127.0.0.1/ogc");
}

TEST_F(ErfurtServer, TileServedTwiceIsIdenticalThen304) {
    test::HttpConnection connection(server_->port());
    const std::string path = "/tiles/districts/12/2173/1373.mvt";
    const auto first = connection.get(path);
    const auto second = connection.get(path);
    ASSERT_EQ(first.status, 200);
    EXPECT_EQ(first.headers.at("content-type"), "application/vnd.mapbox-vector-tile");
    EXPECT_GT(first.body.size(), 100u);
    EXPECT_EQ(first.body, second.body);
    const std::string etag = first.headers.at("etag");
    EXPECT_EQ(second.headers.at("etag"), etag);
    const auto again = connection.get(path, "If-None-Match: " + etag + "\r\n");
    EXPECT_EQ(again.status, 304);
    EXPECT_TRUE(again.body.empty());
    const auto zipped = connection.get(path, "Accept-Encoding: gzip\r\n");
    EXPECT_EQ(zipped.headers.at("content-encoding"), "gzip");
    EXPECT_EQ(zipped.body.substr(0, 2), "\x1f\x8b");
    const auto bad = connection.get("/tiles/districts/23/0/0.mvt");
    EXPECT_EQ(bad.status, 404);
    EXPECT_EQ(json::parse(bad.body)["status"], 404);
}

TEST_F(ErfurtServer, StartPageIsGermanAndNamesTheSources) {
    const auto r = test::http_get(server_->port(), "/");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.headers.at("content-type"), "text/html; charset=utf-8");
    EXPECT_NE(r.body.find("<html lang=\"de\">"), std::string::npos);
    EXPECT_NE(r.body.find("53 Stadtteile"), std::string::npos);
    EXPECT_NE(r.body.find("OpenStreetMap"), std::string::npos);
    EXPECT_EQ(r.headers.at("access-control-allow-origin"), "*");
}

TEST(AtlasCommand, BrokenDataFileStopsServeAndFailsCheck) {
    test::TempDir dir;
    // Every path at the shipped files, except one table that is broken.
    const std::string config = test::erfurt_config_with_absolute_paths({"einwohner_amtlich.csv"});
    dir.write("einwohner_amtlich.csv",
              "stadtteil,jahr,einwohner\nAlach,2020,990\nAltstadt,2016,neunzehn\n");
    const auto path = dir.write("atlas.toml", config);
    const auto served = test::run_atlas({"serve", "--port", "0", "--config", path});
    EXPECT_EQ(served.exit_code, 1) << served.out;
    EXPECT_NE(served.out.find("einwohner_amtlich.csv:3: field 'einwohner'"), std::string::npos)
        << served.out;
    const auto checked = test::run_atlas({"check", "--config", path});
    EXPECT_EQ(checked.exit_code, 1) << checked.out;
    EXPECT_NE(checked.out.find("'neunzehn' is not a number"), std::string::npos) << checked.out;
}

TEST(AtlasCommand, CoverageTableForOneFieldOrAll) {
    const auto one = test::run_atlas({"coverage", "--field", "bildung", "--format", "csv"});
    EXPECT_EQ(one.exit_code, 0) << one.out;
    EXPECT_EQ(std::count(one.out.begin(), one.out.end(), '\n'), 54);
    const auto all = test::run_atlas({"coverage", "--format", "json"});
    EXPECT_EQ(all.exit_code, 0);
    EXPECT_EQ(json::parse(all.out).size(), 9u);  // the nine Handlungsfelder
    EXPECT_EQ(test::run_atlas({"coverage", "--field", "zoo"}).exit_code, 2);
}

TEST(AtlasCommand, TilesExportToMbtilesThatGdalOpens) {
    test::TempDir dir;
    const std::string out = (dir.path() / "districts.mbtiles").string();
    const auto r = test::run_atlas(
        {"tiles", "--layer", "districts", "--minzoom", "10", "--maxzoom", "12", "-o", out});
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_EQ(r.out.find('\r'), std::string::npos);  // no progress bar when not on a terminal
    GDALAllRegister();
    GDALDatasetUniquePtr mbtiles(GDALDataset::Open(out.c_str(), GDAL_OF_VECTOR));
    ASSERT_TRUE(mbtiles) << CPLGetLastErrorMsg();
    OGRLayer* layer = mbtiles->GetLayerByName("districts");
    ASSERT_NE(layer, nullptr);
    std::set<std::string> names;
    for (auto& f : *layer) names.insert(f->GetFieldAsString("name"));
    EXPECT_EQ(names.size(), 53u);  // at z 12 every district appears in some tile
    EXPECT_STREQ(mbtiles->GetMetadataItem("ZOOM_LEVEL"), "12");
    // An existing file is never overwritten.
    EXPECT_EQ(test::run_atlas({"tiles", "--layer", "districts", "-o", out}).exit_code, 1);
    EXPECT_EQ(test::run_atlas({"tiles", "--layer", "rivers", "-o", out + "2"}).exit_code, 2);
}

TEST(AtlasCommand, UsageErrorsExitWithTwo) {
    EXPECT_EQ(test::run_atlas({"serve", "--port", "seventy"}).exit_code, 2);
    EXPECT_EQ(test::run_atlas({"frobnicate"}).exit_code, 2);
    EXPECT_EQ(test::run_atlas({"check", "--colour", "red"}).exit_code, 2);
}

// ---------------------------------------------------------------- data updates over HTTP

constexpr const char* kToken = "statistik-test-token-0123456789";

// A temp copy of the Erfurt config that accepts updates with kToken and keeps its store there.
struct UpdatableErfurt : test::EditableErfurt {
    UpdatableErfurt() : EditableErfurt("statistik", "ATLAS_TEST_UPDATE_TOKEN", kToken) {}
};

const std::string kTable = "modell_indikatoren";

std::string original_table() {
    return test::read_file(test::source_path("shapes/erfurt/modell_indikatoren.csv"));
}

// The modelled table with Altstadt's 2024 residents set to `residents`.
std::string table_with_altstadt(int residents) {
    std::string csv = original_table();
    const auto row = csv.find("\nAltstadt;2024;");
    const auto start = row + std::string("\nAltstadt;2024;").size();
    csv.replace(start, csv.find(';', start) - start, std::to_string(residents));
    return csv;
}

json altstadt_2024(int port) {
    const json doc =
        json::parse(test::http_get(port, "/api/indicators/einwohner_modell?year=2024").body);
    for (const auto& v : doc["values"])
        if (v["district"] == "Altstadt") return v["value"];
    return nullptr;
}

std::string bearer(const std::string& token) {
    return "Authorization: Bearer " + token + "\r\n";
}

TEST(DataUpdates, TokenValidationSwapHistoryAndRollback) {
    UpdatableErfurt erfurt;
    test::AtlasServer server({"--config", erfurt.config});
    const json before = altstadt_2024(server.port());
    test::HttpConnection c(server.port());
    const std::string path = "/api/datasets/" + kTable;

    auto r = c.request("PUT", path, "", table_with_altstadt(20000));
    EXPECT_EQ(r.status, 401) << r.body;
    EXPECT_EQ(r.headers["www-authenticate"], "Bearer realm=\"atlas\"");
    r = c.request("PUT", path, bearer("wrong-token-wrong-token"), table_with_altstadt(20000));
    EXPECT_EQ(r.status, 403) << r.body;
    EXPECT_EQ(json::parse(r.body)["status"], 403);
    EXPECT_EQ(c.request("PUT", "/api/datasets/gibt_es_nicht", bearer(kToken), "x").status, 404);

    // Invalid uploads: each is named by line and field, and changes nothing.
    std::string unknown_key = original_table() + "Atlantis;2024;5;1;1;0;1;0;0;0;1;0;modelliert\n";
    std::string not_a_number = original_table();
    {  // the first row's residents (third field)
        const auto row = not_a_number.find('\n') + 1;
        const auto residents = not_a_number.find(';', not_a_number.find(';', row) + 1) + 1;
        not_a_number.replace(residents, not_a_number.find(';', residents) - residents, "viele");
    }
    std::string utf16 = "\xFF\xFE";
    for (const char ch : original_table().substr(0, 200)) utf16 += std::string{ch, '\0'};
    const std::string original = original_table();
    const auto lines = std::count(original.begin(), original.end(), '\n');
    for (const auto& [body, expected] :
         {std::pair{unknown_key, "(upload):" + std::to_string(lines + 1) + ": field 'stadtteil'"},
          std::pair{not_a_number, std::string("(upload):2: field 'einwohner'")},
          std::pair{utf16, std::string("not text in UTF-8")}}) {
        r = c.request("PUT", path, bearer(kToken), body);
        EXPECT_EQ(r.status, 422) << r.body;
        EXPECT_NE(json::parse(r.body)["error"].get<std::string>().find(expected), std::string::npos)
            << r.body;
    }
    EXPECT_EQ(altstadt_2024(server.port()), before);
    EXPECT_EQ(json::parse(c.request("GET", path + "/versions", bearer(kToken), "").body)["versions"]
                  .size(),
              0u);

    // A valid upload: readers meanwhile see the old or the new table, never a mix.
    const std::string etag_before =
        test::http_get(server.port(), "/tiles/districts/12/2170/1387.mvt").headers["etag"];
    const json alach_before =
        json::parse(test::http_get(server.port(), "/api/indicators/einwohner_modell?year=2024")
                        .body)["values"][0]["value"];
    std::atomic<bool> done = false;
    std::atomic<int> old_seen = 0, new_seen = 0, mixed = 0;
    std::thread reader([&] {
        test::HttpConnection rc(server.port());
        while (!done) {
            const auto values =
                json::parse(rc.get("/api/indicators/einwohner_modell?year=2024").body)["values"];
            const json altstadt = values[1]["value"], alach = values[0]["value"];
            if (altstadt == before && alach == alach_before) {
                ++old_seen;
            } else if (altstadt == 20000 && alach == alach_before) {
                ++new_seen;
            } else {
                ++mixed;
            }
        }
    });
    r = c.request("PUT", path, bearer(kToken), table_with_altstadt(20000));
    done = true;
    reader.join();
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json::parse(r.body)["version"], 1);
    EXPECT_EQ(altstadt_2024(server.port()), 20000);
    EXPECT_GT(old_seen + new_seen, 0);
    EXPECT_EQ(mixed, 0);
    EXPECT_NE(test::http_get(server.port(), "/tiles/districts/12/2170/1387.mvt").headers["etag"],
              etag_before);  // the tiles carry the data version

    ASSERT_EQ(c.request("PUT", path, bearer(kToken), table_with_altstadt(21000)).status, 200);
    r = c.request("POST", path + "/rollback?version=1", bearer(kToken), "");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json::parse(r.body)["version"], 3);
    EXPECT_EQ(altstadt_2024(server.port()), 20000);
    const json history =
        json::parse(c.request("GET", path + "/versions", bearer(kToken), "").body)["versions"];
    ASSERT_EQ(history.size(), 3u);
    EXPECT_EQ(history[0]["who"], "statistik");
    EXPECT_EQ(history[2]["action"], "rollback to 1");
    EXPECT_EQ(c.request("GET", path + "/versions", "", "").status, 401);

    // A service layer is replaced the same way, as GeoJSON; a feature without a point is refused.
    const std::string one_service =
        R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":)"
        R"({"name":"Sprachcafé","category":"buechereien","source":"Test"},)"
        R"("geometry":{"type":"Point","coordinates":[11.0291,50.9787]}}]})";
    // 311 points becoming one is refused unless confirmed; so is a point in no district.
    r = c.request("PUT", "/api/datasets/osm", bearer(kToken), one_service);
    EXPECT_EQ(r.status, 409) << r.body;
    EXPECT_NE(r.body.find("replaces 311 points of 'osm' with 1"), std::string::npos) << r.body;
    EXPECT_EQ(json::parse(test::http_get(server.port(), "/health").body)["services"], 311);
    std::string at_sea = one_service;
    at_sea.replace(at_sea.find("11.0291,50.9787"), 15, "0.0,0.0");
    r = c.request("PUT", "/api/datasets/osm?replace=all", bearer(kToken), at_sea);
    ASSERT_EQ(r.status, 200) << r.body;  // confirmed: the uploader knows
    r = c.request("PUT", "/api/datasets/osm", bearer(kToken), at_sea);
    EXPECT_EQ(r.status, 409) << r.body;
    EXPECT_NE(r.body.find("1 of them outside every district"), std::string::npos) << r.body;
    r = c.request("PUT", "/api/datasets/osm?replace=all", bearer(kToken), one_service);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json::parse(test::http_get(server.port(), "/health").body)["services"], 1);
    r = c.request("PUT", "/api/datasets/osm", bearer(kToken), "{\"type\": \"Feature");
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(json::parse(test::http_get(server.port(), "/health").body)["services"], 1);

    // The store survives a restart: the newest version is what is served.
    server.stop();
    test::AtlasServer again({"--config", erfurt.config});
    EXPECT_EQ(altstadt_2024(again.port()), 20000);
}

// Hostile or broken uploads are refused in linear time with a bounded answer.
TEST(DataUpdates, HugeErrorListsAreCappedAndImplausibleYearsRefused) {
    UpdatableErfurt erfurt;
    test::AtlasServer server({"--config", erfurt.config});
    test::HttpConnection c(server.port());
    const std::string path = "/api/datasets/" + kTable;
    std::string csv = original_table();
    const std::string header = csv.substr(0, csv.find('\n') + 1);
    const std::string first_row =
        csv.substr(header.size(), csv.find('\n', header.size()) - header.size() + 1);
    std::string unknown = csv;
    for (int i = 0; i < 5000; ++i)
        unknown += "Nirgendwo" + std::to_string(i) + first_row.substr(first_row.find(';'));
    const auto many = c.request("PUT", path, bearer(kToken), unknown);
    EXPECT_EQ(many.status, 422);
    EXPECT_NE(many.body.find("first 100 of 5000 problems"), std::string::npos)
        << many.body.substr(0, 300);
    EXPECT_LT(many.body.size(), 20000u);
    // One row in the year 9999 would open 8,000 years of columns.
    std::string far =
        csv + "Altstadt;9999" + first_row.substr(first_row.find(';', first_row.find(';') + 1));
    const auto future = c.request("PUT", path, bearer(kToken), far);
    EXPECT_EQ(future.status, 422);
    EXPECT_NE(future.body.find("year 9999 lies outside 1900"), std::string::npos) << future.body;
    EXPECT_NE(future.body.find("jahr"), std::string::npos) << future.body;  // the field is named
    EXPECT_EQ(json::parse(test::http_get(server.port(), "/health").body)["default_year"], 2024);
}

// A correction of an old year is a new data version too (ETags and caches follow it).
TEST(DataUpdates, ChangingAnOlderYearChangesTheDataVersion) {
    UpdatableErfurt erfurt;
    test::AtlasServer server({"--config", erfurt.config});
    test::HttpConnection c(server.port());
    const auto version = [&] {
        return json::parse(test::http_get(server.port(), "/health").body)["data_version"]
            .get<std::string>();
    };
    const std::string before = version();
    std::string csv = original_table();
    const auto start = csv.find("\nAltstadt;2015;") + std::string("\nAltstadt;2015;").size();
    csv.replace(start, csv.find(';', start) - start, "19999");
    ASSERT_EQ(c.request("PUT", "/api/datasets/" + kTable, bearer(kToken), csv).status, 200);
    EXPECT_NE(version(), before);
    EXPECT_EQ(version().size(), 8u);
}

TEST(DataUpdates, StagingLeftoversAreRemovedAtStart) {
    UpdatableErfurt erfurt;
    const std::string config = test::read_file(erfurt.config);
    // The store sits next to the config unless configured: find its folder from a first run.
    {
        test::AtlasServer server({"--config", erfurt.config});
        test::HttpConnection c(server.port());
        ASSERT_EQ(
            c.request("PUT", "/api/datasets/" + kTable, bearer(kToken), table_with_altstadt(21000))
                .status,
            200);
    }
    std::filesystem::path staging;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(erfurt.dir.path()))
        if (entry.path().filename() == "staging") staging = entry.path();
    ASSERT_FALSE(staging.empty());
    { std::ofstream(staging / "modell_indikatoren-7.csv") << "half an upload"; }
    test::AtlasServer server({"--config", erfurt.config});
    EXPECT_FALSE(std::filesystem::exists(staging / "modell_indikatoren-7.csv"));
    EXPECT_EQ(altstadt_2024(server.port()), 21000);
}

TEST(DataUpdates, ReadsNeedTheTokenWhenTheConfigSaysSo) {
    setenv("ATLAS_TEST_UPDATE_TOKEN", kToken, 1);
    test::TempDir dir;
    const auto config =
        dir.write("atlas.toml", test::erfurt_config_with_absolute_paths() +
                                    "\n[server]\npublic_read = false\n[[server.update_tokens]]\n"
                                    "name = \"statistik\"\nenv = \"ATLAS_TEST_UPDATE_TOKEN\"\n");
    setenv("ATLAS_TEST_READ_TOKEN", "a-reader-only-token-0123", 1);
    test::AtlasServer server(
        {"--config",
         dir.write(
             "with-reader.toml",
             test::read_file(config) +
                 "[[server.read_tokens]]\nname = \"portal\"\nenv = \"ATLAS_TEST_READ_TOKEN\"\n")});
    test::HttpConnection c(server.port());
    EXPECT_EQ(c.get("/api/indicators").status, 401);
    EXPECT_EQ(c.get("/api/indicators", bearer("not-the-token-at-all")).status, 403);
    EXPECT_EQ(c.get("/api/indicators", bearer(kToken)).status, 200);
    // A read token reads, and is refused every change.
    const std::string reader = bearer("a-reader-only-token-0123");
    EXPECT_EQ(c.get("/api/indicators", reader).status, 200);
    const auto refused = c.request("PUT", "/api/datasets/" + kTable, reader, "a,b\n");
    EXPECT_EQ(refused.status, 403);
    EXPECT_NE(refused.body.find("may read, not change"), std::string::npos) << refused.body;
    // Metrics follow public_read: not public here.
    EXPECT_EQ(c.get("/metrics").status, 401);
    const auto metrics = c.get("/metrics", reader);
    ASSERT_EQ(metrics.status, 200);
    EXPECT_NE(metrics.body.find("code=\"403\""),
              std::string::npos);  // trusted readers see refusals
}

TEST(DataUpdates, PublicMetricsHideRefusedTokens) {
    setenv("ATLAS_TEST_UPDATE_TOKEN", kToken, 1);
    test::TempDir dir;
    const auto config =
        dir.write("atlas.toml", test::erfurt_config_with_absolute_paths() +
                                    "\n[server]\n[[server.update_tokens]]\n"
                                    "name = \"statistik\"\nenv = \"ATLAS_TEST_UPDATE_TOKEN\"\n");
    test::AtlasServer server({"--config", config});
    test::HttpConnection c(server.port());
    EXPECT_EQ(
        c.request("PUT", "/api/datasets/" + kTable, bearer("wrong-wrong-wrong-wrong"), "x").status,
        403);
    const auto open = c.get("/metrics");
    ASSERT_EQ(open.status, 200);
    EXPECT_EQ(open.body.find("code=\"403\""), std::string::npos) << open.body.substr(0, 800);
    EXPECT_NE(open.body.find("atlas_http_requests_total"), std::string::npos);
    EXPECT_NE(c.get("/metrics", bearer(kToken)).body.find("code=\"403\""), std::string::npos);
}

TEST(DataUpdates, KilledDuringAnUploadLeavesThePreviousData) {
    UpdatableErfurt erfurt;
    const std::string path = "/api/datasets/" + kTable;
    json before;
    {
        test::AtlasServer server({"--config", erfurt.config});
        before = altstadt_2024(server.port());
        // Half the body, then the process dies.
        test::HttpConnection c(server.port());
        const std::string body = table_with_altstadt(30000);
        c.send_raw("PUT " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + bearer(kToken) +
                   "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
                   body.substr(0, body.size() / 2));
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        server.kill_now();
    }
    {
        // The whole body, killed while it is validated and the new data prepared.
        test::AtlasServer server({"--config", erfurt.config});
        EXPECT_EQ(altstadt_2024(server.port()), before);
        test::HttpConnection c(server.port());
        c.send_raw("PUT " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + bearer(kToken) +
                   "Content-Length: " + std::to_string(table_with_altstadt(30000).size()) +
                   "\r\n\r\n" + table_with_altstadt(30000));
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        server.kill_now();
    }
    test::AtlasServer server({"--config", erfurt.config});
    EXPECT_EQ(altstadt_2024(server.port()), before);
    test::HttpConnection c(server.port());
    const auto history = c.request("GET", path + "/versions", bearer(kToken), "");
    ASSERT_EQ(history.status, 200) << history.body;
    EXPECT_EQ(json::parse(history.body)["versions"].size(), 0u);
    // And the store still takes updates.
    EXPECT_EQ(c.request("PUT", path, bearer(kToken), table_with_altstadt(30000)).status, 200);
    EXPECT_EQ(altstadt_2024(server.port()), 30000);
}

}  // namespace
}  // namespace atlas
