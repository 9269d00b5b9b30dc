#include "metrics.hpp"

#include <cstdio>

#include "atlas/geo/error.hpp"
#include "dataset_updates.hpp"

namespace atlas::api {

namespace {

std::string number(double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.9g", v);
    return buffer;
}

// Label values escaped as the exposition format asks (backslash, quote, newline).
std::string label(const std::string& value) {
    std::string out;
    for (const char c : value) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

void family(std::string& out, const char* name, const char* type, const char* help) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

}  // namespace

void Metrics::observe(const std::string& route, int status, std::chrono::duration<double> took) {
    const std::lock_guard lock(mutex_);
    requests_[{route, status}]++;
    Histogram& h = latency_[route];
    for (std::size_t i = 0; i < kBuckets.size(); ++i)
        if (took.count() <= kBuckets[i]) h.below[i]++;
    h.count++;
    h.sum += took.count();
}

std::string Metrics::exposition(const ServedData& data, bool with_auth_failures) const {
    std::string out;
    {
        const std::lock_guard lock(mutex_);
        family(out, "atlas_http_requests_total", "counter",
               "HTTP requests answered, by route pattern and status code.");
        for (const auto& [key, n] : requests_) {
            // Refused tokens by route would tell the public where someone is trying.
            if (!with_auth_failures && (key.second == 401 || key.second == 403)) continue;
            out += "atlas_http_requests_total{route=\"" + label(key.first) + "\",code=\"" +
                   std::to_string(key.second) + "\"} " + std::to_string(n) + "\n";
        }
        family(out, "atlas_http_request_duration_seconds", "histogram",
               "Time from routing to the answer, by route pattern.");
        for (const auto& [route, h] : latency_) {
            const std::string r = "route=\"" + label(route) + "\"";
            for (std::size_t i = 0; i < kBuckets.size(); ++i) {
                out += "atlas_http_request_duration_seconds_bucket{" + r + ",le=\"" +
                       number(kBuckets[i]) + "\"} " + std::to_string(h.below[i]) + "\n";
            }
            out += "atlas_http_request_duration_seconds_bucket{" + r + ",le=\"+Inf\"} " +
                   std::to_string(h.count) + "\n";
            out += "atlas_http_request_duration_seconds_sum{" + r + "} " + number(h.sum) + "\n";
            out += "atlas_http_request_duration_seconds_count{" + r + "} " +
                   std::to_string(h.count) + "\n";
        }
    }
    family(out, "atlas_tile_cache_bytes", "gauge", "Bytes held by the tile cache.");
    out += "atlas_tile_cache_bytes " + std::to_string(data.tile_cache->bytes()) + "\n";
    family(out, "atlas_tile_cache_limit_bytes", "gauge", "Bound of the tile cache.");
    out += "atlas_tile_cache_limit_bytes " + std::to_string(data.tile_cache->max_bytes()) + "\n";
    family(out, "atlas_tile_cache_tiles", "gauge", "Tiles in the cache.");
    out += "atlas_tile_cache_tiles " + std::to_string(data.tile_cache->size()) + "\n";
    family(out, "atlas_data_info", "gauge", "The data version being served (value always 1).");
    out += "atlas_data_info{dataset=\"" + label(data.dataset.config.id) + "\",version=\"" +
           label(data.version) + "\"} 1\n";
    family(out, "atlas_districts", "gauge", "Districts served.");
    out += "atlas_districts " + std::to_string(data.dataset.districts.size()) + "\n";
    family(out, "atlas_services", "gauge", "Services served.");
    out += "atlas_services " + std::to_string(data.dataset.services.size()) + "\n";
    family(out, "atlas_start_time_seconds", "gauge", "When the server started (Unix time).");
    out +=
        "atlas_start_time_seconds " +
        std::to_string(
            std::chrono::duration_cast<std::chrono::seconds>(started_.time_since_epoch()).count()) +
        "\n";
    return out;
}

ApiResponse metrics(const ServedData& data, const ApiRequest& request) {
    if (!request.metrics) throw NotFound("this server keeps no metrics");
    const ServerConfig& server = data.dataset.config.server;
    bool trusted = false;
    if (!server.metrics_public) {
        authorize(server, request.authorization, Access::read);
        trusted = true;
    } else if (!request.authorization.empty()) {
        try {
            authorize(server, request.authorization, Access::read);
            trusted = true;
        } catch (const std::exception&) {
            // A wrong token on a public page is no error: it sees what the public sees.
        }
    }
    return {200,
            "text/plain; version=0.0.4; charset=utf-8",
            request.metrics->exposition(data, trusted),
            {}};
}

}  // namespace atlas::api
