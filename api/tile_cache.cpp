#include "tile_cache.hpp"

#include <cstdio>
#include <stdexcept>

namespace atlas::api {

std::shared_ptr<const CachedTile> TileCache::get(const std::string& key) {
    const std::lock_guard lock(mutex_);
    const auto found = index_.find(key);
    if (found == index_.end()) return nullptr;
    order_.splice(order_.begin(), order_, found->second);
    return found->second->second;
}

void TileCache::put(const std::string& key, std::shared_ptr<const CachedTile> tile) {
    const std::size_t size = tile->bytes() + key.size();
    if (size > max_bytes_) return;
    const std::lock_guard lock(mutex_);
    if (const auto found = index_.find(key); found != index_.end()) {
        bytes_ -= found->second->second->bytes() + key.size();
        order_.erase(found->second);
        index_.erase(found);
    }
    order_.emplace_front(key, std::move(tile));
    index_[key] = order_.begin();
    bytes_ += size;
    while (bytes_ > max_bytes_) {
        const Entry& last = order_.back();
        bytes_ -= last.second->bytes() + last.first.size();
        index_.erase(last.first);
        order_.pop_back();
    }
}

std::size_t TileCache::bytes() const {
    const std::lock_guard lock(mutex_);
    return bytes_;
}

std::size_t TileCache::size() const {
    const std::lock_guard lock(mutex_);
    return order_.size();
}

std::string content_hash(const std::string& data) {
    std::uint64_t hash = 14695981039346656037ull;
    for (unsigned char c : data) {
        hash ^= c;
        hash *= 1099511628211ull;
    }
    char buffer[17];
    std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(hash));
    return buffer;
}

}  // namespace atlas::api
