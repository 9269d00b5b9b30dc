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

// Whether Accept-Encoding admits gzip: listed (or "*") with a q-value above 0 (RFC 9110 12.5.3).
bool accepts_gzip(const std::string& accept_encoding);

// Whether an If-None-Match header names `etag` (weak comparison: W/ prefixes ignored) or is "*".
bool etag_matches(const std::string& if_none_match, const std::string& etag);

}  // namespace atlas::api
