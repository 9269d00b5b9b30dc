#include "atlas/geo/error.hpp"

namespace atlas {

std::string InputLocation::describe() const {
    std::string out = file.empty() ? std::string("<input>") : file;
    if (line) out += ":" + std::to_string(*line);
    if (feature) out += ": feature " + std::to_string(*feature);
    if (!field.empty()) out += ": field '" + field + "'";
    return out;
}

InputError::InputError(InputLocation where, const std::string& problem)
    : Error(where.describe() + ": " + problem), where_(std::move(where)), problem_(problem) {}

}  // namespace atlas
