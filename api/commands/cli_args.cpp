#include "commands/cli_args.hpp"

#include <charconv>
#include <filesystem>
#include <stdexcept>

namespace atlas::cli {

Args::Args(const std::vector<std::string>& words, const std::set<std::string>& known) {
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::string& word = words[i];
        // "-o" is the one short option (output file, as the contract spells it).
        const std::string name = word == "-o" ? "o" : word.starts_with("--") ? word.substr(2) : "";
        if (name.empty() || !known.contains(name))
            throw UsageError("unknown option '" + word + "'");
        if (i + 1 >= words.size()) throw UsageError("option '" + word + "' needs a value");
        values_[name] = words[++i];
    }
}

std::optional<std::string> Args::get(const std::string& name) const {
    const auto it = values_.find(name);
    if (it == values_.end()) return std::nullopt;
    return it->second;
}

std::string Args::get_or(const std::string& name, const std::string& fallback) const {
    return get(name).value_or(fallback);
}

long Args::integer(const std::string& name, long fallback, long min, long max) const {
    const auto raw = get(name);
    if (!raw) return fallback;
    long value = 0;
    const auto [end, ec] = std::from_chars(raw->data(), raw->data() + raw->size(), value);
    if (ec != std::errc() || end != raw->data() + raw->size() || value < min || value > max) {
        throw UsageError("--" + name + " must be a whole number from " + std::to_string(min) +
                         " to " + std::to_string(max) + ", not '" + *raw + "'");
    }
    return value;
}

std::string config_path(const Args& args) {
    if (auto given = args.get("config")) return *given;
    const std::string relative = "shapes/erfurt/atlas.toml";
    if (std::filesystem::exists(relative)) return relative;
    return std::string(ATLAS_SOURCE_DIR) + "/" + relative;
}

}  // namespace atlas::cli
