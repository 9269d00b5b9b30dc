// Static maps: the pixels of each district carry its legend class colour (PNG and PDF), the
// SVG is an SVG document, the PDF's text holds legend, data notice and attribution, and bad
// sizes are 400s.

#include "atlas/geo/static_map.hpp"

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogr_api.h>
#include <ogr_geometry.h>

#include <cpl_minixml.h>
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <functional>
#include <future>
#include <nlohmann/json.hpp>
#include <sstream>

#include "atlas/geo/style_formats.hpp"
#include "erfurt_served.hpp"
#include "http_errors.hpp"
#include "legend_colour.hpp"
#include "process.hpp"
#include "style_routes.hpp"
#include "support.hpp"

namespace atlas::api {
namespace {

ApiResponse map(const std::string& resource, std::map<std::string, std::string> query = {}) {
    return static_map(test::erfurt_served(),
                      test::request_for({{"map", resource}}, std::move(query)));
}

int status_of(const std::string& resource, std::map<std::string, std::string> query = {}) {
    return test::status_of(static_map, test::request_for({{"map", resource}}, std::move(query)));
}

struct Image {
    int width = 0, height = 0;
    std::vector<std::uint8_t> r, g, b;
    std::string hex(int x, int y) const {
        const auto i = static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                       static_cast<std::size_t>(x);
        char out[8];
        std::snprintf(out, sizeof out, "#%02x%02x%02x", r[i], g[i], b[i]);
        return out;
    }
};

Image decode_png(const std::string& path) {
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER));
    if (!ds) throw std::runtime_error("GDAL cannot read " + path);
    Image image{ds->GetRasterXSize(), ds->GetRasterYSize(), {}, {}, {}};
    const auto n = static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height);
    const std::array<std::vector<std::uint8_t>*, 3> bands = {&image.r, &image.g, &image.b};
    for (int band = 1; band <= 3; ++band) {
        auto* out = bands[static_cast<std::size_t>(band - 1)];
        out->resize(n);
        if (ds->GetRasterBand(band)->RasterIO(GF_Read, 0, 0, image.width, image.height, out->data(),
                                              image.width, image.height, GDT_Byte, 0, 0) != CE_None)
            throw std::runtime_error("cannot read band");
    }
    return image;
}

// A point inside each district far enough (2 px) from its boundary that antialiasing and
// outlines cannot touch it; nullopt for districts too thin at this scale.
std::vector<std::optional<Point>> interior_points(const Dataset& ds, double metres_per_pixel) {
    std::vector<std::optional<Point>> out;
    const auto ring = [](const Ring& r) {
        OGRLinearRing lr;
        for (const auto& pt : r) lr.addPoint(pt.x, pt.y);
        return lr;
    };
    for (const auto& district : ds.districts) {
        // The largest part: GDAL's PointOnSurface works on polygons, not multipolygons.
        OGRPolygon largest;
        for (const auto& polygon : district.metric) {
            OGRPolygon p;
            OGRLinearRing outer = ring(polygon.outer);
            p.addRing(&outer);
            for (const auto& h : polygon.holes) {
                OGRLinearRing hole = ring(h);
                p.addRing(&hole);
            }
            if (p.get_Area() > largest.get_Area()) largest = p;
        }
        // OGRSurface::PointOnSurface is unsupported in GDAL 3.6; the C API's works.
        std::unique_ptr<OGRGeometry> inside(
            OGRGeometry::FromHandle(OGR_G_PointOnSurface(OGRGeometry::ToHandle(&largest))));
        std::unique_ptr<OGRGeometry> boundary(largest.Boundary());
        if (!inside || !boundary || boundary->Distance(inside.get()) < 2.5 * metres_per_pixel) {
            out.push_back(std::nullopt);
        } else {
            const auto* point = inside->toPoint();
            out.push_back(Point{point->getX(), point->getY()});
        }
    }
    return out;
}

std::string command_output(const std::string& command) {
    return test::run_command(command).output;
}

struct WordBoxes {
    std::size_t pages = 0, words = 0, overlaps = 0;
};

// Every pair of words of a PDF page whose boxes (poppler's) overlap is a failure.
WordBoxes check_word_boxes(const std::string& pdf) {
    const std::string boxes = command_output("pdftotext -bbox -enc UTF-8 " + pdf + " -");
    WordBoxes out;
    for (std::size_t at = boxes.find("<page "); at != std::string::npos;) {
        const std::size_t next = boxes.find("<page ", at + 1);
        const std::string page = boxes.substr(at, next == std::string::npos ? next : next - at);
        ++out.pages;
        std::vector<std::array<double, 4>> rects;
        std::vector<std::string> texts;
        for (auto w = page.find("<word "); w != std::string::npos; w = page.find("<word ", w + 1)) {
            std::array<double, 4> r{};
            if (std::sscanf(page.c_str() + w,
                            "<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\"", &r[0],
                            &r[1], &r[2], &r[3]) != 4)
                continue;
            rects.push_back(r);
            const auto open = page.find('>', w) + 1;
            texts.push_back(page.substr(open, page.find('<', open) - open));
        }
        out.words += rects.size();
        for (std::size_t i = 0; i < rects.size(); ++i) {
            for (std::size_t j = i + 1; j < rects.size(); ++j) {
                const double ox =
                    std::min(rects[i][2], rects[j][2]) - std::max(rects[i][0], rects[j][0]);
                const double oy =
                    std::min(rects[i][3], rects[j][3]) - std::max(rects[i][1], rects[j][1]);
                if (ox > 0.5 && oy > 0.5) {
                    ++out.overlaps;
                    ADD_FAILURE() << "page " << out.pages << ": '" << texts[i] << "' and '"
                                  << texts[j] << "' overlap";
                }
            }
        }
        at = next;
    }
    return out;
}

// Checks every district far enough from its edges; returns how many were checked.
std::size_t expect_district_colours(const Image& image, const nlohmann::json& legend,
                                    const MapFrame& frame, double pixels_per_css_pixel) {
    const Dataset& ds = test::erfurt_served().dataset;
    const auto points = interior_points(ds, 1 / frame.scale / pixels_per_css_pixel);
    std::size_t checked = 0;
    for (std::size_t d = 0; d < ds.districts.size(); ++d) {
        if (!points[d]) continue;
        const Point page = frame.to_page(*points[d]);
        const int x = static_cast<int>(page.x * pixels_per_css_pixel);
        const int y = static_cast<int>(page.y * pixels_per_css_pixel);
        const std::string expected = test::legend_colour(legend, legend["districts"][d]);
        EXPECT_EQ(image.hex(x, y), expected) << ds.districts[d].name << " at " << x << "," << y;
        ++checked;
    }
    return checked;
}

TEST(StaticMap, PngDistrictsHaveTheirLegendColour) {
    const std::map<std::string, std::string> query = {
        {"year", "2019"}, {"width", "900"}, {"height", "700"}, {"dpi", "192"}, {"labels", "0"}};
    const ApiResponse png = map("auslaender_anteil.png", query);
    EXPECT_EQ(png.content_type, "image/png");
    test::TempDir dir;
    const Image image = decode_png(dir.write("map.png", png.body));
    EXPECT_EQ(image.width, 1800);  // 900 CSS pixels at 192 dpi
    EXPECT_EQ(image.height, 1400);
    const Legend drawn = make_legend(find_style(test::erfurt_served().styles, "auslaender_anteil"),
                                     test::erfurt_served().dataset, nullptr, 2019);
    const auto legend = nlohmann::json::parse(legend_json(drawn, {}));
    MapOptions options;
    options.width = 900;
    options.height = 700;
    options.attribution = test::erfurt_served().dataset.config.attribution;
    const MapFrame frame = map_frame(drawn, test::erfurt_served().dataset, options);
    EXPECT_GE(expect_district_colours(image, legend, frame, 2.0), 45u);
    EXPECT_EQ(image.hex(2, 2), "#ffffff");  // white page
    // The north arrow: dark inside its triangle, its "N" above, beside it white or a district.
    const Point tip = frame.north_arrow;
    EXPECT_EQ(image.hex(static_cast<int>(tip.x * 2), static_cast<int>((tip.y + 12) * 2)),
              "#262626");
    EXPECT_EQ(image.hex(static_cast<int>((tip.x + 7) * 2), static_cast<int>((tip.y + 8) * 2)),
              image.hex(static_cast<int>((tip.x + 30) * 2), static_cast<int>((tip.y + 8) * 2)));
}

TEST(StaticMap, PdfRasterisedHasTheSameColoursAndCarriesItsTexts) {
    const ApiResponse pdf =
        map("versorgungsluecke.pdf",
            {{"field", "kultur-sport"}, {"width", "1000"}, {"height", "750"}, {"labels", "0"}});
    EXPECT_EQ(pdf.content_type, "application/pdf");
    ASSERT_EQ(pdf.body.substr(0, 5), "%PDF-");
    test::TempDir dir;
    const std::string file = dir.write("map.pdf", pdf.body);
    // 1000 CSS px = 750 pt; at 96 dpi poppler draws 1000 pixels again.
    const std::string prefix = (dir.path() / "page").string();
    ASSERT_EQ(std::system(("pdftoppm -png -r 96 -singlefile " + file + " " + prefix).c_str()), 0);
    const Image image = decode_png(prefix + ".png");
    EXPECT_EQ(image.width, 1000);
    const ServedData& data = test::erfurt_served();
    const Legend drawn = make_legend(find_style(data.styles, "versorgungsluecke"), data.dataset,
                                     &*data.coverage, std::nullopt, "kultur-sport");
    const auto legend = nlohmann::json::parse(legend_json(drawn, {}));
    MapOptions options;
    options.width = 1000;
    options.height = 750;
    options.attribution = data.dataset.config.attribution;
    EXPECT_GE(expect_district_colours(image, legend, map_frame(drawn, data.dataset, options), 1.0),
              45u);

    const std::string text_file = (dir.path() / "map.txt").string();
    ASSERT_EQ(std::system(("pdftotext -enc UTF-8 " + file + " " + text_file).c_str()), 0);
    const std::string text = test::read_file(text_file);
    for (const char* expected :
         {"Bedarf und Zugang", "Kultur/Sport", "Legende", "Bedarf", "Zugang", "Versorgungslücke",
          "keine amtliche Statistik", "OpenStreetMap", "Geoportal"}) {
        EXPECT_NE(text.find(expected), std::string::npos) << expected << " missing in\n" << text;
    }
}

// lang=en is English throughout: title line, legend, notice and attribution.
TEST(StaticMap, EnglishMapsAreEnglishThroughout) {
    test::TempDir dir;
    const ApiResponse pdf = map("versorgungsluecke.pdf", {{"field", "bildung"}, {"lang", "en"}});
    const std::string file = dir.write("en.pdf", pdf.body);
    const std::string text = command_output("pdftotext -enc UTF-8 " + file + " -");
    for (const char* expected : {"Need and access", "Education", "Legend", "districts (Stadtteile)",
                                 "OpenStreetMap contributors", "not official statistics"})
        EXPECT_NE(text.find(expected), std::string::npos) << expected << " missing in\n" << text;
    for (const char* german :
         {"Einrichtungen", "Legende", "Mitwirkende", "Modellierte", "keine amtliche", "Stand "})
        EXPECT_EQ(text.find(german), std::string::npos) << german << " in\n" << text;
}

TEST(StaticMap, SvgIsAnSvgDocumentOfTheAskedSize) {
    const ApiResponse svg = map("einwohnerdichte.svg", {{"width", "800"}, {"height", "600"}});
    EXPECT_EQ(svg.content_type, "image/svg+xml");
    CPLXMLNode* doc = CPLParseXMLString(svg.body.c_str());
    ASSERT_NE(doc, nullptr);
    const CPLXMLNode* root = CPLGetXMLNode(doc, "=svg");
    ASSERT_NE(root, nullptr);
    EXPECT_STREQ(CPLGetXMLValue(root, "xmlns", ""), "http://www.w3.org/2000/svg");
    EXPECT_STREQ(CPLGetXMLValue(root, "width", ""), "600pt");
    EXPECT_STREQ(CPLGetXMLValue(root, "height", ""), "450pt");
    CPLDestroyXMLNode(doc);
}

// SVG text stays text: one <text> element per line, in the map's font; no glyph outlines.
TEST(StaticMap, SvgCarriesRealTextElements) {
    const ApiResponse svg = map("auslaender_anteil.svg", {{"year", "2019"}});
    EXPECT_EQ(svg.body.find("glyph"), std::string::npos);
    CPLXMLNode* doc = CPLParseXMLString(svg.body.c_str());
    ASSERT_NE(doc, nullptr) << "not XML";
    std::vector<std::string> texts;
    const std::function<void(const CPLXMLNode*)> collect = [&](const CPLXMLNode* node) {
        for (; node; node = node->psNext) {
            if (node->eType == CXT_Element && std::string(node->pszValue) == "text") {
                texts.push_back(CPLGetXMLValue(node, "", ""));
                EXPECT_STREQ(CPLGetXMLValue(node, "font-family", ""), "DejaVu Sans");
            }
            collect(node->psChild);
        }
    };
    collect(doc);
    CPLDestroyXMLNode(doc);
    const auto has = [&](const std::string& t) {
        return std::find(texts.begin(), texts.end(), t) != texts.end();
    };
    EXPECT_TRUE(has("Ausländeranteil (modelliert)"));
    EXPECT_TRUE(has("Legende (%)"));
    EXPECT_TRUE(has("Stotternheim"));  // a district label
    EXPECT_TRUE(has("Nummern in der Karte"));
    EXPECT_GT(texts.size(), 80u);
}

// Labels never overlap, landscape or portrait, nor does the legend on a small page; on pages
// of common sizes every district is named on the map or in the index.
TEST(StaticMap, DistrictLabelsAreCollisionFreeAndCompleteInEveryLayout) {
    const Dataset& ds = test::erfurt_served().dataset;
    test::TempDir dir;
    for (const auto& query :
         {std::map<std::string, std::string>{},
          std::map<std::string, std::string>{{"paper", "a4-portrait"}},
          std::map<std::string, std::string>{{"paper", "a3-landscape"}},
          std::map<std::string, std::string>{{"width", "600"}, {"height", "450"}}}) {
        const std::string name = query.empty() ? "default" : query.begin()->second;
        const std::string pdf = dir.write(name + ".pdf", map("versorgungsluecke.pdf", query).body);
        const WordBoxes boxes = check_word_boxes(pdf);
        EXPECT_EQ(boxes.overlaps, 0u) << name;
        // A small page has no room for an index: there the smallest districts stay unnamed.
        if (name == "450") continue;
        const std::string text = command_output("pdftotext -raw -enc UTF-8 " + pdf + " -");
        for (const auto& d : ds.districts) {
            // A two-line label splits at a space or hyphen: look for its first word.
            const std::string first = d.name.substr(0, d.name.find_first_of(" -"));
            EXPECT_NE(text.find(first), std::string::npos) << d.name << " missing in " << name;
        }
    }
    // With labels off, no district name appears at all.
    const std::string bare =
        dir.write("bare.pdf", map("auslaender_anteil.pdf", {{"labels", "0"}}).body);
    const std::string text = command_output("pdftotext -raw -enc UTF-8 " + bare + " -");
    EXPECT_EQ(text.find("Stotternheim"), std::string::npos);
    EXPECT_EQ(text.find("Nummern in der Karte"), std::string::npos);
}

TEST(Geometry, LabelPointIsTheInnermostPointOfTheLargestPart) {
    // A 10 × 10 square: its centre. An L of arms 10 wide: the largest circle inside sits in the
    // corner square, touching both outer edges and the inner corner: r = 10 / (1 + 1/√2); the
    // L's bounding-box centre (120, 20) lies outside it.
    const Polygon square{{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}, {}};
    const Point c = label_point({square}, 0.01);
    EXPECT_NEAR(c.x, 5, 0.05);
    EXPECT_NEAR(c.y, 5, 0.05);
    const Polygon ell{{{100, 0}, {140, 0}, {140, 10}, {110, 10}, {110, 40}, {100, 40}, {100, 0}},
                      {}};
    const Point p = label_point({square, ell}, 0.01);
    const double corner_radius = 10 / (1 + 1 / std::sqrt(2.0));  // 5.858
    EXPECT_NEAR(signed_distance({ell}, p), corner_radius, 0.05);
    EXPECT_GE(p.x, 100);
    EXPECT_NEAR(signed_distance({square, ell}, {120, 20}), -10, 1e-9);  // outside, 10 from the L
    // A square ring 10 wide around a hole: the same corner circle.
    const Polygon framed{{{0, 0}, {30, 0}, {30, 30}, {0, 30}, {0, 0}},
                         {{{10, 10}, {20, 10}, {20, 20}, {10, 20}, {10, 10}}}};
    const Point f = label_point({framed}, 0.01);
    EXPECT_NEAR(signed_distance({framed}, f), corner_radius, 0.05);
    EXPECT_TRUE(label_point({}, 1) == Point{});
}

TEST(StaticMap, RenderingInParallelGivesTheSameImage) {
    const auto render = [] {
        return map("auslaender_anteil.png", {{"width", "600"}, {"height", "400"}}).body;
    };
    const std::string alone = render();
    auto a = std::async(std::launch::async, render);
    auto b = std::async(std::launch::async, render);
    EXPECT_EQ(a.get(), alone);
    EXPECT_EQ(b.get(), alone);
}

// A PDF on paper is that sheet: A4 595 × 842 pt, A3 1191 × 842 pt (poppler names them).
TEST(StaticMap, PaperSizesGiveTheSheet) {
    test::TempDir dir;
    for (const auto& [paper, expected] : {std::pair{"a4-portrait", "595.5 x 842.25 pts (A4)"},
                                          std::pair{"a4-landscape", "842.25 x 595.5 pts (A4)"},
                                          std::pair{"a3-landscape", "1190.25 x 842.25 pts (A3)"},
                                          std::pair{"a3-portrait", "842.25 x 1190.25 pts (A3)"}}) {
        const ApiResponse pdf = map("auslaender_anteil.pdf", {{"paper", paper}});
        const std::string file = dir.write(std::string(paper) + ".pdf", pdf.body);
        EXPECT_NE(command_output("pdfinfo " + file).find(expected), std::string::npos) << paper;
    }
    EXPECT_EQ(parse_paper("a4")->width, 1123);  // landscape unless asked otherwise
    EXPECT_FALSE(parse_paper("letter").has_value());
}

TEST(StaticMap, BadRequestsAreRefused) {
    EXPECT_EQ(status_of("auslaender_anteil.gif"), 404);
    EXPECT_EQ(status_of("unbekannt.png"), 404);
    EXPECT_EQ(status_of("auslaender_anteil.png", {{"width", "10"}}), 400);
    EXPECT_EQ(status_of("auslaender_anteil.png", {{"height", "100000"}}), 400);
    EXPECT_EQ(status_of("auslaender_anteil.png", {{"dpi", "5000"}}), 400);
    EXPECT_EQ(status_of("auslaender_anteil.pdf", {{"paper", "a5"}}), 400);
    EXPECT_EQ(status_of("auslaender_anteil.pdf", {{"paper", "a4-quer"}}), 400);
    EXPECT_EQ(status_of("auslaender_anteil.pdf", {{"paper", "a4"}, {"width", "900"}}), 400);
    EXPECT_EQ(status_of("auslaender_anteil.png", {{"dpi", "hoch"}}), 400);
    // Each limit alone is fine, the product is not: 25,000² pixels would take gigabytes.
    EXPECT_EQ(
        status_of("auslaender_anteil.png", {{"width", "4000"}, {"height", "4000"}, {"dpi", "600"}}),
        400);
    EXPECT_EQ(status_of("auslaender_anteil.png", {{"labels", "ja"}}), 400);
}

TEST(AtlasCommand, RenderWritesTheMapAndRefusesUnknownFormats) {
    test::TempDir dir;
    const std::string out = (dir.path() / "karte.png").string();
    const auto r = test::run_atlas({"render", "--style", "dienste_je_1000", "--field", "bildung",
                                    "-o", out, "--width", "600", "--height", "400"});
    EXPECT_EQ(r.exit_code, 0) << r.out;
    const Image image = decode_png(out);
    EXPECT_EQ(image.width, 600);
    EXPECT_FALSE(std::filesystem::exists(out + ".partial"));
    const auto bad = test::run_atlas(
        {"render", "--style", "einwohnerdichte", "-o", (dir.path() / "karte.gif").string()});
    EXPECT_EQ(bad.exit_code, 2) << bad.out;
    const auto unknown = test::run_atlas({"render", "--style", "gibt_es_nicht", "-o", out});
    EXPECT_EQ(unknown.exit_code, 1) << unknown.out;
    EXPECT_NE(unknown.out.find("gibt_es_nicht"), std::string::npos);
    // It lists the valid ones.
    EXPECT_NE(unknown.out.find("(styles: "), std::string::npos) << unknown.out;
    EXPECT_NE(unknown.out.find("versorgungsluecke"), std::string::npos) << unknown.out;
}

TEST(AtlasCommand, ReportHasEveryMapTheTablesAndWithheldCountsAsDots) {
    test::TempDir dir;
    const std::string pdf = (dir.path() / "lagebericht.pdf").string();
    const auto r = test::run_atlas({"report", "-o", pdf});
    ASSERT_EQ(r.exit_code, 0) << r.out;
    const ServedData& data = test::erfurt_served();
    std::size_t maps = 0;
    for (const auto& s : data.styles) maps += !s.is_coverage();
    // Every Handlungsfeld has a gap map page, also one without locations (it says so).
    for (const auto& g : data.coverage->groups) maps += g.group.kind == "field";
    const std::size_t fields = data.dataset.config.fields.size();
    // title, maps, monitoring, groups, the structure chapter (one page per Handlungsfeld)
    const std::size_t pages = 1 + maps + 1 + 1 + fields;
    const std::size_t groups_page = pages - fields;
    EXPECT_NE(command_output("pdfinfo " + pdf).find("Pages:           " + std::to_string(pages)),
              std::string::npos);
    const std::string text = command_output("pdftotext -enc UTF-8 " + pdf + " -");
    for (const char* expected :
         {"Lagebericht Integration", "Status und Dynamik der Stadtteile 2024",
          "Bedarf und Zugang (Versorgungslücken)", "keine amtliche Statistik", "OpenStreetMap",
          "Geheimhaltung"}) {
        EXPECT_NE(text.find(expected), std::string::npos) << expected;
    }
    // The group table: one "." for each withheld cell of 2024, nothing else.
    std::size_t withheld = 0;
    const auto& totals = data.dataset.config.secrecy.totals.front();
    std::vector<std::string> columns = {totals.total};
    columns.insert(columns.end(), totals.parts.begin(), totals.parts.end());
    for (const auto& id : columns)
        for (std::size_t d = 0; d < data.dataset.districts.size(); ++d)
            withheld += data.dataset.indicator(id)->suppressed(2024, d);
    ASSERT_GT(withheld, 10u);
    const std::string last =
        command_output("pdftotext -layout -enc UTF-8 -f " + std::to_string(groups_page) + " -l " +
                       std::to_string(groups_page) + " " + pdf + " -");
    std::istringstream words(last);
    std::size_t dots = 0;
    for (std::string w; words >> w;) dots += w == ".";
    EXPECT_EQ(dots, withheld);

    // Tables speak the config's labels, not ids, and classify districts without a withheld value.
    for (const std::size_t page : {groups_page - 1, groups_page}) {
        const std::string table = command_output("pdftotext -enc UTF-8 -f " + std::to_string(page) +
                                                 " -l " + std::to_string(page) + " " + pdf + " -");
        EXPECT_EQ(table.find("auslaender_"), std::string::npos) << page;
        EXPECT_EQ(table.find("einwohner_modell"), std::string::npos) << page;
    }
    EXPECT_NE(text.find("Ausländer (modelliert) nach Gruppen"), std::string::npos);
    EXPECT_NE(text.find("Status aus 2 von 3 Indikatoren"), std::string::npos);

    // A reader gets sentences, not repository paths.
    for (const char* path : {"docs/", "scripts/", ".md", ".py"})
        EXPECT_EQ(text.find(path), std::string::npos) << path;

    // No two words of a page overlap (poppler's word boxes).
    const WordBoxes boxes = check_word_boxes(pdf);
    EXPECT_EQ(boxes.pages, pages);
    EXPECT_GT(boxes.words, 1000u);
    EXPECT_EQ(boxes.overlaps, 0u);

    // The structure chapter: a page per field; every one resting on examples says so.
    for (std::size_t f = 0; f < fields; ++f) {
        const std::size_t page = groups_page + 1 + f;
        const std::string one = command_output("pdftotext -enc UTF-8 -f " + std::to_string(page) +
                                               " -l " + std::to_string(page) + " " + pdf + " -");
        const auto& field = data.dataset.config.fields[f];
        EXPECT_NE(one.find("Struktur- und Ressourcenanalyse: " + field.label_de), std::string::npos)
            << page;
        EXPECT_NE(one.find("Beispieldaten (fiktiv)"), std::string::npos) << field.id;
        EXPECT_NE(one.find("Ressourcen gefährdet"), std::string::npos) << field.id;
    }
    // Every gap map page says how much of it is fictional.
    std::size_t noted = 0;
    for (std::size_t at = text.find("Beruht auf Beispieldaten (fiktiv)"); at != std::string::npos;
         at = text.find("Beruht auf Beispieldaten (fiktiv)", at + 1))
        ++noted;
    EXPECT_GE(noted, fields);
}

}  // namespace
}  // namespace atlas::api
