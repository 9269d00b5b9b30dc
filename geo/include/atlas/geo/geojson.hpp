#pragma once
// Writers of feature layers: RFC 7946 GeoJSON (and other CRSs for OGC API Part 2), CSV for
// spreadsheets, GeoPackage for GIS.

#include <cstddef>
#include <string>
#include <vector>

#include "atlas/geo/crs.hpp"
#include "atlas/geo/features.hpp"

namespace atlas {

struct GeoJsonOptions {
    const Transformer* transform = nullptr;  // from WGS84 lon/lat; none: write lon/lat
    bool swap_axes = false;                  // write y before x (EPSG:4326 is lat/lon)
    int decimals = 6;                        // 6 for degrees (~0.1 m), 2 for metres
    std::string extra_members;  // raw JSON members for the collection, with trailing ','
};

// A FeatureCollection of the selected features (all when `selection` is null), with the
// layer's name, attribution, year, indicator status and the extra members.
std::string to_geojson(const FeatureLayer& layer, const std::vector<std::size_t>* selection,
                       const GeoJsonOptions& options = {});

// One Feature.
std::string feature_geojson(const FeatureLayer& layer, const Feature& feature,
                            const GeoJsonOptions& options = {});

struct CsvOptions {
    char delimiter = ',';
    bool decimal_comma = false;  // German spreadsheets
    bool bom = false;            // makes Excel read UTF-8
};
// Attributes, plus lon/lat for point layers (no polygon geometry: it is a table).
std::string to_csv(const FeatureLayer& layer, const std::vector<std::size_t>* selection,
                   const CsvOptions& options = {});

// The layer as a GeoPackage file (bytes) with the attribute types of the schema. Geometries are
// WGS84 lon/lat unless `crs` (e.g. "EPSG:25832") names the CRS they are to be written in.
std::string to_geopackage(const FeatureLayer& layer, const std::string& crs = "EPSG:4326");

}  // namespace atlas
