#include "http_server.hpp"

#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <pistache/router.h>

#include <charconv>
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>

#include "atlas/geo/error.hpp"
#include "dataset_updates.hpp"
#include "http_errors.hpp"
#include "metrics.hpp"
#include "routes.hpp"
#include "worker_pool.hpp"

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

// Pistache 0.0.5 writes only typed headers into responses (raw ones are dropped), and its
// typed headers have compile-time names: this one carries any name and value.
class NamedHeader : public Http::Header::Header {
  public:
    NamedHeader(std::string name, std::string value)
        : name_(std::move(name)), value_(std::move(value)) {}
    const char* name() const override { return name_.c_str(); }
    void parse(const std::string& data) override { value_ = data; }
    void write(std::ostream& stream) const override { stream << value_; }
#ifdef SAFE_HEADER_CAST
    uint64_t hash() const override {
        return std::hash<std::string>{}(name_);
    }
#endif

  private:
    std::string name_;
    std::string value_;
};

void add_header(Http::ResponseWriter& response, std::string name, std::string value) {
    response.headers().add(std::make_shared<NamedHeader>(std::move(name), std::move(value)));
}

// Sends without looking at the request again, so it also works from a worker thread after the
// keep-alive header has been settled on the I/O thread.
// `head`: a HEAD request gets the GET answer's status and headers without its body. Pistache
// 0.0.5 always writes its own Content-Length (0 here) and refuses a second one, so that one
// header differs from the GET answer.
void send_response(Http::ResponseWriter& response, const ApiResponse& result, bool head = false) {
    for (const auto& [name, value] : result.headers) add_header(response, name, value);
    response.headers().add<Http::Header::ContentType>(
        Http::Mime::MediaType::fromString(result.content_type));
    response.send(static_cast<Http::Code>(result.status), head ? std::string() : result.body);
}

ApiResponse error_response(std::exception_ptr error) {
    const HttpError e = to_http_error(error);
    ApiResponse r{e.status, "application/json", error_body(e), {}};
    if (e.status == 401) r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"atlas\"");
    return r;
}

void send_error(const Rest::Request& request, Http::ResponseWriter& response,
                std::exception_ptr error) {
    keep_alive_unless_closed(request, response);
    send_response(response, error_response(error), request.method() == Http::Method::Head);
}

using Handler = std::function<void(const Rest::Request&, Http::ResponseWriter&)>;

// Every route goes through here: the CORS header is added and exceptions become JSON errors,
// in one place.
Rest::Route::Handler guarded(Handler handler, std::string cors_origin) {
    return [handler = std::move(handler), cors_origin = std::move(cors_origin)](
               const Rest::Request& request, Http::ResponseWriter response) {
        if (!cors_origin.empty()) {
            add_header(response, "Access-Control-Allow-Origin", cors_origin);
        }
        try {
            handler(request, response);
        } catch (...) {
            send_error(request, response, std::current_exception());
        }
        return Rest::Route::Result::Ok;
    };
}

std::string header_value(const Rest::Request& request, const std::string& name) {
    const auto raw = request.headers().tryGetRaw(name);
    return raw ? raw->value() : std::string();
}

// Query values as the client meant them: Pistache hands them over still percent-encoded.
std::string percent_decode(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() &&
            std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
            out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += text[i] == '+' ? ' ' : text[i];
        }
    }
    return out;
}

// The public URL of the service root: configured, or from the proxy's X-Forwarded-* headers
// when trusted, or from the Host header.
std::string base_url(const Rest::Request& request, const PublicSettings& settings) {
    if (!settings.base_url.empty()) return settings.base_url;
    std::string proto = "http", host = header_value(request, "Host"), prefix;
    if (settings.trust_forwarded_headers) {
        if (auto p = header_value(request, "X-Forwarded-Proto"); !p.empty())
            proto = p.substr(0, p.find(','));
        if (auto h = header_value(request, "X-Forwarded-Host"); !h.empty())
            host = h.substr(0, h.find(','));
        prefix = header_value(request, "X-Forwarded-Prefix");
        while (prefix.ends_with('/')) prefix.pop_back();
    }
    if (host.empty()) host = "localhost";
    return proto + "://" + host + prefix;
}

std::vector<std::string> path_parameters(const std::string& route) {
    std::vector<std::string> names;
    for (std::size_t i = route.find(':'); i != std::string::npos; i = route.find(':', i + 1)) {
        names.push_back(route.substr(i + 1, route.find('/', i) - i - 1));
    }
    return names;
}

}  // namespace

constexpr std::size_t kMaxUploadBytes = 16u << 20;

struct HttpServer::Impl {
    Metrics metrics;
    DataHolder* holder = nullptr;
    DatasetUpdates* updates = nullptr;
    ServerOptions options;
    std::unique_ptr<Http::Endpoint> endpoint;
    std::unique_ptr<WorkerPool> workers;
    Rest::Router router;

    void answer(const RouteSpec& route, const std::vector<std::string>& names,
                const Rest::Request& request, Http::ResponseWriter& response, bool head) {
        // One snapshot per request: an update swapping the data meanwhile does not mix versions.
        const std::shared_ptr<const ServedData> data = holder->get();
        ApiRequest api;
        for (const auto& name : names)
            api.params[name] = percent_decode(request.param(":" + name).as<std::string>());
        const auto& query = request.query();
        for (auto it = query.parameters_begin(); it != query.parameters_end(); ++it) {
            api.query[percent_decode(it->first)] = percent_decode(it->second);
        }
        api.base_url = base_url(request, data->settings);
        api.accept = header_value(request, "Accept");
        api.accept_encoding = header_value(request, "Accept-Encoding");
        api.if_none_match = header_value(request, "If-None-Match");
        api.authorization = header_value(request, "Authorization");
        api.body = request.body();
        api.updates = updates;
        api.metrics = &metrics;
        keep_alive_unless_closed(request, response);
        const auto started = std::chrono::steady_clock::now();
        const auto answered = [this, &route, started](const ApiResponse& r) {
            metrics.observe(route.path, r.status, std::chrono::steady_clock::now() - started);
        };
        ApiResponse result;
        try {
            if (!data->settings.public_read && route.method == "GET")
                authorize(data->dataset.config.server, api.authorization, Access::read);
            std::optional<ApiResponse> quick;
            if (!route.heavy) {
                quick = route.handler(*data, api);
            } else if (route.fast_path) {
                quick = route.fast_path(*data, api);
            }
            if (!quick) {
                run_in_pool(route, data, std::move(api), std::move(response), answered, head);
                return;
            }
            result = std::move(*quick);
        } catch (...) {
            result = error_response(std::current_exception());
        }
        answered(result);
        send_response(response, result, head);
    }

    template <typename Answered>
    void run_in_pool(const RouteSpec& route, std::shared_ptr<const ServedData> served,
                     ApiRequest api, Http::ResponseWriter response, Answered answered, bool head) {
        auto writer = std::make_shared<Http::ResponseWriter>(std::move(response));
        // The task keeps its data version alive, even across an update.
        const bool queued =
            workers->submit([&route, served, writer, answered, head, api = std::move(api)] {
                ApiResponse result;
                try {
                    result = route.handler(*served, api);
                } catch (...) {
                    result = error_response(std::current_exception());
                }
                answered(result);
                try {
                    send_response(*writer, result, head);
                } catch (const std::exception&) {
                    // The client went away while we worked; nothing is left to answer.
                }
            });
        if (!queued) {
            const ApiResponse busy = error_response(
                std::make_exception_ptr(Unavailable("the server is busy; try again in a moment")));
            answered(busy);
            send_response(*writer, busy);
        }
    }

    void setup_routes() {
        const std::string cors = holder->get()->settings.cors_origin;
        for (const auto& route : route_table()) {
            const auto names = path_parameters(route.path);
            auto handler = guarded(
                [this, &route, names](const Rest::Request& request,
                                      Http::ResponseWriter& response) {
                    answer(route, names, request, response, request.method() == Http::Method::Head);
                },
                cors);
            if (route.method == "PUT") {
                Rest::Routes::Put(router, route.path, handler);
            } else if (route.method == "POST") {
                Rest::Routes::Post(router, route.path, handler);
            } else if (route.method == "DELETE") {
                Rest::Routes::Delete(router, route.path, handler);
            } else {
                Rest::Routes::Get(router, route.path, handler);
                Rest::Routes::Head(router, route.path, handler);
            }
        }
        router.addNotFoundHandler(guarded(
            [](const Rest::Request& request, Http::ResponseWriter&) {
                throw NotFound("no resource at " + request.resource());
            },
            cors));
    }
};

HttpServer::HttpServer(DataHolder& data, ServerOptions options, DatasetUpdates* updates)
    : impl_(std::make_unique<Impl>()) {
    impl_->holder = &data;
    impl_->updates = updates;
    impl_->options = std::move(options);
}

HttpServer::~HttpServer() {
    stop();
}

std::uint16_t HttpServer::start() {
    Address address(impl_->options.host, Port(impl_->options.port));
    impl_->endpoint = std::make_unique<Http::Endpoint>(address);
    // Bounded for uploads of indicator tables and service layers (PUT /api/datasets); Pistache
    // spins on bodies far above its limit (upstream #1190), so a proxy in front should reject
    // larger ones early.
    auto opts = Http::Endpoint::options()
                    .threads(impl_->options.threads)
                    .flags(Tcp::Options::ReuseAddr | Tcp::Options::NoDelay)
                    .maxRequestSize(kMaxUploadBytes);
    impl_->endpoint->init(opts);
    impl_->setup_routes();
    impl_->endpoint->setHandler(impl_->router.handler());
    impl_->workers =
        std::make_unique<WorkerPool>(static_cast<unsigned>(impl_->options.threads), 256);
    impl_->endpoint->serveThreaded();
    return static_cast<std::uint16_t>(impl_->endpoint->getPort());
}

void HttpServer::stop() {
    if (!impl_) return;
    // Finish what the workers hold first: they still write to open connections.
    if (impl_->workers) impl_->workers->stop();
    if (impl_->endpoint) {
        impl_->endpoint->shutdown();
        impl_->endpoint.reset();
    }
    impl_->workers.reset();
}

}  // namespace atlas::api
