#pragma once
// Helpers shared by the tests: fixture paths and throw-away folders.

#include <filesystem>
#include <set>
#include <string>

namespace atlas::test {

std::string data_path(const std::string& relative);    // tests/data/<relative>
std::string source_path(const std::string& relative);  // <repository>/<relative>

// A fresh folder under the system temp dir, removed with everything in it on destruction.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    // Writes `content` to <dir>/<name> and returns the full path.
    std::string write(const std::string& name, const std::string& content) const;

  private:
    std::filesystem::path path_;
};

std::string read_file(const std::string& path);

// The shipped Erfurt atlas.toml with its data files and styles as absolute paths, for copies
// in temporary folders (files named in `keep_relative` stay relative).
std::string erfurt_config_with_absolute_paths(const std::set<std::string>& keep_relative = {});

// A temp copy of the Erfurt config that accepts updates with `token` (set in the environment
// variable `env`, named `who` in the version history) and keeps its data store there.
struct EditableErfurt {
    EditableErfurt(const std::string& who, const std::string& env, const std::string& token);
    TempDir dir;
    std::string config;
};

struct CommandResult {
    int status = -1;     // as pclose reports it; 0 = success
    std::string output;  // stdout (add 2>&1 to the command for stderr)
};
// Runs a shell command to completion.
CommandResult run_command(const std::string& command);

}  // namespace atlas::test
