#include "http_server.hpp"

#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <pistache/router.h>

#include <charconv>
#include <nlohmann/json.hpp>

#include "atlas/geo/error.hpp"
#include "http_errors.hpp"

namespace atlas::api {

namespace {

using namespace Pistache;
using nlohmann::json;

// Pistache 0.0.5 answers "Connection: Close" when a request has no Connection header, which
// makes HTTP/1.1 clients (curl, wrk, GDAL) reconnect for every request. HTTP/1.1 means
// keep-alive unless the client says close, so say so explicitly.
void keep_alive_unless_closed(const Rest::Request& request, Http::ResponseWriter& response) {
    if (request.version() != Http::Version::Http11) return;
    const auto connection = request.headers().tryGet<Http::Header::Connection>();
    if (connection && connection->control() == Http::ConnectionControl::Close) return;
    response.headers().remove<Http::Header::Connection>();
    response.headers().add<Http::Header::Connection>(Http::ConnectionControl::KeepAlive);
}

void send(const Rest::Request& request, Http::ResponseWriter& response, Http::Code code,
          const std::string& body, const std::string& content_type) {
    keep_alive_unless_closed(request, response);
    response.headers().add<Http::Header::ContentType>(
        Http::Mime::MediaType::fromString(content_type));
    response.send(code, body);
}

void send_error(const Rest::Request& request, Http::ResponseWriter& response,
                const HttpError& error) {
    send(request, response, static_cast<Http::Code>(error.status), error_body(error),
         "application/json");
}

using Handler = std::function<void(const Rest::Request&, Http::ResponseWriter&)>;

// Every route goes through here: exceptions become JSON errors in one place.
Rest::Route::Handler guarded(Handler handler) {
    return [handler = std::move(handler)](const Rest::Request& request,
                                          Http::ResponseWriter response) {
        try {
            handler(request, response);
        } catch (...) {
            send_error(request, response, to_http_error(std::current_exception()));
        }
        return Rest::Route::Result::Ok;
    };
}

std::optional<int> year_parameter(const Rest::Request& request) {
    const auto raw = request.query().get("year");
    if (!raw) return std::nullopt;
    int year = 0;
    const auto [end, ec] = std::from_chars(raw->data(), raw->data() + raw->size(), year);
    if (ec != std::errc() || end != raw->data() + raw->size()) {
        throw BadRequest("parameter 'year' must be a whole number, not '" + *raw + "'");
    }
    return year;
}

}  // namespace

struct HttpServer::Impl {
    std::shared_ptr<const ServedData> data;
    ServerOptions options;
    std::unique_ptr<Http::Endpoint> endpoint;
    Rest::Router router;

    void health(const Rest::Request& request, Http::ResponseWriter& response) {
        const Dataset& ds = data->dataset;
        json body = {{"status", "ok"},
                     {"dataset", ds.config.id},
                     {"districts", ds.districts.size()},
                     {"services", ds.services.size()},
                     {"indicators", ds.indicators.size()},
                     {"years", ds.years()},
                     {"default_year", data->default_year}};
        send(request, response, Http::Code::Ok, body.dump(), "application/json");
    }

    void district_items(const Rest::Request& request, Http::ResponseWriter& response) {
        const int year = year_parameter(request).value_or(data->default_year);
        const auto found = data->districts_geojson.find(year);
        if (found == data->districts_geojson.end()) {
            throw NotFound("no indicator data for year " + std::to_string(year));
        }
        send(request, response, Http::Code::Ok, found->second, "application/geo+json");
    }

    void coverage(const Rest::Request& request, Http::ResponseWriter& response) {
        std::string field = request.param(":field").as<std::string>();
        const bool csv = field.ends_with(".csv");
        if (csv) field.resize(field.size() - 4);
        const auto& table = csv ? data->coverage_csv : data->coverage_json;
        const auto found = table.find(field);
        if (found == table.end()) {
            if (!data->coverage) throw NotFound("this dataset has no [coverage] configured");
            throw NotFound("no Handlungsfeld or service category '" + field + "'");
        }
        send(request, response, Http::Code::Ok, found->second,
             csv ? "text/csv; charset=utf-8" : "application/json");
    }

    void grid_items(const Rest::Request& request, Http::ResponseWriter& response) {
        if (!data->coverage)
            throw NotFound("this dataset has no [coverage] configured, so no grid");
        send(request, response, Http::Code::Ok, data->grid_geojson, "application/geo+json");
    }

    void setup_routes() {
        using std::placeholders::_1;
        using std::placeholders::_2;
        Rest::Routes::Get(router, "/health", guarded(std::bind(&Impl::health, this, _1, _2)));
        Rest::Routes::Get(router, "/ogc/collections/districts/items",
                          guarded(std::bind(&Impl::district_items, this, _1, _2)));
        Rest::Routes::Get(router, "/ogc/collections/grid/items",
                          guarded(std::bind(&Impl::grid_items, this, _1, _2)));
        Rest::Routes::Get(router, "/api/coverage/:field",
                          guarded(std::bind(&Impl::coverage, this, _1, _2)));
        router.addNotFoundHandler(guarded([](const Rest::Request& request, Http::ResponseWriter&) {
            throw NotFound("no resource at " + request.resource());
        }));
    }
};

HttpServer::HttpServer(std::shared_ptr<const ServedData> data, ServerOptions options)
    : impl_(std::make_unique<Impl>()) {
    impl_->data = std::move(data);
    impl_->options = std::move(options);
}

HttpServer::~HttpServer() {
    stop();
}

std::uint16_t HttpServer::start() {
    Address address(impl_->options.host, Port(impl_->options.port));
    impl_->endpoint = std::make_unique<Http::Endpoint>(address);
    // Requests are small (GET, later bounded uploads): a modest limit keeps Pistache from
    // spinning on oversized bodies (upstream #1190).
    auto opts = Http::Endpoint::options()
                    .threads(impl_->options.threads)
                    .flags(Tcp::Options::ReuseAddr | Tcp::Options::NoDelay)
                    .maxRequestSize(64 * 1024);
    impl_->endpoint->init(opts);
    impl_->setup_routes();
    impl_->endpoint->setHandler(impl_->router.handler());
    impl_->endpoint->serveThreaded();
    return static_cast<std::uint16_t>(impl_->endpoint->getPort());
}

void HttpServer::stop() {
    if (impl_ && impl_->endpoint) {
        impl_->endpoint->shutdown();
        impl_->endpoint.reset();
    }
}

}  // namespace atlas::api
