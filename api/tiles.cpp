#include "tiles.hpp"

#include "request_params.hpp"

#include <charconv>
#include <nlohmann/json.hpp>

#include "atlas/geo/error.hpp"
#include "atlas/geo/mvt.hpp"

namespace atlas::api {

namespace {

using nlohmann::json;

const TileLayer& tile_layer(const ServedData& data, const std::string& id) {
    const auto found = data.tile_layers.find(id);
    if (found == data.tile_layers.end()) throw NotFound("no tile layer '" + id + "'");
    return *found->second;
}

std::int64_t tile_number(const std::string& text, const char* name) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) {
        throw BadRequest(std::string("tile ") + name + " must be a whole number, not '" + text +
                         "'");
    }
    return value;
}

std::string cache_control(const ServedData& data, const std::string& layer) {
    for (const auto& key : {layer, std::string("default")}) {
        if (const auto found = data.settings.cache_control.find(key);
            found != data.settings.cache_control.end()) {
            return found->second;
        }
    }
    return "public, max-age=3600";
}

// The grid's 100 m cells are below one tile unit before z 10: no point in serving them there.
int min_zoom(const std::string& layer) {
    return layer == "grid" ? 10 : 0;
}

struct TileRequest {
    std::string layer;
    TileId tile;
    std::string key;
};

TileRequest parse_tile_request(const ApiRequest& request) {
    const std::string& id = request.params.at("layer");
    std::string y_text = request.params.at("y");
    if (!y_text.ends_with(".mvt")) throw NotFound("tiles end in .mvt");
    y_text.resize(y_text.size() - 4);
    const TileId t{static_cast<int>(
                       std::clamp<std::int64_t>(tile_number(request.params.at("z"), "z"), -1, 99)),
                   tile_number(request.params.at("x"), "x"), tile_number(y_text, "y")};
    if (!is_valid_tile(t)) {
        throw NotFound("no tile " + request.params.at("z") + "/" + request.params.at("x") + "/" +
                       y_text + " (z 0-22, x and y 0 to 2^z-1)");
    }
    return {id, t,
            id + "/" + std::to_string(t.z) + "/" + std::to_string(t.x) + "/" + std::to_string(t.y)};
}

ApiResponse tile_response(const ServedData& data, const ApiRequest& request,
                          const std::string& layer, const CachedTile& cached) {
    ApiResponse r;
    r.content_type = "application/vnd.mapbox-vector-tile";
    // The gzip bytes are another representation: their own strong tag, so a cache that stored
    // one never answers a 304 for the other.
    const bool gzipped = accepts_gzip(request.accept_encoding) && !cached.body.empty();
    const std::string etag =
        gzipped ? cached.etag.substr(0, cached.etag.size() - 1) + "-gzip\"" : cached.etag;
    r.headers = {
        {"ETag", etag}, {"Cache-Control", cache_control(data, layer)}, {"Vary", "Accept-Encoding"}};
    if (etag_matches(request.if_none_match, etag)) {
        r.status = 304;
        return r;
    }
    if (gzipped) {
        r.body = cached.gzip;
        r.headers.emplace_back("Content-Encoding", "gzip");
    } else {
        r.body = cached.body;
    }
    return r;
}

}  // namespace

std::optional<ApiResponse> cached_tile(const ServedData& data, const ApiRequest& request) {
    const TileRequest t = parse_tile_request(request);
    tile_layer(data, t.layer);  // unknown layers are a 404 here already
    const auto cached = data.tile_cache->get(t.key);
    if (!cached) return std::nullopt;
    return tile_response(data, request, t.layer, *cached);
}

ApiResponse tile(const ServedData& data, const ApiRequest& request) {
    const TileRequest t = parse_tile_request(request);
    const TileLayer& layer = tile_layer(data, t.layer);
    std::shared_ptr<const CachedTile> cached = data.tile_cache->get(t.key);
    if (!cached) {
        auto fresh = std::make_shared<CachedTile>();
        if (t.tile.z >= min_zoom(t.layer)) fresh->body = layer.encode(t.tile);
        fresh->gzip = gzip(fresh->body);
        fresh->etag = "\"" + data.version + "-" + content_hash(fresh->body) + "\"";
        data.tile_cache->put(t.key, fresh);
        cached = std::move(fresh);
    }
    return tile_response(data, request, t.layer, *cached);
}

ApiResponse tilejson(const ServedData& data, const ApiRequest& request) {
    std::string id = request.params.at("tileset");
    if (!id.ends_with(".json")) throw NotFound("no resource /tiles/" + id);
    id.resize(id.size() - 5);
    const TileLayer& layer = tile_layer(data, id);
    const FeatureLayer& features = layer.layer();
    json fields = json::object();
    fields["id"] = "Number";
    for (const auto& a : features.schema) {
        fields[a.name] = a.type == ValueType::string    ? "String"
                         : a.type == ValueType::boolean ? "Boolean"
                                                        : "Number";
    }
    std::string attribution;
    for (const auto& a : features.attribution) attribution += (attribution.empty() ? "" : "; ") + a;
    const Box& b = layer.bounds_wgs84();
    const json doc = {{"tilejson", "3.0.0"},
                      {"name", features.title_de},
                      {"description", features.description},
                      {"version", "1.0.0"},
                      {"attribution", attribution},
                      {"scheme", "xyz"},
                      {"tiles", {request.base_url + "/tiles/" + id + "/{z}/{x}/{y}.mvt"}},
                      {"minzoom", min_zoom(id)},
                      {"maxzoom", kMaxZoom},
                      {"bounds", {b.min_x, b.min_y, b.max_x, b.max_y}},
                      {"center", {(b.min_x + b.max_x) / 2, (b.min_y + b.max_y) / 2, 11}},
                      {"vector_layers",
                       {{{"id", id},
                         {"description", features.description},
                         {"minzoom", min_zoom(id)},
                         {"maxzoom", kMaxZoom},
                         {"fields", fields}}}}};
    return {200, "application/json", doc.dump(), {}};
}

}  // namespace atlas::api
