#include "atlas/geo/crs.hpp"

#include <gtest/gtest.h>

#include "atlas/geo/error.hpp"

namespace atlas {
namespace {

// Expected values are PROJ 9.1.1's own answers: `cs2cs -f %.4f EPSG:4326 EPSG:25832` with the
// input in EPSG:4326's official lat/lon order.
TEST(Transformer, ErfurtDomplatzTo25832MatchesProjToOneCentimetre) {
    const Transformer t("EPSG:4326", "EPSG:25832");
    const Point p = t.apply(Point{11.0236, 50.9778});  // GIS order: lon, lat
    EXPECT_NEAR(p.x, 642056.8567, 0.01);
    EXPECT_NEAR(p.y, 5649305.4830, 0.01);
}

TEST(Transformer, CentralMeridianOfZone32) {
    const Transformer t("OGC:CRS84", "EPSG:25832");
    const Point p = t.apply(Point{9.0, 50.0});
    EXPECT_NEAR(p.x, 500000.000, 0.01);
    EXPECT_NEAR(p.y, 5538630.703, 0.01);
}

TEST(Transformer, RingsAreTransformedInPlace) {
    const Transformer there("EPSG:4326", "EPSG:25832");
    const Transformer back("EPSG:25832", "EPSG:4326");
    Ring ring{{11.0, 51.0}, {11.1, 51.0}, {11.1, 51.1}, {11.0, 51.0}};
    const Ring original = ring;
    there.apply(ring);
    EXPECT_GT(ring[0].x, 600000);
    back.apply(ring);
    for (std::size_t i = 0; i < ring.size(); ++i) {
        EXPECT_NEAR(ring[i].x, original[i].x, 1e-9);
        EXPECT_NEAR(ring[i].y, original[i].y, 1e-9);
    }
}

TEST(Transformer, UnknownCrsThrows) {
    EXPECT_THROW(Transformer("EPSG:4326", "EPSG:999999"), Error);
    EXPECT_THROW(Transformer("not a crs", "EPSG:4326"), Error);
    EXPECT_FALSE(is_known_crs("EPSG:999999"));
    EXPECT_TRUE(is_known_crs("EPSG:3035"));
}

}  // namespace
}  // namespace atlas
