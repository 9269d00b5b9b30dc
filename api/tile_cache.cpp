#include "tile_cache.hpp"

#include <zlib.h>

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

std::string gzip(const std::string& data) {
    z_stream stream{};
    // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
    if (deflateInit2(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        throw std::runtime_error("zlib: deflateInit2 failed");
    }
    std::string out(deflateBound(&stream, data.size()) + 32, '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    const int result = deflate(&stream, Z_FINISH);
    deflateEnd(&stream);
    if (result != Z_STREAM_END) throw std::runtime_error("zlib: deflate did not finish");
    out.resize(stream.total_out);
    return out;
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
