#pragma once
// Command-line options of the `atlas` verbs: "--name value" pairs after the verb.

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace atlas::cli {

class Args {
  public:
    // Throws UsageError for an option not in `known` or one without its value.
    Args(const std::vector<std::string>& words, const std::set<std::string>& known);

    std::optional<std::string> get(const std::string& name) const;
    std::string get_or(const std::string& name, const std::string& fallback) const;
    long integer(const std::string& name, long fallback, long min, long max) const;

  private:
    std::map<std::string, std::string> values_;
};

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The config to use: --config, else shapes/erfurt/atlas.toml below the working directory,
// else the one in the source tree this binary was built from.
std::string config_path(const Args& args);

}  // namespace atlas::cli
