#pragma once
// The HTTP edge: routes requests to the core's prepared data. Knows Pistache; the core does not.

#include <cstdint>
#include <memory>
#include <string>

#include "served_data.hpp"

namespace atlas::api {

struct ServerOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;  // 0: let the kernel choose
    int threads = 2;
};

class DataHolder;
class DatasetUpdates;

class HttpServer {
  public:
    // Answers from whatever `data` holds at each request; `updates` (optional) serves
    // PUT /api/datasets. Both must outlive the server.
    HttpServer(DataHolder& data, ServerOptions options, DatasetUpdates* updates = nullptr);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Starts serving on background threads; returns the bound port.
    std::uint16_t start();
    void stop();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace atlas::api
