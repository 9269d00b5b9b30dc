#pragma once
// Operational metrics in the Prometheus text format (GET /metrics): requests by route and
// status, latency histograms, refused requests, tile cache use, data version and updates.

#include <array>
#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "api_types.hpp"
#include "served_data.hpp"

namespace atlas::api {

class Metrics {
  public:
    static constexpr std::array<double, 8> kBuckets = {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5};

    // One answered request: the route pattern (not the concrete path, so labels stay few).
    void observe(const std::string& route, int status, std::chrono::duration<double> took);
    // Prometheus exposition of everything observed plus the state of `data`; answers 401/403
    // only for a trusted (token-holding) reader.
    std::string exposition(const ServedData& data, bool with_auth_failures) const;

  private:
    struct Histogram {
        std::array<unsigned long, kBuckets.size()> below{};
        unsigned long count = 0;
        double sum = 0;
    };
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, int>, unsigned long> requests_;
    std::map<std::string, Histogram> latency_;
    std::chrono::system_clock::time_point started_ = std::chrono::system_clock::now();
};

// GET /metrics
ApiResponse metrics(const ServedData& data, const ApiRequest& request);

}  // namespace atlas::api
