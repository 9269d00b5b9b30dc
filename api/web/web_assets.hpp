#pragma once
// The web page's static files: our own (api/web/) and MapLibre GL JS from npm
// (node_modules/maplibre-gl/dist/), read once and served from memory with gzip, so the page
// works without internet.

#include <map>
#include <string>

#include "api_types.hpp"
#include "served_data.hpp"

namespace atlas::api {

struct Asset {
    std::string content_type;
    std::string body;
    std::string gzip;
};

class WebAssets {
  public:
    // Reads the files below `root` (the folder holding api/web and node_modules).
    explicit WebAssets(const std::string& root);

    // The assets of this installation: $ATLAS_WEB_ROOT, else the working directory if it holds
    // api/web, else the source tree the binary was built from.
    static const WebAssets& installed();

    const Asset* find(const std::string& name) const;
    // Empty when every file was found; otherwise what is missing and how to get it.
    const std::string& problem() const { return problem_; }

  private:
    std::map<std::string, Asset, std::less<>> assets_;
    std::string problem_;
};

// GET /assets/{file}
ApiResponse asset(const ServedData& data, const ApiRequest& request);

}  // namespace atlas::api
