#include "atlas/geo/static_map.hpp"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>

#include "atlas/geo/error.hpp"
#include "atlas/geo/style_formats.hpp"
#include "cairo_canvas.hpp"

namespace atlas {

using namespace canvas;

std::optional<ImageFormat> parse_image_format(const std::string& name) {
    if (name == "png") return ImageFormat::png;
    if (name == "svg") return ImageFormat::svg;
    if (name == "pdf") return ImageFormat::pdf;
    return std::nullopt;
}

std::optional<PaperSize> parse_paper(const std::string& name) {
    // ISO 216 in millimetres at 96 CSS pixels per inch: A4 210 × 297, A3 297 × 420.
    const auto px = [](double mm) { return static_cast<int>(std::lround(mm / 25.4 * 96)); };
    const std::string sheet = name.substr(0, name.find('-'));
    const std::string orientation =
        name.find('-') == std::string::npos ? "landscape" : name.substr(name.find('-') + 1);
    PaperSize size;
    if (sheet == "a4") {
        size = {px(297), px(210)};
    } else if (sheet == "a3") {
        size = {px(420), px(297)};
    } else {
        return std::nullopt;
    }
    if (orientation == "portrait") return PaperSize{size.height, size.width};
    if (orientation == "landscape") return size;
    return std::nullopt;
}

std::string media_type(ImageFormat format) {
    switch (format) {
        case ImageFormat::png:
            return "image/png";
        case ImageFormat::svg:
            return "image/svg+xml";
        case ImageFormat::pdf:
            return "application/pdf";
    }
    return "";
}

MapFrame map_frame(const Legend& legend, const Dataset& dataset, const MapOptions& options) {
    check_options(options);
    Surface surface(nullptr);
    const Context cr = measuring_context(surface);
    return fit(dataset, page_layout(cr.get(), options, legend));
}

std::string render_map(const Legend& legend, const Dataset& dataset, const MapOptions& options,
                       ImageFormat format) {
    check_options(options);
    if (legend.districts.size() != dataset.districts.size())
        throw std::logic_error("the legend belongs to another dataset");
    std::string out;
    Surface surface(nullptr);
    double scale = 1;
    switch (format) {
        case ImageFormat::png:
            scale = options.dpi / 96.0;
            surface.reset(cairo_image_surface_create(
                CAIRO_FORMAT_RGB24, static_cast<int>(std::lround(options.width * scale)),
                static_cast<int>(std::lround(options.height * scale))));
            break;
        case ImageFormat::svg:
            scale = 0.75;  // CSS pixels to points
            surface.reset(cairo_svg_surface_create_for_stream(
                append_bytes, &out, options.width * scale, options.height * scale));
            break;
        case ImageFormat::pdf:
            scale = 0.75;
            surface.reset(cairo_pdf_surface_create_for_stream(
                append_bytes, &out, options.width * scale, options.height * scale));
            cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE,
                                           legend.title.c_str());
            cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR,
                                           "District Atlas");
            break;
    }
    std::optional<SvgTextRecorder> svg_text;
    {
        const Context cr(cairo_create(surface.get()));
        if (format == ImageFormat::svg) svg_text.emplace(cr.get());
        cairo_scale(cr.get(), scale, scale);
        draw_page(cr.get(), legend, dataset, page_layout(cr.get(), options, legend), options);
        if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS)
            throw std::runtime_error(std::string("drawing the map failed: ") +
                                     cairo_status_to_string(cairo_status(cr.get())));
    }
    if (format == ImageFormat::png) {
        cairo_surface_write_to_png_stream(surface.get(), append_bytes, &out);
    } else {
        cairo_surface_finish(surface.get());
    }
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
        throw std::runtime_error(std::string("writing the map failed: ") +
                                 cairo_status_to_string(cairo_surface_status(surface.get())));
    if (svg_text) svg_text->insert_into(out);
    return out;
}

}  // namespace atlas
