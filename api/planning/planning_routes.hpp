#pragma once
// GET /api/planning/suggestions: the k sites that would bring the most of a Handlungsfeld's
// target group within reach, exactly (CBC) or greedily with the LP bound.

#include "api_types.hpp"
#include "served_data.hpp"

namespace atlas::api {

ApiResponse location_suggestions(const ServedData& data, const ApiRequest& request);

}  // namespace atlas::api
