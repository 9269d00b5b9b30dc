#include "request_params.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

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

namespace {

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

template <typename Visit>
void for_each_item(const std::string& list, Visit visit) {
    std::size_t start = 0;
    while (start <= list.size()) {
        auto end = list.find(',', start);
        if (end == std::string::npos) end = list.size();
        visit(trimmed(list.substr(start, end - start)));
        start = end + 1;
    }
}

}  // namespace

bool accepts_gzip(const std::string& accept_encoding) {
    std::optional<bool> gzip, any;
    for_each_item(accept_encoding, [&](const std::string& item) {
        const auto semicolon = item.find(';');
        std::string coding = trimmed(item.substr(0, semicolon));
        std::transform(coding.begin(), coding.end(), coding.begin(),
                       [](unsigned char c) { return std::tolower(c); });
        bool acceptable = true;
        if (semicolon != std::string::npos) {
            std::string parameter = trimmed(item.substr(semicolon + 1));
            if (parameter.starts_with("q=") || parameter.starts_with("Q=")) {
                // "q=0", "q=0.0", "q=0.000": not acceptable; anything else is.
                const std::string q = parameter.substr(2);
                acceptable = q.find_first_not_of("0.") != std::string::npos;
            }
        }
        if (coding == "gzip" || coding == "x-gzip") gzip = acceptable;
        if (coding == "*") any = acceptable;
    });
    return gzip ? *gzip : any.value_or(false);
}

bool etag_matches(const std::string& if_none_match, const std::string& etag) {
    bool match = false;
    for_each_item(if_none_match, [&](const std::string& item) {
        const std::string tag = item.starts_with("W/") ? item.substr(2) : item;
        const std::string own = etag.starts_with("W/") ? etag.substr(2) : etag;
        match = match || item == "*" || tag == own;
    });
    return match;
}

}  // namespace atlas::api
