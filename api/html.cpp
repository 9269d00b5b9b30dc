#include "html.hpp"

#include "atlas/geo/style_formats.hpp"

namespace atlas::api {

std::string script_safe(std::string text) {
    for (std::size_t at = text.find("</"); at != std::string::npos; at = text.find("</", at))
        text.replace(at, 2, "<\\/");
    return text;
}

std::string escape_html(const std::string& text) {
    return escape_xml(text);
}

std::string render_page(const std::string& title, const std::string& body,
                        const std::vector<std::string>& attribution) {
    std::string out =
        "<!doctype html>\n<html lang=\"de\"><head><meta charset=\"utf-8\"><title>" +
        escape_html(title) +
        "</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:2px "
        "6px;font-size:90%}footer{margin-top:2em;color:#555;"
        "font-size:85%}</style></head><body><p><a href=\"/ogc?f=html\">Stadtteilatlas – OGC "
        "API Features</a></p><h1>" +
        escape_html(title) + "</h1>\n" + body + "\n<footer>";
    for (const auto& a : attribution) out += escape_html(a) + "<br>";
    return out + "</footer></body></html>\n";
}

}  // namespace atlas::api
