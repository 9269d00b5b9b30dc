#include "support.hpp"

#include <stdlib.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace atlas::test {

std::string data_path(const std::string& relative) {
    return std::string(ATLAS_TEST_DATA) + "/" + relative;
}

std::string source_path(const std::string& relative) {
    return std::string(ATLAS_SOURCE_DIR) + "/" + relative;
}

TempDir::TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "atlas-test-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

std::string TempDir::write(const std::string& name, const std::string& content) const {
    const auto file = path_ / name;
    std::ofstream(file, std::ios::binary) << content;
    return file.string();
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

CommandResult run_command(const std::string& command) {
    CommandResult result;
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return result;
    char buffer[4096];
    while (std::fgets(buffer, sizeof buffer, pipe)) result.output += buffer;
    result.status = pclose(pipe);
    return result;
}

std::string erfurt_config_with_absolute_paths(const std::set<std::string>& keep_relative) {
    std::string config = read_file(source_path("shapes/erfurt/atlas.toml"));
    const std::string shapes = source_path("shapes/erfurt/");
    for (const char* file :
         {"stadtteile.geojson", "einwohner_amtlich.csv", "auslaender_amtlich.csv",
          "modell_indikatoren.csv", "dienste_osm.geojson", "inventar.json",
          "inventar_beispiel.json", "zensus2011_gitter.csv", "haltestellen.csv"}) {
        if (keep_relative.contains(file)) continue;
        const std::string quoted = std::string("\"") + file + "\"";
        for (auto at = config.find(quoted); at != std::string::npos; at = config.find(quoted, at))
            config.replace(at, quoted.size(), "\"" + shapes + file + "\"");
    }
    const std::string styles = "\"../../styles\"";
    config.replace(config.find(styles), styles.size(), "\"" + source_path("styles") + "\"");
    return config;
}

EditableErfurt::EditableErfurt(const std::string& who, const std::string& env,
                               const std::string& token) {
    setenv(env.c_str(), token.c_str(), 1);
    config = dir.write("atlas.toml", erfurt_config_with_absolute_paths() +
                                         "\n[server]\n[[server.update_tokens]]\nname = \"" + who +
                                         "\"\nenv = \"" + env + "\"\n");
}

}  // namespace atlas::test
