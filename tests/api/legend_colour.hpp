#pragma once
// The colour a legend document (legend_json) gives one of its districts.

#include <nlohmann/json.hpp>
#include <string>

namespace atlas::test {

inline std::string legend_colour(const nlohmann::json& legend, const nlohmann::json& district) {
    if (!district["class"].is_null())
        return legend["classes"][district["class"].get<std::size_t>()]["colour"];
    return district["suppressed"].get<bool>() ? legend["suppressed"]["colour"]
                                              : legend["missing"]["colour"];
}

}  // namespace atlas::test
