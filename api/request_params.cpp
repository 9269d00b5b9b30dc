#include "request_params.hpp"

#include <charconv>

#include "atlas/geo/error.hpp"

namespace atlas::api {

std::optional<int> integer_parameter(const ApiRequest& request, const std::string& name, int min,
                                     int max) {
    const auto found = request.query.find(name);
    if (found == request.query.end()) return std::nullopt;
    const std::string& text = found->second;
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) {
        throw BadRequest("parameter '" + name + "' must be a whole number, not '" + text + "'");
    }
    if (value < min || value > max) {
        throw BadRequest("parameter '" + name + "' must lie between " + std::to_string(min) +
                         " and " + std::to_string(max));
    }
    return value;
}

std::string text_parameter(const ApiRequest& request, const std::string& name,
                           const std::string& fallback) {
    const auto found = request.query.find(name);
    return found == request.query.end() ? fallback : found->second;
}

}  // namespace atlas::api
