#pragma once
// An in-memory LRU cache of encoded tiles, bounded in bytes. Thread-safe: handlers of all
// I/O threads share it.

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace atlas::api {

struct CachedTile {
    std::string body;  // the MVT bytes
    std::string gzip;  // the same, gzip-compressed
    std::string etag;  // strong: data version + content hash
    std::size_t bytes() const { return body.size() + gzip.size() + etag.size(); }
};

class TileCache {
  public:
    explicit TileCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

    std::shared_ptr<const CachedTile> get(const std::string& key);
    // Inserts and evicts the least recently used tiles until the bound holds again. A tile
    // larger than the whole bound is not kept.
    void put(const std::string& key, std::shared_ptr<const CachedTile> tile);

    std::size_t bytes() const;
    std::size_t max_bytes() const { return max_bytes_; }
    std::size_t size() const;

  private:
    using Entry = std::pair<std::string, std::shared_ptr<const CachedTile>>;
    mutable std::mutex mutex_;
    std::list<Entry> order_;  // most recent first
    std::unordered_map<std::string, std::list<Entry>::iterator> index_;
    std::size_t bytes_ = 0;
    std::size_t max_bytes_;
};

// FNV-1a 64 as 16 hex digits: content hashes for ETags.
std::string content_hash(const std::string& data);

}  // namespace atlas::api
