#pragma once
// The version history of data replaced at run time (indicator tables, service layers): a
// GeoPackage (SQLite, through GDAL; or PostgreSQL through GDAL's PG driver) holding every uploaded
// version with who, when and what, so that any update can be rolled back. Each addition is one
// SQLite transaction: a process that dies mid-way leaves the previous state.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "atlas/geo/config.hpp"

namespace atlas {

struct StoredVersion {
    std::string name;     // indicator table or service layer id
    int version = 0;      // 1, 2, ... per name
    std::string created;  // ISO 8601, UTC
    std::string who;      // the update token's name
    std::string action;   // "upload", "rollback to 3"
    std::string format;   // file extension of the content: csv, geojson
    std::size_t bytes = 0;
    std::string content;  // empty in history listings
};

class DataStore {
  public:
    // Opens the GeoPackage at `path`, creating it (and its table) when missing; a "PG:..."
    // connection string keeps the history in that PostgreSQL database instead.
    explicit DataStore(std::string path);
    ~DataStore();
    DataStore(const DataStore&) = delete;
    DataStore& operator=(const DataStore&) = delete;

    // Every version of `name`, oldest first, without content.
    std::vector<StoredVersion> history(const std::string& name);
    // One version with content; nullopt when there is none (version 0: the newest).
    std::optional<StoredVersion> version(const std::string& name, int version = 0);
    // Appends a version; returns its number.
    int add(const std::string& name, const std::string& content, const std::string& format,
            const std::string& who, const std::string& action);

    const std::string& path() const { return path_; }

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::string path_;
};

// Points the config's indicator tables and service layers at the newest stored version of each,
// written as files into `folder` (created when needed). Returns the names it replaced.
std::vector<std::string> apply_stored_versions(DatasetConfig& config, DataStore& store,
                                               const std::string& folder);

// Writes `content` beside `path` and renames it into place, so that no reader (and no crash)
// ever sees half a file. Throws Error when it cannot write.
void write_file_atomically(const std::string& path, const std::string& content);

// The dataset name of the structure analysis's inventory document (JSON) in the store.
inline constexpr const char* kInventoryDataset = "inventory";

// The file a config reads for an updatable dataset name; nullptr when no table or layer has it.
std::string* dataset_source(DatasetConfig& config, const std::string& name);

}  // namespace atlas
