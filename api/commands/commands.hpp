#pragma once
// One function per CLI verb; each returns the process exit code.

#include <string>
#include <vector>

namespace atlas::cli {

int serve(const std::vector<std::string>& args);
int check(const std::vector<std::string>& args);
int coverage(const std::vector<std::string>& args);
int tiles(const std::vector<std::string>& args);
int render(const std::vector<std::string>& args);
int report(const std::vector<std::string>& args);
int import_inventory(const std::vector<std::string>& args);

}  // namespace atlas::cli
