#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "atlas/geo/error.hpp"
#include "atlas/geo/mvt.hpp"
#include "gdal_util.hpp"

namespace atlas {

namespace {

std::string hex(const std::string& bytes) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

std::string quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

// Runs a statement that returns nothing; the SQLite driver hands it to sqlite3 as it is.
void execute(GDALDataset& db, const std::string& sql, const std::string& path) {
    CPLErrorReset();
    OGRLayer* result = db.ExecuteSQL(sql.c_str(), nullptr, nullptr);
    if (result) db.ReleaseResultSet(result);
    if (CPLGetLastErrorType() >= CE_Failure) {
        throw InputError({path, {}, {}, {}},
                         std::string("cannot write MBTiles: ") + CPLGetLastErrorMsg());
    }
}

// The range of tile columns/rows at zoom z that covers a lon/lat box.
std::array<std::int64_t, 4> tile_range(const Box& wgs84, int z) {
    const double n = std::pow(2.0, z);
    const auto column = [&](double lon) {
        return static_cast<std::int64_t>(std::floor((lon + 180) / 360 * n));
    };
    const auto row = [&](double lat) {
        const double rad = lat * M_PI / 180;
        return static_cast<std::int64_t>(
            std::floor((1 - std::asinh(std::tan(rad)) / M_PI) / 2 * n));
    };
    const auto last = static_cast<std::int64_t>(n) - 1;
    return {std::clamp<std::int64_t>(column(wgs84.min_x), 0, last),
            std::clamp<std::int64_t>(row(wgs84.max_y), 0, last),
            std::clamp<std::int64_t>(column(wgs84.max_x), 0, last),
            std::clamp<std::int64_t>(row(wgs84.min_y), 0, last)};
}

}  // namespace

MbtilesExport write_mbtiles(const TileLayer& layer, const std::string& path, int min_zoom,
                            int max_zoom,
                            const std::function<void(std::size_t, std::size_t)>& progress) {
    if (min_zoom < 0 || max_zoom > kMaxZoom || min_zoom > max_zoom) {
        throw InputError({path, {}, {}, "zoom"},
                         "zooms must satisfy 0 <= minzoom <= maxzoom <= 22");
    }
    if (std::filesystem::exists(path))
        throw InputError({path, {}, {}, {}}, "exists already; not overwritten");
    gdal::ensure_registered();
    const Box& b = layer.bounds_wgs84();
    std::size_t total = 0;
    for (int z = min_zoom; z <= max_zoom; ++z) {
        const auto r = tile_range(b, z);
        total += static_cast<std::size_t>((r[2] - r[0] + 1) * (r[3] - r[1] + 1));
    }

    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("SQLite");
    const char* options[] = {"METADATA=NO", nullptr};
    GDALDatasetUniquePtr db(
        driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, const_cast<char**>(options)));
    if (!db)
        throw InputError({path, {}, {}, {}}, std::string("cannot create: ") + CPLGetLastErrorMsg());
    execute(*db, "CREATE TABLE metadata (name TEXT, value TEXT)", path);
    execute(*db,
            "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, "
            "tile_data BLOB)",
            path);
    execute(*db, "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row)",
            path);

    const FeatureLayer& features = layer.layer();
    nlohmann::json fields = nlohmann::json::object();
    for (const auto& a : features.schema)
        fields[a.name] = a.type == ValueType::string ? "String" : "Number";
    const nlohmann::json vector_layers = {{"vector_layers",
                                           {{{"id", features.id},
                                             {"minzoom", min_zoom},
                                             {"maxzoom", max_zoom},
                                             {"fields", fields}}}}};
    std::string attribution;
    for (const auto& a : features.attribution) attribution += (attribution.empty() ? "" : "; ") + a;
    char bounds[160], center[160];
    std::snprintf(bounds, sizeof bounds, "%.6f,%.6f,%.6f,%.6f", b.min_x, b.min_y, b.max_x, b.max_y);
    std::snprintf(center, sizeof center, "%.6f,%.6f,%d", (b.min_x + b.max_x) / 2,
                  (b.min_y + b.max_y) / 2, (min_zoom + max_zoom) / 2);
    const std::pair<std::string, std::string> metadata[] = {{"name", features.title_de},
                                                            {"format", "pbf"},
                                                            {"type", "overlay"},
                                                            {"version", "1.0"},
                                                            {"description", features.description},
                                                            {"attribution", attribution},
                                                            {"bounds", bounds},
                                                            {"center", center},
                                                            {"minzoom", std::to_string(min_zoom)},
                                                            {"maxzoom", std::to_string(max_zoom)},
                                                            {"json", vector_layers.dump()}};
    for (const auto& [name, value] : metadata) {
        execute(*db, "INSERT INTO metadata VALUES (" + quoted(name) + ", " + quoted(value) + ")",
                path);
    }

    MbtilesExport result;
    std::size_t done = 0;
    execute(*db, "BEGIN", path);
    for (int z = min_zoom; z <= max_zoom; ++z) {
        const auto r = tile_range(b, z);
        for (std::int64_t x = r[0]; x <= r[2]; ++x) {
            for (std::int64_t y = r[1]; y <= r[3]; ++y) {
                const std::string tile = layer.encode({z, x, y});
                if (progress) progress(++done, total);
                if (tile.empty()) continue;
                const std::string blob = gzip(tile);
                const std::int64_t tms_row =
                    (std::int64_t{1} << z) - 1 - y;  // MBTiles rows count from the south
                execute(*db,
                        "INSERT INTO tiles VALUES (" + std::to_string(z) + "," + std::to_string(x) +
                            "," + std::to_string(tms_row) + ",X'" + hex(blob) + "')",
                        path);
                ++result.tiles;
                result.bytes += blob.size();
            }
        }
    }
    execute(*db, "COMMIT", path);
    return result;
}

}  // namespace atlas
