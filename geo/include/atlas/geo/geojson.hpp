#pragma once
// RFC 7946 GeoJSON output (WGS84 lon/lat) of a dataset's layers.

#include <string>

#include "atlas/geo/dataset.hpp"

namespace atlas {

// All districts with id, name, official id, area and every indicator's value in `year`
// (null where the year has none). Modelled indicators are named in each feature's
// `modelled_indicators` and in the collection's `indicators` member, with the attribution.
std::string districts_geojson(const Dataset& dataset, int year);

}  // namespace atlas
