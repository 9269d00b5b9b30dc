#pragma once
// RFC 7946 GeoJSON output (WGS84 lon/lat) of a dataset's layers.

#include <string>

#include "atlas/geo/coverage.hpp"
#include "atlas/geo/dataset.hpp"

namespace atlas {

// All districts with id, name, official id, area and every indicator's value in `year`
// (null where the year has none). Modelled indicators are named in each feature's
// `modelled_indicators` and in the collection's `indicators` member, with the attribution.
// With a coverage result, each Handlungsfeld adds <field>_services, _per_1000, _distance_m,
// _within, _e2sfca, _gap_class and _gap (field ids with '_' for '-'), plus coverage_year.
std::string districts_geojson(const Dataset& dataset, int year,
                              const CoverageResult* coverage = nullptr);

// The population grid: one polygon per cell with INSPIRE id, population, target group and the
// distance to the nearest service of every Handlungsfeld (dist_<field>, null without service).
std::string grid_geojson(const Dataset& dataset, const CoverageResult& coverage);

// A property name from a field id: '-' becomes '_' (QGIS expressions, OGC filters).
std::string property_name(std::string_view id);

}  // namespace atlas
