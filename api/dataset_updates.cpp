#include "dataset_updates.hpp"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "atlas/geo/dataset.hpp"
#include "atlas/geo/error.hpp"
#include "http_errors.hpp"
#include "request_params.hpp"

namespace atlas::api {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

bool same(const std::string& a, const std::string& b) {
    // Constant time for equal lengths: how much of a token matched must not show in timing.
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    for (std::size_t i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
    return diff == 0;
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
}

DatasetUpdates& updater(const ApiRequest& request) {
    if (!request.updates) throw Forbidden("this server does not accept data updates");
    return *request.updates;
}

}  // namespace

std::string authorize(const ServerConfig& server, const std::string& authorization, Access access) {
    if (access == Access::update && server.update_tokens.empty())
        throw Forbidden(
            "data updates are switched off: the config names no [[server.update_tokens]]");
    const std::string prefix = "Bearer ";
    if (authorization.size() <= prefix.size() ||
        authorization.compare(0, prefix.size(), prefix) != 0)
        throw Unauthorized("this needs a bearer token (Authorization: Bearer <token>)");
    const std::string given = authorization.substr(prefix.size());
    // Every token is compared, so the time taken says nothing about which one matched.
    const UpdateToken* writer = nullptr;
    const UpdateToken* reader = nullptr;
    for (const auto& t : server.update_tokens)
        if (same(given, t.token)) writer = &t;
    for (const auto& t : server.read_tokens)
        if (same(given, t.token)) reader = &t;
    if (writer) return writer->name;
    if (reader && access == Access::read) return reader->name;
    if (reader) throw Forbidden("this token may read, not change data");
    throw Forbidden("the token is not valid");
}

DatasetUpdates::DatasetUpdates(DatasetConfig config, PublicSettings settings, DataHolder& holder)
    : config_(std::move(config)), settings_(std::move(settings)), holder_(holder) {
    // Uploads staged by a process that died before it could swap them in: never served, never
    // stored, only taking space.
    std::error_code ignored;
    if (!config_.store_files.empty())
        fs::remove_all(fs::path(config_.store_files) / "staging", ignored);
}

DataStore& DatasetUpdates::store() {
    if (!store_) store_ = std::make_unique<DataStore>(config_.store);
    return *store_;
}

ApiResponse DatasetUpdates::replace(const std::string& name, const std::string& content,
                                    const std::string& who, bool replace_all) {
    const std::unique_lock lock(update_, std::try_to_lock);
    if (!lock.owns_lock()) throw Conflict("another update is running; try again when it is done");
    if (!dataset_source(config_, name))
        throw NotFound("no indicator table or service layer '" + name + "'");
    bool layer = false;
    for (const auto& s : config_.service_layers) layer |= s.id == name;
    const char* format = name == kInventoryDataset ? "json" : layer ? "geojson" : "csv";
    std::function<void(const Dataset&)> vet;
    if (layer && !replace_all) {
        // A layer that loses most of its points, or gains points in no district, is more often
        // a wrong file or a swapped coordinate order than a real change.
        std::size_t before = 0;
        for (const auto& s : holder_.get()->dataset.services) before += s.layer == name;
        vet = [name, before](const Dataset& fresh) {
            std::size_t after = 0, outside = 0;
            for (const auto& s : fresh.services) {
                if (s.layer != name) continue;
                ++after;
                outside += !s.district;
            }
            if (outside > 0 || after * 2 < before) {
                throw Conflict("the upload replaces " + std::to_string(before) + " points of '" +
                               name + "' with " + std::to_string(after) + ", " +
                               std::to_string(outside) +
                               " of them outside every district; if that is meant, send it again "
                               "with ?replace=all");
            }
        };
    }
    return swap_in(name, content, format, who, "upload", vet);
}

ApiResponse DatasetUpdates::rollback(const std::string& name, int version, const std::string& who) {
    const std::unique_lock lock(update_, std::try_to_lock);
    if (!lock.owns_lock()) throw Conflict("another update is running; try again when it is done");
    const auto old = store().version(name, version);
    if (!old) throw NotFound("'" + name + "' has no stored version " + std::to_string(version));
    return swap_in(name, old->content, old->format, who, "rollback to " + std::to_string(version));
}

ApiResponse DatasetUpdates::edit_inventory(const std::function<void(Inventory&)>& change,
                                           const std::string& who, const std::string& action) {
    if (!config_.inventory) throw NotFound("this dataset has no [inventory] configured");
    const std::unique_lock lock(update_, std::try_to_lock);
    if (!lock.owns_lock()) throw Conflict("another update is running; try again when it is done");
    const std::string& file = config_.inventory->file;
    Inventory stored;
    if (fs::exists(file)) {
        std::ifstream in(file, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        stored = inventory_from_json(text.str(), file);
    }
    change(stored);
    const auto current = holder_.get();
    std::vector<std::string> keys, names;
    for (const auto& d : current->dataset.districts) keys.push_back(d.key), names.push_back(d.name);
    validate_inventory(stored, inventory_rules(config_, keys, names), "request");
    return swap_in(kInventoryDataset, inventory_to_json(stored), "json", who, action);
}

ApiResponse DatasetUpdates::history(const std::string& name) {
    json versions = json::array();
    const std::unique_lock lock(update_);
    for (const auto& v : store().history(name)) {
        versions.push_back({{"version", v.version},
                            {"created", v.created},
                            {"who", v.who},
                            {"action", v.action},
                            {"format", v.format},
                            {"bytes", v.bytes}});
    }
    return {200, "application/json", json{{"dataset", name}, {"versions", versions}}.dump(), {}};
}

ApiResponse DatasetUpdates::swap_in(const std::string& name, const std::string& content,
                                    const std::string& format, const std::string& who,
                                    const std::string& action,
                                    const std::function<void(const Dataset&)>& vet) {
    const fs::path folder = config_.store_files;
    fs::create_directories(folder / "staging");
    const fs::path staged =
        folder / "staging" / (name + "-" + std::to_string(++staged_) + "." + format);
    {
        std::ofstream out(staged, std::ios::binary | std::ios::trunc);
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        if (!out.flush()) throw std::runtime_error("cannot stage the upload");
    }
    const std::string shown = name + "." + format + " (upload)";
    DatasetConfig next = config_;
    *dataset_source(next, name) = staged.string();
    std::shared_ptr<const ServedData> fresh;
    try {
        Dataset dataset = load_dataset(next);
        // What `atlas check` only warns about is an error here: a row for no district in an
        // upload is a typo that would silently drop data.
        // At most the first 100 are spelled out: an upload of 160,000 bad rows gets a readable
        // answer, not one of 16 MB.
        constexpr std::size_t kShown = 100;
        std::string errors;
        std::size_t problems = 0;
        for (const auto& e : dataset.report.entries) {
            if (e.severity != ReportEntry::Severity::error && e.topic != "unmatched") continue;
            if (++problems <= kShown) errors += (errors.empty() ? "" : "; ") + e.message;
        }
        if (problems > kShown) {
            errors = "first " + std::to_string(kShown) + " of " + std::to_string(problems) +
                     " problems: " + errors;
        }
        if (!errors.empty()) {
            replace_all(errors, staged.string(), shown);
            throw InputError({"PUT /api/datasets/" + name, {}, {}, {}}, errors);
        }
        if (vet) vet(dataset);
        fresh = prepare_served_data(std::move(dataset), settings_);
    } catch (const InputError& e) {
        fs::remove(staged);
        // Name the upload, not the staging file, wherever the message points.
        InputLocation where = e.where();
        if (where.file == staged.string()) where.file = shown;
        std::string problem = e.problem();
        replace_all(problem, staged.string(), shown);
        throw InputError(where, problem);
    } catch (...) {
        fs::remove(staged);
        throw;
    }
    const int version = store().add(name, content, format, who, action);
    const fs::path current = folder / (name + "." + format);
    fs::rename(staged, current);
    *dataset_source(config_, name) = current.string();
    holder_.set(fresh);
    const json body = {{"dataset", name},
                       {"version", version},
                       {"action", action},
                       {"data_version", fresh->version},
                       {"districts", fresh->dataset.districts.size()},
                       {"indicators", fresh->dataset.indicators.size()},
                       {"services", fresh->dataset.services.size()}};
    return {200, "application/json", body.dump(), {}};
}

ApiResponse put_dataset(const ServedData& data, const ApiRequest& request) {
    DatasetUpdates& u = updater(request);
    const std::string who =
        authorize(data.dataset.config.server, request.authorization, Access::update);
    if (request.body.empty())
        throw BadRequest("the request has no body: send the table (CSV) or layer (GeoJSON)");
    const auto confirm = request.query.find("replace");
    if (confirm != request.query.end() && confirm->second != "all")
        throw BadRequest("parameter 'replace' can only be 'all'");
    return u.replace(request.params.at("name"), request.body, who, confirm != request.query.end());
}

ApiResponse dataset_versions(const ServedData& data, const ApiRequest& request) {
    DatasetUpdates& u = updater(request);
    authorize(data.dataset.config.server, request.authorization, Access::update);
    return u.history(request.params.at("name"));
}

ApiResponse rollback_dataset(const ServedData& data, const ApiRequest& request) {
    DatasetUpdates& u = updater(request);
    const std::string who =
        authorize(data.dataset.config.server, request.authorization, Access::update);
    const auto version = integer_parameter(request, "version", 1);
    if (!version) throw BadRequest("parameter 'version' is required");
    return u.rollback(request.params.at("name"), *version, who);
}

}  // namespace atlas::api
