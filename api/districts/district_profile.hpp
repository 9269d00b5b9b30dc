#pragma once
// GET /api/districts/{id}: everything the atlas knows about one district, for the web map's
// district profile — every indicator of a year with unit, status, rank and the districts'
// median, each indicator's time series, coverage per Handlungsfeld and the services inside.

#include "api_types.hpp"
#include "served_data.hpp"

namespace atlas::api {

ApiResponse district_profile(const ServedData& data, const ApiRequest& request);

}  // namespace atlas::api
