// Vector tile generation: every `districts` tile over Erfurt at z 8-16, uncached, and the tile
// cache under a small bound. `--export=DIR` writes the tile list and the district layer so that
// scripts/bench-tiles.sh can time PostGIS ST_AsMVT on the same polygons and tiles.

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <memory>

#include "atlas/geo/config.hpp"
#include "atlas/geo/geojson.hpp"
#include "atlas/geo/mvt.hpp"
#include "served_data.hpp"
#include "tile_cache.hpp"

namespace {

const atlas::api::ServedData& erfurt() {
    static const auto data = atlas::api::prepare_served_data(atlas::load_dataset(
        atlas::load_config(std::string(ATLAS_SOURCE_DIR) + "/shapes/erfurt/atlas.toml")));
    return *data;
}

std::vector<atlas::TileId> city_tiles(int min_zoom, int max_zoom) {
    const atlas::Box& b = erfurt().tile_layers.at("districts")->bounds_wgs84();
    std::vector<atlas::TileId> out;
    for (int z = min_zoom; z <= max_zoom; ++z) {
        const double n = std::pow(2.0, z);
        const auto col = [&](double lon) {
            return static_cast<std::int64_t>((lon + 180) / 360 * n);
        };
        const auto row = [&](double lat) {
            return static_cast<std::int64_t>((1 - std::asinh(std::tan(lat * M_PI / 180)) / M_PI) /
                                             2 * n);
        };
        for (auto x = col(b.min_x); x <= col(b.max_x); ++x) {
            for (auto y = row(b.max_y); y <= row(b.min_y); ++y) out.push_back({z, x, y});
        }
    }
    return out;
}

void BM_AllDistrictTilesZ8To16(benchmark::State& state) {
    const auto& layer = *erfurt().tile_layers.at("districts");
    const auto tiles = city_tiles(8, 16);
    std::size_t bytes = 0;
    for (auto _ : state) {
        bytes = 0;
        for (const auto& t : tiles) bytes += layer.encode(t).size();
        benchmark::DoNotOptimize(bytes);
    }
    state.counters["tiles"] = static_cast<double>(tiles.size());
    state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_AllDistrictTilesZ8To16)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);

// Fills a 256 kB cache with every tile twice over: the byte count must never pass the bound.
void BM_TileCacheStaysBounded(benchmark::State& state) {
    const auto& layer = *erfurt().tile_layers.at("districts");
    const auto tiles = city_tiles(12, 16);
    std::vector<std::shared_ptr<atlas::api::CachedTile>> encoded;
    for (const auto& t : tiles) {
        auto c = std::make_shared<atlas::api::CachedTile>();
        c->body = layer.encode(t);
        c->gzip = atlas::gzip(c->body);
        encoded.push_back(c);
    }
    std::size_t peak = 0, bound = 256 * 1024;
    for (auto _ : state) {
        atlas::api::TileCache cache(bound);
        for (int round = 0; round < 2; ++round) {
            for (std::size_t i = 0; i < tiles.size(); ++i) {
                const std::string key = std::to_string(i);
                if (!cache.get(key)) cache.put(key, encoded[i]);
                peak = std::max(peak, cache.bytes());
            }
        }
    }
    state.counters["bound_bytes"] = static_cast<double>(bound);
    state.counters["peak_bytes"] = static_cast<double>(peak);
}
BENCHMARK(BM_TileCacheStaysBounded)->Unit(benchmark::kMillisecond)->Iterations(3);

void export_inputs(const std::string& dir) {
    std::ofstream list(dir + "/tiles.csv");
    for (const auto& t : city_tiles(8, 16)) list << t.z << ',' << t.x << ',' << t.y << '\n';
    std::ofstream(dir + "/districts.geojson")
        << atlas::to_geojson(erfurt().districts.at(erfurt().default_year), nullptr);
    std::ofstream(dir + "/tile.mvt", std::ios::binary)
        << erfurt().tile_layers.at("districts")->encode({13, 4347, 2746});
}

}  // namespace

int main(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        if (std::strncmp(argv[i], "--export=", 9) == 0) {
            export_inputs(argv[i] + 9);
            return 0;
        }
    }
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
