// Static map rendering: the atlas's PNG map of Erfurt (Cairo: 53 antialiased districts, title,
// legend, scale bar, attribution, PNG encoding) against GDAL drawing the same districts in the
// same class colours into an image of the same size (GDALRasterizeGeometries on a MEM raster,
// no text, no antialiasing) and writing it as PNG. Both 1200 × 850 pixels.

#include <benchmark/benchmark.h>
#include <gdal_alg.h>
#include <gdal_priv.h>
#include <ogr_geometry.h>

#include <algorithm>
#include <memory>

#include "atlas/geo/config.hpp"
#include "atlas/geo/static_map.hpp"
#include "atlas/geo/style.hpp"
#include "atlas/geo/style_formats.hpp"

namespace {

struct Erfurt {
    atlas::Dataset dataset;
    atlas::Legend legend;
};

const Erfurt& erfurt() {
    static const Erfurt data = [] {
        Erfurt e{atlas::load_dataset(atlas::load_config(std::string(ATLAS_SOURCE_DIR) +
                                                        "/shapes/erfurt/atlas.toml")),
                 {}};
        const auto styles = atlas::load_styles(e.dataset.config.styles_dir);
        e.legend = atlas::make_legend(atlas::find_style(styles, "auslaender_anteil"), e.dataset,
                                      nullptr, 2024);
        return e;
    }();
    return data;
}

constexpr int kWidth = 1200, kHeight = 850;

void BM_AtlasPngMap(benchmark::State& state) {
    atlas::MapOptions options;
    options.width = kWidth;
    options.height = kHeight;
    options.attribution = erfurt().dataset.config.attribution;
    std::size_t bytes = 0;
    for (auto _ : state) {
        bytes =
            atlas::render_map(erfurt().legend, erfurt().dataset, options, atlas::ImageFormat::png)
                .size();
        benchmark::DoNotOptimize(bytes);
    }
    state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_AtlasPngMap)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);

void BM_GdalRasterizePng(benchmark::State& state) {
    GDALAllRegister();
    const auto& ds = erfurt().dataset;
    // The districts as OGR geometries with their class colour, in the working CRS.
    std::vector<std::unique_ptr<OGRGeometry>> shapes;
    std::vector<double> burn;  // r, g, b per geometry
    double min_x = 1e300, min_y = 1e300, max_x = -1e300, max_y = -1e300;
    const auto ring = [&](const atlas::Ring& points) {
        OGRLinearRing r;
        for (const auto& pt : points) {
            r.addPoint(pt.x, pt.y);
            min_x = std::min(min_x, pt.x), max_x = std::max(max_x, pt.x);
            min_y = std::min(min_y, pt.y), max_y = std::max(max_y, pt.y);
        }
        return r;
    };
    for (std::size_t d = 0; d < ds.districts.size(); ++d) {
        auto shape = std::make_unique<OGRMultiPolygon>();
        for (const auto& polygon : ds.districts[d].metric) {
            OGRPolygon p;
            OGRLinearRing outer = ring(polygon.outer);
            p.addRing(&outer);
            for (const auto& h : polygon.holes) {
                OGRLinearRing hole = ring(h);
                p.addRing(&hole);
            }
            shape->addGeometry(&p);
        }
        shapes.push_back(std::move(shape));
        const auto& k = erfurt().legend.districts[d].class_index;
        const auto c = atlas::parse_colour(k ? erfurt().legend.classes[*k].colour
                                             : erfurt().legend.missing_colour);
        burn.insert(burn.end(), {double(c.r), double(c.g), double(c.b)});
    }
    std::vector<OGRGeometryH> handles;
    for (const auto& s : shapes) handles.push_back(OGRGeometry::ToHandle(s.get()));
    const double scale = std::max((max_x - min_x) / kWidth, (max_y - min_y) / kHeight);
    const double transform[6] = {min_x, scale, 0, max_y, 0, -scale};
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    GDALDriver* png = GetGDALDriverManager()->GetDriverByName("PNG");
    int bands[3] = {1, 2, 3};
    std::size_t bytes = 0;
    for (auto _ : state) {
        GDALDatasetUniquePtr image(mem->Create("", kWidth, kHeight, 3, GDT_Byte, nullptr));
        image->SetGeoTransform(const_cast<double*>(transform));
        for (int b = 1; b <= 3; ++b) image->GetRasterBand(b)->Fill(255);
        GDALRasterizeGeometries(image.get(), 3, bands, static_cast<int>(handles.size()),
                                handles.data(), nullptr, nullptr, burn.data(), nullptr, nullptr,
                                nullptr);
        GDALDatasetUniquePtr out(
            png->CreateCopy("/vsimem/peer.png", image.get(), FALSE, nullptr, nullptr, nullptr));
        out.reset();
        vsi_l_offset size = 0;
        GByte* data = VSIGetMemFileBuffer("/vsimem/peer.png", &size, TRUE);
        bytes = static_cast<std::size_t>(size);
        CPLFree(data);
        benchmark::DoNotOptimize(bytes);
    }
    state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_GdalRasterizePng)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);

}  // namespace

BENCHMARK_MAIN();
