#include "style_routes.hpp"

#include <algorithm>

#include "atlas/geo/error.hpp"
#include "atlas/geo/static_map.hpp"
#include "atlas/geo/style_formats.hpp"
#include "request_params.hpp"

namespace atlas::api {

namespace {

Language language_parameter(const ApiRequest& request) {
    const std::string lang = text_parameter(request, "lang", "de");
    if (lang != "de" && lang != "en") throw BadRequest("parameter 'lang' must be de or en");
    return lang == "en" ? Language::en : Language::de;
}

Legend requested_legend(const ServedData& data, const ApiRequest& request,
                        const std::string& style_id) {
    return make_legend(find_style(data.styles, style_id), data.dataset,
                       data.coverage ? &*data.coverage : nullptr,
                       integer_parameter(request, "year"), text_parameter(request, "field"),
                       language_parameter(request));
}

// "name.ext" -> {"name", "ext"}; 404 unless the extension is one of `allowed`.
std::pair<std::string, std::string> split_extension(const std::string& resource,
                                                    std::initializer_list<const char*> allowed) {
    const auto dot = resource.rfind('.');
    if (dot != std::string::npos) {
        const std::string ext = resource.substr(dot + 1);
        for (const char* a : allowed)
            if (ext == a) return {resource.substr(0, dot), ext};
    }
    std::string names;
    for (const char* a : allowed) names += std::string(names.empty() ? "" : ", ") + "." + a;
    throw NotFound("no resource '" + resource + "': expected a style id with " + names);
}

}  // namespace

ApiResponse static_map(const ServedData& data, const ApiRequest& request) {
    const auto [id, extension] = split_extension(request.params.at("map"), {"png", "svg", "pdf"});
    const Legend l = requested_legend(data, request, id);
    MapOptions options;
    options.width = integer_parameter(request, "width").value_or(options.width);
    options.height = integer_parameter(request, "height").value_or(options.height);
    options.dpi = integer_parameter(request, "dpi").value_or(options.dpi);
    if (const auto paper = request.query.find("paper"); paper != request.query.end()) {
        if (request.query.contains("width") || request.query.contains("height"))
            throw BadRequest("give 'paper' or 'width'/'height', not both");
        const auto size = parse_paper(paper->second);
        if (!size) {
            throw BadRequest(
                "parameter 'paper' must be a4-landscape, a4-portrait, a3-landscape or "
                "a3-portrait, not '" +
                paper->second + "'");
        }
        options.width = size->width;
        options.height = size->height;
    }
    options.language = language_parameter(request);
    options.labels = integer_parameter(request, "labels", 0, 1).value_or(1) == 1;
    options.attribution = options.language == Language::en ? data.dataset.config.attribution_en
                                                           : data.dataset.config.attribution;
    const ImageFormat format = *parse_image_format(extension);
    return {200, media_type(format), render_map(l, data.dataset, options, format), {}};
}

ApiResponse legend(const ServedData& data, const ApiRequest& request) {
    const Legend l = requested_legend(data, request, request.params.at("style"));
    const auto& attribution = language_parameter(request) == Language::en
                                  ? data.dataset.config.attribution_en
                                  : data.dataset.config.attribution;
    return {200, "application/json", legend_json(l, attribution), {}};
}

ApiResponse style_document(const ServedData& data, const ApiRequest& request) {
    const auto [id, format] = split_extension(request.params.at("style"), {"json", "qml", "sld"});
    const Legend l = requested_legend(data, request, id);
    if (format == "json") {
        MapLibreOptions options{request.base_url + "/tiles/districts.json", "districts",
                                data.dataset.config.attribution};
        if (const auto client = request.query.find("for"); client != request.query.end()) {
            if (client->second != "qgis")
                throw BadRequest("parameter 'for' must be 'qgis', not '" + client->second + "'");
            options.match_on_key = true;
        }
        return {200, "application/json", maplibre_style(l, options), {}};
    }
    const std::string file = id + "." + format;
    const std::vector<std::pair<std::string, std::string>> headers = {
        {"Content-Disposition", "inline; filename=\"" + file + "\""}};
    if (format == "qml") return {200, "application/xml; charset=utf-8", qgis_qml(l), headers};
    return {200, "application/vnd.ogc.sld+xml; charset=utf-8", sld(l), headers};
}

}  // namespace atlas::api
