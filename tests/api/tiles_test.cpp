// Vector tiles decoded by an independent reader (GDAL's MVT driver) and compared with the
// district polygons; the tile cache and HTTP caching behaviour.

#include "tiles.hpp"
#include "request_params.hpp"

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>
#include <zlib.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <map>

#include "erfurt_served.hpp"
#include "http_errors.hpp"
#include "support.hpp"

namespace atlas::api {
namespace {

using nlohmann::json;

const ServedData& erfurt() {
    return test::erfurt_served();
}

ApiRequest tile_request(const std::string& layer, int z, std::int64_t x, std::int64_t y) {
    ApiRequest r;
    r.params = {{"layer", layer},
                {"z", std::to_string(z)},
                {"x", std::to_string(x)},
                {"y", std::to_string(y) + ".mvt"}};
    r.base_url = "http://localhost";
    return r;
}

// Slippy-map tile of a lon/lat point.
TileId tile_of(double lon, double lat, int z) {
    const double n = std::pow(2.0, z);
    const double rad = lat * M_PI / 180;
    return {z, static_cast<std::int64_t>((lon + 180) / 360 * n),
            static_cast<std::int64_t>((1 - std::asinh(std::tan(rad)) / M_PI) / 2 * n)};
}

struct Decoded {
    std::map<std::int64_t, std::unique_ptr<OGRGeometry>> shapes;  // by feature id, EPSG:3857
    std::map<std::int64_t, std::string> names;
    std::map<std::int64_t, std::int64_t> residents;
    std::map<std::int64_t, std::string> suppressed;  // suppressed_indicators
    std::map<std::int64_t, bool> has_old_age_count;  // auslaender_65plus_modell is set
};

Decoded decode(const std::string& bytes, const TileId& t) {
    GDALAllRegister();
    test::TempDir dir;
    const auto path = dir.write("tile.mvt", bytes);
    const std::string x = "X=" + std::to_string(t.x), y = "Y=" + std::to_string(t.y),
                      z = "Z=" + std::to_string(t.z);
    const char* options[] = {x.c_str(), y.c_str(), z.c_str(), "METADATA_FILE=", nullptr};
    GDALDatasetUniquePtr ds(
        GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR, nullptr, options, nullptr));
    Decoded out;
    if (!ds) return out;
    OGRLayer* layer = ds->GetLayer(0);
    for (auto& f : *layer) {
        const std::int64_t id = f->GetFieldAsInteger64("mvt_id");
        out.shapes[id].reset(f->GetGeometryRef()->clone());
        out.names[id] = f->GetFieldAsString("name");
        if (f->GetFieldIndex("einwohner_modell") >= 0)
            out.residents[id] = f->GetFieldAsInteger64("einwohner_modell");
        if (f->GetFieldIndex("suppressed_indicators") >= 0)
            out.suppressed[id] = f->GetFieldAsString("suppressed_indicators");
        const int old = f->GetFieldIndex("auslaender_65plus_modell");
        out.has_old_age_count[id] = old >= 0 && f->IsFieldSetAndNotNull(old);
    }
    return out;
}

std::unique_ptr<OGRGeometry> district_3857(const District& d) {
    auto multi = std::make_unique<OGRMultiPolygon>();
    for (const auto& polygon : d.wgs84) {
        OGRPolygon p;
        for (const Ring* ring : std::vector<const Ring*>{&polygon.outer}) {
            OGRLinearRing r;
            for (const auto& pt : *ring) r.addPoint(pt.x, pt.y);
            p.addRing(&r);
        }
        for (const auto& hole : polygon.holes) {
            OGRLinearRing r;
            for (const auto& pt : hole) r.addPoint(pt.x, pt.y);
            p.addRing(&r);
        }
        multi->addGeometry(&p);
    }
    OGRSpatialReference wgs84, mercator;
    wgs84.SetWellKnownGeogCS("WGS84");
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    mercator.importFromEPSG(3857);
    std::unique_ptr<OGRCoordinateTransformation> ct(
        OGRCreateCoordinateTransformation(&wgs84, &mercator));
    multi->transform(ct.get());
    return multi;
}

std::unique_ptr<OGRGeometry> box_geometry(const Box& b) {
    OGRPolygon p;
    OGRLinearRing r;
    r.addPoint(b.min_x, b.min_y);
    r.addPoint(b.max_x, b.min_y);
    r.addPoint(b.max_x, b.max_y);
    r.addPoint(b.min_x, b.max_y);
    r.addPoint(b.min_x, b.min_y);
    p.addRing(&r);
    return std::unique_ptr<OGRGeometry>(p.clone());
}

double area(const OGRGeometry* g) {
    return g ? OGR_G_Area(OGRGeometry::ToHandle(const_cast<OGRGeometry*>(g))) : 0;
}

TEST(VectorTiles, DecodedDistrictsMatchThePolygonsWithinOnePixel) {
    const ServedData& data = erfurt();
    const TileId t = tile_of(11.03, 50.975, 13);  // Erfurt's centre
    const std::string bytes = tile(data, tile_request("districts", t.z, t.x, t.y)).body;
    const Decoded decoded = decode(bytes, t);
    const Box square = tile_bounds_3857(t);
    const double pixel = (square.max_x - square.min_x) / 4096;
    const auto tile_box = box_geometry(square);
    std::size_t expected = 0;
    for (const auto& d : data.dataset.districts) {
        const auto shape = district_3857(d);
        std::unique_ptr<OGRGeometry> in_tile(shape->Intersection(tile_box.get()));
        if (!in_tile || area(in_tile.get()) < pixel * pixel * 4) continue;
        ++expected;
        ASSERT_TRUE(decoded.shapes.contains(d.id)) << d.name;
        EXPECT_EQ(decoded.names.at(d.id), d.name);
        std::unique_ptr<OGRGeometry> got(decoded.shapes.at(d.id)->Intersection(tile_box.get()));
        // Within one pixel: the areas differ by at most the outline times one pixel.
        std::unique_ptr<OGRGeometry> outline(in_tile->Boundary());
        const double tolerance = OGR_G_Length(OGRGeometry::ToHandle(outline.get())) * pixel;
        EXPECT_NEAR(area(got.get()), area(in_tile.get()), tolerance) << d.name;
        std::unique_ptr<OGRGeometry> missing(in_tile->Difference(got.get()));
        EXPECT_LE(area(missing.get()), tolerance) << d.name;
    }
    EXPECT_GE(expected, 5u);
    EXPECT_GE(decoded.shapes.size(), expected);  // plus districts that only touch the buffer
    // Attributes of the default year travel in the tile.
    const auto& berliner = data.dataset.districts;
    for (const auto& d : berliner) {
        if (decoded.residents.contains(d.id)) {
            std::size_t index = static_cast<std::size_t>(d.id - 1);
            EXPECT_EQ(
                decoded.residents.at(d.id),
                *data.dataset.indicator("einwohner_modell")->by_year.at(data.default_year)[index]);
        }
    }
}

TEST(VectorTiles, SuppressedValuesAreLeftOutAndFlagged) {
    const ServedData& data = erfurt();
    const TileId t = tile_of(11.03, 50.98, 9);  // the whole city
    const Decoded decoded = decode(tile(data, tile_request("districts", t.z, t.x, t.y)).body, t);
    const IndicatorSeries* old = data.dataset.indicator("auslaender_65plus_modell");
    std::size_t secret = 0;
    for (std::size_t d = 0; d < data.dataset.districts.size(); ++d) {
        const auto id = data.dataset.districts[d].id;
        ASSERT_TRUE(decoded.shapes.contains(id));
        const bool suppressed = old->suppressed(data.default_year, d);
        EXPECT_EQ(decoded.has_old_age_count.at(id), !suppressed);
        EXPECT_EQ(decoded.suppressed.at(id).find("auslaender_65plus_modell") != std::string::npos,
                  suppressed);
        secret += suppressed;
    }
    EXPECT_GT(secret, 5u);
}

TEST(VectorTiles, NoGapsBetweenNeighboursFromZoom10To16) {
    const ServedData& data = erfurt();
    std::unique_ptr<OGRGeometry> city;
    for (const auto& d : data.dataset.districts) {
        std::unique_ptr<OGRGeometry> shape(district_3857(d)->MakeValid());
        city.reset(city ? city->Union(shape.get()) : shape.release());
        ASSERT_TRUE(city) << d.name;
    }
    city.reset(city->MakeValid());
    // At every zoom the 2 x 2 block of tiles at the city centre: interior edges and tile edges.
    std::vector<TileId> tiles;
    for (int z = 10; z <= 16; ++z) {
        const TileId c = tile_of(11.03, 50.975, z);
        for (int dx = 0; dx < 2; ++dx) {
            for (int dy = 0; dy < 2; ++dy) tiles.push_back({z, c.x + dx, c.y + dy});
        }
    }
    std::size_t checked = 0;
    for (const TileId& t : tiles) {
        const int z = t.z;
        const Box square = tile_bounds_3857(t);
        const double pixel = (square.max_x - square.min_x) / 4096;
        const auto tile_box = box_geometry(square);
        std::unique_ptr<OGRGeometry> wanted(city->Intersection(tile_box.get()));
        ASSERT_TRUE(wanted) << z;
        if (area(wanted.get()) == 0) continue;  // the 2 x 2 block reaches past the city at z 10
        ++checked;
        const Decoded decoded = decode(tile(data, tile_request("districts", z, t.x, t.y)).body, t);
        ASSERT_FALSE(decoded.shapes.empty()) << z;
        std::unique_ptr<OGRGeometry> covered;
        for (const auto& [id, shape] : decoded.shapes) {
            // Quantisation can fold a ring onto itself at low zoom (renderers fill it anyway);
            // repair before the union so that the overlay works.
            std::unique_ptr<OGRGeometry> valid(shape->MakeValid());
            covered.reset(covered ? covered->Union(valid.get()) : valid.release());
            ASSERT_TRUE(covered) << "z" << z << ": union failed at district " << id;
        }
        ASSERT_TRUE(covered) << z;
        std::unique_ptr<OGRGeometry> gaps(wanted->Difference(covered.get()));
        ASSERT_TRUE(gaps) << "z" << z << ": the overlay failed";
        // Gaps between decoded neighbours would leave area uncovered; allow only the sliver
        // rounding at the city's outer boundary can explain (outer boundary in tile x pixel).
        std::unique_ptr<OGRGeometry> outline(wanted->Boundary());
        const double allowed = OGR_G_Length(OGRGeometry::ToHandle(outline.get())) * pixel;
        EXPECT_LE(area(gaps.get()), allowed) << "z" << z;
        EXPECT_LT(area(gaps.get()), area(wanted.get()) * 0.001) << "z" << z;
    }
    EXPECT_GE(checked, 25u);
}

TEST(VectorTiles, SameBytesTwiceEtagAnd304) {
    const ServedData& data = erfurt();
    ApiRequest r = tile_request("districts", 12, 2173, 1373);
    const ApiResponse first = tile(data, r);
    const ApiResponse second = tile(data, r);
    ASSERT_EQ(first.status, 200);
    EXPECT_FALSE(first.body.empty());
    EXPECT_EQ(first.body, second.body);
    std::string etag;
    for (const auto& [k, v] : first.headers) {
        if (k == "ETag") etag = v;
    }
    ASSERT_FALSE(etag.empty());
    r.if_none_match = etag;
    const ApiResponse not_modified = tile(data, r);
    EXPECT_EQ(not_modified.status, 304);
    EXPECT_TRUE(not_modified.body.empty());
    // gzip when asked, and it inflates back to the same tile.
    r.if_none_match.clear();
    r.accept_encoding = "gzip, deflate";
    const ApiResponse zipped = tile(data, r);
    std::string inflated(first.body.size(), '\0');
    z_stream s{};
    inflateInit2(&s, 15 + 16);
    s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zipped.body.data()));
    s.avail_in = static_cast<uInt>(zipped.body.size());
    s.next_out = reinterpret_cast<Bytef*>(inflated.data());
    s.avail_out = static_cast<uInt>(inflated.size());
    EXPECT_EQ(inflate(&s, Z_FINISH), Z_STREAM_END);
    inflateEnd(&s);
    EXPECT_EQ(inflated, first.body);
    // The gzip bytes have a tag of their own; the identity tag does not revalidate them.
    const auto etag_of = [](const ApiResponse& response) {
        for (const auto& [k, v] : response.headers)
            if (k == "ETag") return v;
        return std::string();
    };
    EXPECT_NE(etag_of(zipped), etag);
    r.if_none_match = etag;
    EXPECT_EQ(tile(data, r).status, 200);
    r.if_none_match = "\"other\", W/" + etag_of(zipped);
    EXPECT_EQ(tile(data, r).status, 304);
    // q=0 refuses gzip (it was sent anyway before); "*" admits it.
    r.if_none_match.clear();
    r.accept_encoding = "gzip;q=0, identity";
    EXPECT_EQ(tile(data, r).body, first.body);
    r.accept_encoding = "*;q=0.5";
    EXPECT_EQ(tile(data, r).body, zipped.body);
}

TEST(VectorTiles, APointOutsideEveryDistrictDoesNotStretchTheExtent) {
    Dataset ds = erfurt().dataset;
    Service lost;
    lost.name = "Tippfehler";
    lost.wgs84 = {0, 0};
    ds.services.push_back(lost);
    const FeatureLayer layer = services_layer(ds);
    EXPECT_EQ(layer.features.size(), ds.services.size());  // still served
    EXPECT_GT(layer.extent.min_x, 10.8);
    EXPECT_GT(layer.extent.min_y, 50.8);
    EXPECT_LT(layer.extent.max_x, 11.2);
}

TEST(HttpNegotiation, AcceptEncodingQValuesAndEtagLists) {
    EXPECT_TRUE(accepts_gzip("gzip"));
    EXPECT_TRUE(accepts_gzip("deflate, GZIP;q=0.3"));
    EXPECT_FALSE(accepts_gzip("gzip;q=0"));
    EXPECT_FALSE(accepts_gzip("gzip; q=0.000, *"));
    EXPECT_TRUE(accepts_gzip("br, *"));
    EXPECT_FALSE(accepts_gzip("*;q=0"));
    EXPECT_FALSE(accepts_gzip("identity"));
    EXPECT_FALSE(accepts_gzip(""));
    EXPECT_TRUE(etag_matches("\"a\", \"b\"", "\"b\""));
    EXPECT_FALSE(etag_matches("\"ab\"", "\"a\""));  // a substring is not a match
    EXPECT_TRUE(etag_matches("*", "\"a\""));
    EXPECT_TRUE(etag_matches("W/\"a\"", "\"a\""));
}

int status_of(const ApiRequest& r) {
    try {
        return tile(erfurt(), r).status;
    } catch (...) {
        return to_http_error(std::current_exception()).status;
    }
}

TEST(VectorTiles, OutOfRangeTilesAreJsonErrorsNotCrashes) {
    EXPECT_EQ(status_of(tile_request("districts", 23, 0, 0)), 404);
    EXPECT_EQ(status_of(tile_request("districts", -1, 0, 0)), 404);
    EXPECT_EQ(status_of(tile_request("districts", 3, 8, 0)), 404);
    EXPECT_EQ(status_of(tile_request("districts", 3, 0, -1)), 404);
    EXPECT_EQ(status_of(tile_request("nothing", 3, 0, 0)), 404);
    ApiRequest r = tile_request("districts", 3, 0, 0);
    r.params["x"] = "vier";
    EXPECT_EQ(status_of(r), 400);
    r.params["x"] = "99999999999999999999999";
    EXPECT_EQ(status_of(r), 400);
    EXPECT_EQ(status_of(tile_request("districts", 22, 2000000, 1300000)), 200);  // empty, far away
    EXPECT_EQ(status_of(tile_request("grid", 0, 0, 0)), 200);
}

TEST(VectorTiles, TileJsonDescribesTheLayer) {
    ApiRequest r;
    r.params = {{"tileset", "districts.json"}};
    r.base_url = "https://atlas.example";
    const json doc = json::parse(tilejson(erfurt(), r).body);
    EXPECT_EQ(doc["tilejson"], "3.0.0");
    EXPECT_EQ(doc["tiles"][0], "https://atlas.example/tiles/districts/{z}/{x}/{y}.mvt");
    EXPECT_EQ(doc["vector_layers"][0]["id"], "districts");
    EXPECT_EQ(doc["vector_layers"][0]["fields"]["name"], "String");
    EXPECT_NEAR(doc["bounds"][0].get<double>(), 10.85532, 1e-5);
    EXPECT_NE(doc["attribution"].get<std::string>().find("OpenStreetMap"), std::string::npos);
}

TEST(TileCache, StaysWithinItsBoundAndEvictsTheLeastRecent) {
    TileCache cache(1000);
    const auto tile_of_size = [](std::size_t n) {
        auto t = std::make_shared<CachedTile>();
        t->body.assign(n, 'x');
        return t;
    };
    cache.put("a", tile_of_size(300));
    cache.put("b", tile_of_size(300));
    cache.put("c", tile_of_size(300));
    ASSERT_TRUE(cache.get("a"));  // a is now the most recent
    cache.put("d", tile_of_size(300));
    EXPECT_LE(cache.bytes(), 1000u);
    EXPECT_TRUE(cache.get("a"));
    EXPECT_FALSE(cache.get("b"));  // least recently used went first
    cache.put("huge", tile_of_size(5000));
    EXPECT_FALSE(cache.get("huge"));
    EXPECT_LE(cache.bytes(), 1000u);
}

// Lines (the inventory's cooperations): MoveTo/LineTo, clipped to the buffered tile.
TEST(Tiles, LinesAreClippedToTheBufferedTile) {
    FeatureLayer layer;
    layer.id = "lines";
    layer.geometry_type = "LineString";
    Feature f;
    f.id = 7;
    f.geometry = LineString{{{-90, 45}, {90, 45}}};
    layer.features.push_back(f);
    const TileLayer tiles(layer);
    // z1 (0,0) is x -20037508..0, y 0..20037508; the line leaves it at x = 0 and is cut at the
    // 64-unit buffer: 64/4096 of the tile, 313,086 m east of the edge.
    const std::string bytes = tiles.encode({1, 0, 0});
    GDALAllRegister();
    test::TempDir dir;
    const auto path = dir.write("line.mvt", bytes);
    // CLIP=NO: GDAL would otherwise cut the decoded line at the tile edge, hiding the buffer.
    const char* options[] = {"X=0", "Y=0", "Z=1", "METADATA_FILE=", "CLIP=NO", nullptr};
    GDALDatasetUniquePtr ds(
        GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR, nullptr, options, nullptr));
    ASSERT_TRUE(ds);
    OGRLayer* decoded = ds->GetLayer(0);
    OGRFeatureUniquePtr line(decoded->GetNextFeature());
    ASSERT_TRUE(line);
    ASSERT_EQ(wkbFlatten(line->GetGeometryRef()->getGeometryType()), wkbLineString);
    const auto* g = line->GetGeometryRef()->toLineString();
    ASSERT_EQ(g->getNumPoints(), 2);
    const double unit = 20037508.342789244 / 4096;  // one tile unit at z1
    EXPECT_NEAR(g->getX(0), -20037508.342789244 / 2, unit / 2);
    EXPECT_NEAR(g->getX(1), 64 * unit, unit / 2);
    EXPECT_NEAR(g->getY(0), 5621521.486, unit / 2);  // 45°N in Web Mercator
    EXPECT_NEAR(g->getY(1), 5621521.486, unit / 2);
    EXPECT_TRUE(tiles.encode({1, 1, 1}).empty());  // the southern half never sees the line
}

TEST(Tiles, EveryCooperationOfErfurtIsOneLineInTheCityTile) {
    const ServedData& data = erfurt();
    const TileId t = tile_of(11.03, 50.98, 8);
    const auto r = tile(data, tile_request("cooperations", t.z, t.x, t.y));
    ASSERT_EQ(r.status, 200);
    test::TempDir dir;
    const auto path = dir.write("c.mvt", r.body);
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR));
    ASSERT_TRUE(ds);
    std::size_t lines = 0;
    for (auto& f : *ds->GetLayer(0)) {
        EXPECT_EQ(wkbFlatten(f->GetGeometryRef()->getGeometryType()), wkbLineString);
        EXPECT_FALSE(std::string(f->GetFieldAsString("data_status_label")).empty());
        ++lines;
    }
    EXPECT_EQ(lines, data.cooperations->features.size());
    EXPECT_GT(lines, 30u);
}

}  // namespace
}  // namespace atlas::api
