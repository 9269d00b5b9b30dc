#include "web/web_assets.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "atlas/geo/error.hpp"
#include "atlas/geo/mvt.hpp"
#include "request_params.hpp"

namespace atlas::api {

namespace {

namespace fs = std::filesystem;

struct AssetFile {
    const char* name;  // in the URL
    const char* path;  // below the root
    const char* content_type;
};

constexpr AssetFile kFiles[] = {
    {"atlas.js", "api/web/atlas.js", "text/javascript; charset=utf-8"},
    {"atlas.css", "api/web/atlas.css", "text/css; charset=utf-8"},
    {"struktur.js", "api/web/struktur.js", "text/javascript; charset=utf-8"},
    {"basemap.js", "api/web/basemap.js", "text/javascript; charset=utf-8"},
    {"cytoscape.mjs", "node_modules/cytoscape/dist/cytoscape.esm.min.mjs",
     "text/javascript; charset=utf-8"},
    {"maplibre-gl.mjs", "node_modules/maplibre-gl/dist/maplibre-gl.mjs",
     "text/javascript; charset=utf-8"},
    {"maplibre-gl-worker.mjs", "node_modules/maplibre-gl/dist/maplibre-gl-worker.mjs",
     "text/javascript; charset=utf-8"},
    {"maplibre-gl.css", "node_modules/maplibre-gl/dist/maplibre-gl.css", "text/css; charset=utf-8"},
};

}  // namespace

WebAssets::WebAssets(const std::string& root) {
    for (const auto& file : kFiles) {
        const fs::path path = fs::path(root) / file.path;
        std::ifstream in(path, std::ios::binary);
        if (!in) {
            problem_ += (problem_.empty() ? "" : "; ") + path.string() + " is missing";
            continue;
        }
        std::ostringstream body;
        body << in.rdbuf();
        Asset a{file.content_type, body.str(), ""};
        a.gzip = atlas::gzip(a.body);
        assets_.emplace(file.name, std::move(a));
    }
    if (!problem_.empty()) problem_ += " (scripts/install-deps.sh installs the npm packages)";
}

const WebAssets& WebAssets::installed() {
    static const WebAssets assets([] {
        if (const char* root = std::getenv("ATLAS_WEB_ROOT")) return std::string(root);
        if (fs::exists("api/web/atlas.js")) return fs::current_path().string();
        return std::string(ATLAS_SOURCE_DIR);
    }());
    return assets;
}

const Asset* WebAssets::find(const std::string& name) const {
    const auto found = assets_.find(name);
    return found == assets_.end() ? nullptr : &found->second;
}

ApiResponse asset(const ServedData&, const ApiRequest& request) {
    const std::string& name = request.params.at("file");
    const Asset* a = WebAssets::installed().find(name);
    if (!a) throw NotFound("no asset '" + name + "'");
    ApiResponse r{200,
                  a->content_type,
                  a->body,
                  {{"Cache-Control", "public, max-age=3600"}, {"Vary", "Accept-Encoding"}}};
    if (accepts_gzip(request.accept_encoding)) {
        r.body = a->gzip;
        r.headers.emplace_back("Content-Encoding", "gzip");
    }
    return r;
}

}  // namespace atlas::api
