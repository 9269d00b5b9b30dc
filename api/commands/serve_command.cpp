#include <pthread.h>

#include <csignal>
#include <filesystem>
#include <iostream>

#include "atlas/geo/config.hpp"
#include "atlas/geo/dataset.hpp"
#include "atlas/geo/store.hpp"
#include "commands/cli_args.hpp"
#include "commands/commands.hpp"
#include "dataset_updates.hpp"
#include "http_server.hpp"

namespace atlas::cli {

int serve(const std::vector<std::string>& words) {
    const Args args(words, {"config", "host", "port", "threads"});
    api::ServerOptions options;
    options.host = args.get_or("host", options.host);
    options.port = static_cast<std::uint16_t>(args.integer("port", options.port, 0, 65535));
    options.threads = static_cast<int>(args.integer("threads", options.threads, 1, 256));

    const std::string config_file = config_path(args);
    std::cerr << "atlas: loading " << config_file << "\n";
    DatasetConfig config = load_config(config_file);
    // Data updated over HTTP earlier is current: the store's newest versions replace the files.
    if (config.store.starts_with("PG:") || std::filesystem::exists(config.store)) {
        DataStore store(config.store);
        for (const auto& name : apply_stored_versions(config, store, config.store_files))
            std::cerr << "atlas: '" << name << "' from the data store " << config.store << "\n";
    }
    const api::PublicSettings settings{
        config.server.public_base_url, config.server.trust_forwarded_headers,
        config.server.cors_origin,     config.server.tile_cache_mb << 20,
        config.server.cache_control,   config.server.public_read};
    auto data = api::prepare_served_data(load_dataset(config), settings);
    for (const auto& entry : data->dataset.report.entries) {
        if (entry.severity != ReportEntry::Severity::info)
            std::cerr << "atlas: note: " << entry.message << "\n";
    }

    // Block the stop signals in every thread Pistache will start, then wait for them here.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    const std::string dataset_id = data->dataset.config.id;
    // The holder owns the start-up data alone, so the first update frees it.
    api::DataHolder holder(std::move(data));
    api::DatasetUpdates updates(config, settings, holder);
    api::HttpServer server(holder, options, &updates);
    const auto port = server.start();
    std::cout << "District Atlas serving '" << dataset_id << "' on http://" << options.host << ":"
              << port << "/" << std::endl;

    int signal = 0;
    do {
        sigwait(&stop_signals, &signal);
    } while (signal == SIGPIPE);
    std::cerr << "atlas: stopping (signal " << signal << ")\n";
    server.stop();
    return 0;
}

}  // namespace atlas::cli
