#pragma once
// The HTML encoding of the OGC pages: a plain German page with the attribution.

#include <string>
#include <vector>

namespace atlas::api {

std::string escape_html(const std::string& text);
// JSON text made safe inside a <script> element ("</" cannot end it).
std::string script_safe(std::string json_text);
std::string render_page(const std::string& title, const std::string& body,
                        const std::vector<std::string>& attribution);

}  // namespace atlas::api
