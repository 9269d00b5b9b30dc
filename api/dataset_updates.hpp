#pragma once
// Replacing data while serving: PUT /api/datasets/{name} (an indicator table as CSV, a service
// layer as GeoJSON), its version history and rollback. An update is validated completely (the
// checks of `atlas check`), stored as a new version (one SQLite transaction), then swapped in
// whole: a request sees the old data or the new, never a mix.

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "api_types.hpp"
#include "atlas/geo/config.hpp"
#include "atlas/geo/store.hpp"
#include "served_data.hpp"

namespace atlas::api {

// The data the server answers from, replaced whole by an update. Each request takes one
// snapshot and keeps it alive until it has answered.
class DataHolder {
  public:
    explicit DataHolder(std::shared_ptr<const ServedData> data) : data_(std::move(data)) {}
    std::shared_ptr<const ServedData> get() const {
        const std::lock_guard lock(mutex_);
        return data_;
    }
    void set(std::shared_ptr<const ServedData> data) {
        const std::lock_guard lock(mutex_);
        data_ = std::move(data);
    }

  private:
    mutable std::mutex mutex_;
    std::shared_ptr<const ServedData> data_;
};

// What a token allows: reading (when reads are not public; update tokens may read too) or
// changing data (update tokens only).
enum class Access { read, update };

// The name of the token in "Authorization: Bearer <token>". Throws Unauthorized (no token),
// Forbidden (a wrong token, a read token for an update, or no tokens configured). Tokens are
// compared in constant time and never logged.
std::string authorize(const ServerConfig& server, const std::string& authorization, Access access);

class DatasetUpdates {
  public:
    // `config` as the server loaded it (stored versions applied); its store is opened on the
    // first update.
    DatasetUpdates(DatasetConfig config, PublicSettings settings, DataHolder& holder);

    // `replace_all`: the uploader confirms that a service layer may lose most of its points or
    // carry points outside every district (refused otherwise, 409).
    ApiResponse replace(const std::string& name, const std::string& content, const std::string& who,
                        bool replace_all = false);
    ApiResponse history(const std::string& name);
    // Changes the inventory document (never its read-only example entries): `change` edits the
    // stored entries, which are then validated whole, stored as a new version and swapped in.
    // Returns the new data's version.
    ApiResponse edit_inventory(const std::function<void(Inventory&)>& change,
                               const std::string& who, const std::string& action);
    ApiResponse rollback(const std::string& name, int version, const std::string& who);

    const DatasetConfig& config() const { return config_; }
    std::shared_ptr<const ServedData> current() const { return holder_.get(); }

  private:
    // Validates, stores and swaps in; the caller holds update_.
    // `vet` may refuse the loaded data before anything is stored.
    ApiResponse swap_in(const std::string& name, const std::string& content,
                        const std::string& format, const std::string& who,
                        const std::string& action,
                        const std::function<void(const Dataset&)>& vet = {});
    DataStore& store();

    std::mutex update_;
    DatasetConfig config_;
    PublicSettings settings_;
    DataHolder& holder_;
    std::unique_ptr<DataStore> store_;
    unsigned long staged_ = 0;
};

// Route handlers: they find the updater in the request (set by the HTTP edge).
ApiResponse put_dataset(const ServedData& data, const ApiRequest& request);
ApiResponse dataset_versions(const ServedData& data, const ApiRequest& request);
ApiResponse rollback_dataset(const ServedData& data, const ApiRequest& request);

}  // namespace atlas::api
