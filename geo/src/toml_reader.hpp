#pragma once
// Private: typed reading of TOML tables with errors that name file, line and key.

#include <toml++/toml.h>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "atlas/geo/error.hpp"

namespace atlas {

namespace fs = std::filesystem;

// Reads typed keys of one TOML table and names the key on every error.
class TableReader {
  public:
    TableReader(const toml::table& table, std::string file, std::string prefix)
        : table_(table), file_(std::move(file)), prefix_(std::move(prefix)) {}

    std::string text(std::string_view key, bool required = true, std::string fallback = {}) const {
        const toml::node* node = table_.get(key);
        if (!node) {
            if (required) fail(key, table_.source(), "is required but missing");
            return fallback;
        }
        if (!node->is_string()) fail(key, node->source(), "must be a string");
        return std::string(node->as_string()->get());
    }

    double number(std::string_view key, double fallback) const {
        const toml::node* node = table_.get(key);
        if (!node) return fallback;
        if (auto v = node->value<double>()) return *v;
        fail(key, node->source(), "must be a number");
    }

    // A whole number; nullopt when the key is absent.
    std::optional<int> integer(std::string_view key) const {
        const toml::node* node = table_.get(key);
        if (!node) return std::nullopt;
        if (auto v = node->value<std::int64_t>();
            v && node->is_integer() && *v > INT32_MIN && *v < INT32_MAX) {
            return static_cast<int>(*v);
        }
        fail(key, node->source(), "must be a whole number");
    }

    bool boolean(std::string_view key, bool fallback) const {
        const toml::node* node = table_.get(key);
        if (!node) return fallback;
        if (!node->is_boolean()) fail(key, node->source(), "must be true or false");
        return node->as_boolean()->get();
    }

    std::vector<std::string> texts(std::string_view key) const {
        std::vector<std::string> out;
        const toml::node* node = table_.get(key);
        if (!node) return out;
        const toml::array* array = node->as_array();
        if (!array) fail(key, node->source(), "must be an array of strings");
        for (const auto& item : *array) {
            if (!item.is_string()) fail(key, item.source(), "must be an array of strings");
            out.emplace_back(item.as_string()->get());
        }
        return out;
    }

    const toml::array* tables(std::string_view key) const {
        const toml::node* node = table_.get(key);
        if (!node) return nullptr;
        if (!node->is_array_of_tables()) fail(key, node->source(), "must be an array of tables");
        return node->as_array();
    }

    const toml::table* table(std::string_view key, bool required) const {
        const toml::node* node = table_.get(key);
        if (!node) {
            if (required) fail(key, table_.source(), "section is required but missing");
            return nullptr;
        }
        if (!node->is_table()) fail(key, node->source(), "must be a table");
        return node->as_table();
    }

    std::string path(std::string_view key, const fs::path& base, bool required = true) const {
        const auto value = text(key, required);
        if (value.empty() || value.starts_with("PG:") || fs::path(value).is_absolute())
            return value;
        return (base / value).lexically_normal().string();
    }

    [[noreturn]] void fail(std::string_view key, const toml::source_region& where,
                           const std::string& problem) const {
        std::optional<std::int64_t> line;
        if (where.begin.line > 0) line = where.begin.line;
        throw InputError({file_, line, {}, prefix_ + std::string(key)}, problem);
    }

    const std::string& file() const { return file_; }

  private:
    const toml::table& table_;
    std::string file_;
    std::string prefix_;
};

}  // namespace atlas
