#pragma once
// The dataset description (atlas.toml): which files hold districts, indicators and services,
// and how to read them. Paths in the file are relative to the file's own folder.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace atlas {

enum class IndicatorKind { count, share, rate };

struct IndicatorConfig {
    std::string id;
    std::string column;  // column in the table; empty for derived indicators
    std::string label_de;
    std::string label_en;
    std::string unit;
    IndicatorKind kind = IndicatorKind::count;
    bool official = false;  // false: modelled; every output says so
    std::string source;
    // Derived share/rate: numerator / denominator * scale, per district and year.
    std::string numerator;
    std::string denominator;
    double scale = 1;
};

struct IndicatorTableConfig {
    std::string file;   // CSV, or any GDAL table source (GeoPackage, XLSX, ODS, PG:...)
    std::string layer;  // for GDAL sources; empty: the first layer
    std::string key_column;
    std::string year_column;
    std::optional<char> delimiter;
    std::vector<IndicatorConfig> indicators;
};

struct DistrictSourceConfig {
    std::string source;  // file path or any GDAL connection string (PG:...)
    std::string layer;   // empty: the first layer
    std::string key_field;
    std::string name_field;
    std::string official_id_field;  // optional
    std::string crs;                // overrides the source's CRS when set
};

struct ServiceLayerConfig {
    std::string id;
    std::string source;
    std::string layer;
    std::string name_field;
    std::string category_field;
    std::string capacity_field;  // optional
    std::string source_label;    // e.g. "OpenStreetMap"
    std::string crs;
    std::map<std::string, std::vector<std::string>> category_fields;  // category -> field ids
};

struct HandlungsfeldConfig {
    std::string id;
    std::string label_de;
    std::string label_en;
};

struct DatasetConfig {
    std::string path;  // the atlas.toml itself
    std::string id;
    std::string title_de;
    std::string title_en;
    std::string working_crs = "EPSG:25832";
    std::vector<std::string> attribution;
    std::string licence_note;
    DistrictSourceConfig districts;
    std::vector<IndicatorTableConfig> indicator_tables;
    std::vector<IndicatorConfig> derived_indicators;
    std::vector<ServiceLayerConfig> service_layers;
    std::vector<HandlungsfeldConfig> fields;
};

// Reads and checks an atlas.toml; throws InputError naming the file, line and key.
DatasetConfig load_config(const std::string& path);

}  // namespace atlas
