#pragma once
// Thematic maps over HTTP: the legend, the same map as MapLibre/QGIS/SLD style documents, and
// static maps. Every one is made from make_legend(), so all show identical classes.

#include "api_types.hpp"
#include "served_data.hpp"

namespace atlas::api {

// GET /api/legend/{style}?year=&field=&lang=
ApiResponse legend(const ServedData& data, const ApiRequest& request);
// GET /styles/{style}.json | .qml | .sld ?year=&field=&lang=
ApiResponse style_document(const ServedData& data, const ApiRequest& request);

// GET /maps/{style}.png | .svg | .pdf ?year=&field=&width=&height=&dpi=&lang=
ApiResponse static_map(const ServedData& data, const ApiRequest& request);

}  // namespace atlas::api
