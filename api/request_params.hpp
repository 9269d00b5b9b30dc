#pragma once
// Typed query parameters with 400 errors that name the parameter.

#include <optional>
#include <string>

#include "api_types.hpp"

namespace atlas::api {

// A whole-number query parameter; nullopt when absent. Throws BadRequest when it is not one
// or lies outside [min, max].
std::optional<int> integer_parameter(const ApiRequest& request, const std::string& name,
                                     int min = INT32_MIN, int max = INT32_MAX);

// A text query parameter, or `fallback` when absent.
std::string text_parameter(const ApiRequest& request, const std::string& name,
                           const std::string& fallback = {});

}  // namespace atlas::api
