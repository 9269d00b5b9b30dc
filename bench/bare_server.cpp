// The peer for the cached-tile throughput benchmark: a bare Pistache handler that returns the
// bytes of one file, with the same keep-alive handling and thread count as `atlas serve`.
// Usage: bare_server PORT FILE

#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <pistache/router.h>
#include <signal.h>

#include <fstream>
#include <iostream>
#include <sstream>

using namespace Pistache;

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: bare_server PORT FILE\n";
        return 2;
    }
    std::ifstream in(argv[2], std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    const std::string body = bytes.str();
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, nullptr);
    Rest::Router router;
    Rest::Routes::Get(router, "/tile", [&](const Rest::Request&, Http::ResponseWriter response) {
        response.headers().remove<Http::Header::Connection>();
        response.headers().add<Http::Header::Connection>(Http::ConnectionControl::KeepAlive);
        response.headers().add<Http::Header::ContentType>(
            Http::Mime::MediaType::fromString("application/vnd.mapbox-vector-tile"));
        response.send(Http::Code::Ok, body);
        return Rest::Route::Result::Ok;
    });
    Http::Endpoint endpoint(Address("127.0.0.1", Port(static_cast<uint16_t>(std::stoi(argv[1])))));
    endpoint.init(Http::Endpoint::options().threads(2).flags(Tcp::Options::ReuseAddr |
                                                             Tcp::Options::NoDelay));
    endpoint.setHandler(router.handler());
    endpoint.serveThreaded();
    int signal = 0;
    sigwait(&stop, &signal);
    endpoint.shutdown();
    return 0;
}
