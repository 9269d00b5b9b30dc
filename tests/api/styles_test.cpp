// Thematic map outputs over the route handlers: one legend, and the MapLibre style, QML and SLD
// made from it must carry identical breaks and colours; the MapLibre style passes the official
// validator (npm @maplibre/maplibre-gl-style-spec), the XML documents parse with their namespaces.

#include "style_routes.hpp"

#include <cpl_minixml.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "erfurt_served.hpp"
#include "http_errors.hpp"
#include "legend_colour.hpp"
#include "support.hpp"

namespace atlas::api {
namespace {

using nlohmann::json;

struct XmlDeleter {
    void operator()(CPLXMLNode* node) const { CPLDestroyXMLNode(node); }
};
using Xml = std::unique_ptr<CPLXMLNode, XmlDeleter>;

Xml parse_xml(const std::string& text) {
    Xml doc(CPLParseXMLString(text.c_str()));
    if (!doc) throw std::runtime_error("not XML: " + text.substr(0, 200));
    return doc;
}

// Children of `parent` with element name `name`, in document order.
std::vector<const CPLXMLNode*> children(const CPLXMLNode* parent, const std::string& name) {
    std::vector<const CPLXMLNode*> out;
    for (const CPLXMLNode* c = parent ? parent->psChild : nullptr; c; c = c->psNext) {
        if (c->eType == CXT_Element && name == c->pszValue) out.push_back(c);
    }
    return out;
}

ApiResponse call(test::Handler handler, const std::string& resource,
                 std::map<std::string, std::string> query = {}) {
    return handler(test::erfurt_served(), test::request_for({{"style", resource}}, std::move(query),
                                                            "http://127.0.0.1:8080"));
}

int status_of(const std::string& resource, std::map<std::string, std::string> query = {}) {
    return test::status_of(style_document,
                           test::request_for({{"style", resource}}, std::move(query)));
}

struct Breaks {
    std::vector<double> bounds;  // lower of each class, then the last upper
    std::vector<std::string> colours;
    bool operator==(const Breaks&) const = default;
};

Breaks legend_breaks(const json& legend) {
    Breaks b;
    for (const auto& c : legend["classes"]) {
        b.bounds.push_back(c["lower"].get<double>());
        b.colours.push_back(c["colour"]);
    }
    b.bounds.push_back(legend["classes"].back()["upper"].get<double>());
    return b;
}

std::string hex(const std::string& qgis_rgba) {
    int r = 0, g = 0, b = 0;
    std::sscanf(qgis_rgba.c_str(), "%d,%d,%d", &r, &g, &b);
    char out[8];
    std::snprintf(out, sizeof out, "#%02x%02x%02x", r, g, b);
    return out;
}

std::string symbol_colour(const CPLXMLNode* renderer, const std::string& symbol) {
    for (const CPLXMLNode* s : children(CPLGetXMLNode(renderer, "symbols"), "symbol")) {
        if (symbol != CPLGetXMLValue(s, "name", "")) continue;
        for (const CPLXMLNode* p : children(CPLGetXMLNode(s, "layer"), "prop")) {
            if (std::string(CPLGetXMLValue(p, "k", "")) == "color")
                return hex(CPLGetXMLValue(p, "v", ""));
        }
    }
    return "";
}

// The class rules of a QML (rule-based renderer): inside the legend year's rule one rule per
// class, then "geheim" and "keine Angabe" (excluding each other, with the legend's colours);
// beside it a rule for features of other years. Returns the class rules.
std::vector<const CPLXMLNode*> qml_class_rules(const CPLXMLNode* renderer, const json& legend) {
    EXPECT_STREQ(CPLGetXMLValue(renderer, "type", ""), "RuleRenderer");
    const auto top = children(CPLGetXMLNode(renderer, "rules"), "rule");
    EXPECT_EQ(top.size(), 2u);
    if (top.size() != 2) return {};
    const std::string y = std::to_string(legend["year"].get<int>());
    const std::string year =
        legend["field"].is_null() || legend["field"] == "" ? "\"year\"" : "\"coverage_year\"";
    EXPECT_EQ(CPLGetXMLValue(top[0], "filter", ""), year + " = " + y);
    EXPECT_EQ(CPLGetXMLValue(top[1], "filter", ""), year + " IS NULL OR " + year + " <> " + y);
    auto rules = children(top[0], "rule");
    EXPECT_EQ(rules.size(), legend["classes"].size() + 2);
    if (rules.size() < 3) return {};
    const std::string attribute = "\"" + legend["attribute"].get<std::string>() + "\"";
    const std::string withheld = "strpos(concat(',', \"suppressed_indicators\", ','), '," +
                                 legend["attribute"].get<std::string>() + ",') > 0";
    const CPLXMLNode* secret = rules[rules.size() - 2];
    EXPECT_EQ(CPLGetXMLValue(secret, "filter", ""), attribute + " IS NULL AND " + withheld);
    EXPECT_EQ(CPLGetXMLValue(secret, "label", ""), legend["suppressed"]["label"]);
    EXPECT_EQ(symbol_colour(renderer, CPLGetXMLValue(secret, "symbol", "")),
              legend["suppressed"]["colour"]);
    EXPECT_EQ(CPLGetXMLValue(rules.back(), "filter", ""),
              attribute + " IS NULL AND NOT " + withheld);
    EXPECT_EQ(CPLGetXMLValue(rules.back(), "label", ""), legend["missing"]["label"]);
    EXPECT_EQ(symbol_colour(renderer, CPLGetXMLValue(rules.back(), "symbol", "")),
              legend["missing"]["colour"]);
    rules.resize(rules.size() - 2);
    return rules;
}

Breaks qml_breaks(const std::string& qml, const json& legend) {
    const Xml doc = parse_xml(qml);
    const CPLXMLNode* renderer = CPLGetXMLNode(doc.get(), "=qgis.renderer-v2");
    EXPECT_NE(renderer, nullptr);
    const auto rules = qml_class_rules(renderer, legend);
    Breaks b;
    const std::string field = "\"" + legend["attribute"].get<std::string>() + "\"";
    for (std::size_t k = 0; k < rules.size(); ++k) {
        // "a" >= lower AND "a" <= upper (the first class), "a" > lower AND "a" <= upper.
        const std::string filter = CPLGetXMLValue(rules[k], "filter", "");
        const std::string op = k == 0 ? " >= " : " > ", upper = " AND " + field + " <= ";
        EXPECT_EQ(filter.rfind(field + op, 0), 0u) << filter;
        const auto upper_at = filter.find(upper);
        EXPECT_NE(upper_at, std::string::npos) << filter;
        b.bounds.push_back(std::strtod(filter.c_str() + field.size() + op.size(), nullptr));
        if (k + 1 == rules.size())
            b.bounds.push_back(std::strtod(filter.c_str() + upper_at + upper.size(), nullptr));
        b.colours.push_back(symbol_colour(renderer, CPLGetXMLValue(rules[k], "symbol", "")));
    }
    return b;
}

Breaks sld_breaks(const std::string& sld, const std::string& attribute, std::size_t& rules) {
    const Xml doc = parse_xml(sld);
    const CPLXMLNode* root = CPLGetXMLNode(doc.get(), "=StyledLayerDescriptor");
    EXPECT_NE(root, nullptr);
    EXPECT_STREQ(CPLGetXMLValue(root, "version", ""), "1.0.0");
    EXPECT_STREQ(CPLGetXMLValue(root, "xmlns", ""), "http://www.opengis.net/sld");
    EXPECT_STREQ(CPLGetXMLValue(root, "xmlns:ogc", ""), "http://www.opengis.net/ogc");
    const CPLXMLNode* fts = CPLGetXMLNode(root, "NamedLayer.UserStyle.FeatureTypeStyle");
    Breaks b;
    const auto all = children(fts, "Rule");
    rules = all.size();
    for (const CPLXMLNode* rule : all) {
        // "geheim": null and listed exactly in suppressed_indicators; "keine Angabe": null and
        // not listed — the same four patterns under ogc:Not, so no district matches both.
        const std::string name = CPLGetXMLValue(rule, "Name", "");
        if (name == "suppressed" || name == "missing") {
            const CPLXMLNode* both = CPLGetXMLNode(rule, "ogc:Filter.ogc:And");
            EXPECT_EQ(CPLGetXMLValue(both, "ogc:PropertyIsNull.ogc:PropertyName", ""), attribute);
            const CPLXMLNode* listed =
                CPLGetXMLNode(both, name == "suppressed" ? "ogc:Or" : "ogc:Not.ogc:Or");
            EXPECT_NE(listed, nullptr) << name;
            EXPECT_EQ(CPLGetXMLValue(listed, "ogc:PropertyIsEqualTo.ogc:Literal", ""), attribute);
            std::vector<std::string> patterns;
            for (const CPLXMLNode* like : children(listed, "ogc:PropertyIsLike"))
                patterns.push_back(CPLGetXMLValue(like, "ogc:Literal", ""));
            EXPECT_EQ(patterns, (std::vector<std::string>{attribute + ",*", "*," + attribute,
                                                          "*," + attribute + ",*"}));
            continue;
        }
        const CPLXMLNode* both = CPLGetXMLNode(rule, "ogc:Filter.ogc:And");
        const bool first = b.bounds.empty();
        const char* lower_op =
            first ? "ogc:PropertyIsGreaterThanOrEqualTo" : "ogc:PropertyIsGreaterThan";
        EXPECT_EQ(CPLGetXMLValue(both, (std::string(lower_op) + ".ogc:PropertyName").c_str(), ""),
                  attribute);
        b.bounds.push_back(std::strtod(
            CPLGetXMLValue(both, (std::string(lower_op) + ".ogc:Literal").c_str(), ""), nullptr));
        b.colours.push_back(CPLGetXMLValue(rule, "PolygonSymbolizer.Fill.CssParameter", ""));
    }
    // The last numeric rule's upper bound.
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
        const char* upper = CPLGetXMLValue(
            *it, "ogc:Filter.ogc:And.ogc:PropertyIsLessThanOrEqualTo.ogc:Literal", nullptr);
        if (upper) {
            b.bounds.push_back(std::strtod(upper, nullptr));
            break;
        }
    }
    return b;
}

// Every shipped style (coverage styles for two fields) as (resource, query) pairs.
std::vector<std::pair<std::string, std::map<std::string, std::string>>> shipped_maps() {
    std::vector<std::pair<std::string, std::map<std::string, std::string>>> out;
    for (const auto& s : test::erfurt_served().styles) {
        if (s.is_coverage()) {
            out.push_back({s.id, {{"field", "kultur-sport"}}});
            out.push_back({s.id, {{"field", "soziales-gesundheit"}}});
        } else {
            // An older year where the indicator has one (the census exists for 2011 only).
            const auto& years = test::erfurt_served().dataset.indicator(s.indicator)->by_year;
            out.push_back({s.id, {{"year", years.contains(2019) ? "2019" : "2011"}}});
            out.push_back({s.id, {}});
        }
    }
    return out;
}

TEST(StyleOutputs, LegendMapLibreQmlAndSldShareBreaksAndColours) {
    std::size_t compared = 0;
    for (const auto& [id, query] : shipped_maps()) {
        SCOPED_TRACE(
            id + (query.empty() ? "" : "?" + query.begin()->first + "=" + query.begin()->second));
        const json legend = json::parse(call(api::legend, id, query).body);
        const json style = json::parse(call(style_document, id + ".json", query).body);
        const std::string qml = call(style_document, id + ".qml", query).body;
        const std::string sld_text = call(style_document, id + ".sld", query).body;
        const std::string attribute = legend["attribute"];
        // Modelled maps say so in every format, coverage maps (modelled surface) included.
        const bool modelled = legend["data_status"] == "modelled";
        EXPECT_EQ(qml.find("(modelliert)") != std::string::npos, modelled);
        EXPECT_EQ(sld_text.find("modelliert, keine amtliche Statistik") != std::string::npos,
                  modelled);

        // MapLibre: the legend in metadata, and each district's colour by id from its class.
        EXPECT_EQ(style["metadata"]["atlas:legend"]["classes"], legend["classes"]);
        const json& fill = style["layers"][1]["paint"]["fill-color"];
        std::map<std::int64_t, std::string> colour_by_id;
        for (std::size_t i = 2; i + 1 < fill.size(); i += 2) {
            for (const auto& fid : fill[i]) colour_by_id[fid.get<std::int64_t>()] = fill[i + 1];
        }
        for (const auto& d : legend["districts"]) {
            const std::string expected = test::legend_colour(legend, d);
            const auto found = colour_by_id.find(d["id"].get<std::int64_t>());
            EXPECT_EQ(found == colour_by_id.end() ? fill.back().get<std::string>() : found->second,
                      expected)
                << d["name"];
        }
        std::size_t rules = 0;
        if (legend["method"] == "bivariate") {
            const Xml doc = parse_xml(qml);
            const CPLXMLNode* renderer = CPLGetXMLNode(doc.get(), "=qgis.renderer-v2");
            const auto categories = qml_class_rules(renderer, legend);
            ASSERT_EQ(categories.size(), 9u);
            for (std::size_t k = 0; k < 9; ++k) {
                EXPECT_EQ(CPLGetXMLValue(categories[k], "filter", ""),
                          "\"" + attribute + "\" = '" +
                              legend["classes"][k]["value"].get<std::string>() + "'");
                EXPECT_EQ(symbol_colour(renderer, CPLGetXMLValue(categories[k], "symbol", "")),
                          legend["classes"][k]["colour"]);
            }
            const Xml sld_doc = parse_xml(sld_text);
            const auto sld_rules = children(
                CPLGetXMLNode(sld_doc.get(),
                              "=StyledLayerDescriptor.NamedLayer.UserStyle.FeatureTypeStyle"),
                "Rule");
            ASSERT_EQ(sld_rules.size(), 11u);
            EXPECT_EQ(
                CPLGetXMLValue(sld_rules[6], "ogc:Filter.ogc:PropertyIsEqualTo.ogc:Literal", ""),
                std::string("3-1"));
        } else {
            const Breaks expected = legend_breaks(legend);
            EXPECT_EQ(legend_breaks(style["metadata"]["atlas:legend"]), expected);
            EXPECT_EQ(qml_breaks(qml, legend), expected);
            EXPECT_EQ(sld_breaks(sld_text, attribute, rules), expected);
            EXPECT_EQ(rules, expected.colours.size() + 2);  // + suppressed, missing
        }
        ++compared;
    }
    EXPECT_EQ(compared, 2 * test::erfurt_served().styles.size());
}

// No legend prints a class as "0,00 – 0,00": a class of one value is that value, the class
// after it "über …", and bounds that differ differ in print (every style, every field, every year).
TEST(StyleOutputs, NoClassLabelRepeatsItsBound) {
    const ServedData& data = test::erfurt_served();
    std::size_t single = 0, checked = 0;
    for (const auto& s : data.styles) {
        std::vector<std::map<std::string, std::string>> queries;
        if (s.is_coverage()) {
            for (const auto& f : data.dataset.config.fields) queries.push_back({{"field", f.id}});
        } else {
            for (const int year : data.dataset.years())
                queries.push_back({{"year", std::to_string(year)}});
        }
        for (const auto& query : queries) {
            ApiResponse r;
            try {
                r = call(api::legend, s.id, query);
            } catch (const NotFound&) {
                continue;  // the style's indicator has no values that year
            }
            const json legend = json::parse(r.body);
            std::set<std::string> labels;
            for (const auto& c : legend["classes"]) {
                const std::string label = c["label"];
                EXPECT_TRUE(labels.insert(label).second) << s.id << " " << label;
                ++checked;
                const auto dash = label.find(" – ");
                if (legend["method"] == "bivariate") continue;
                if (dash == std::string::npos) {
                    EXPECT_EQ(c["lower"], c["upper"]) << s.id << " " << label;
                    ++single;
                    continue;
                }
                std::string lower = label.substr(0, dash);
                if (lower.starts_with("über ")) lower = lower.substr(6);
                EXPECT_NE(lower, label.substr(dash + 5)) << s.id << " " << label;
            }
        }
    }
    EXPECT_GT(checked, 500u);
    EXPECT_GT(single, 0u);  // Erfurt has fields where most districts have no offer: "0,00"
}

TEST(StyleOutputs, MapLibreStylesPassTheStyleSpecValidator) {
    test::TempDir dir;
    std::string files;
    int n = 0;
    for (const auto& [id, query] : shipped_maps()) {
        files += " " + dir.write(std::to_string(n++) + "-" + id + ".json",
                                 call(style_document, id + ".json", query).body);
    }
    // A style that must fail, so a validator that accepts anything cannot pass this test.
    const std::string broken = dir.write(
        "broken.json",
        R"({"version":8,"sources":{},"layers":[{"id":"x","type":"fill","source":"nope"}]})");
    const std::string validator = test::source_path(
        "node_modules/@maplibre/maplibre-gl-style-spec/dist/gl-style-validate.mjs");
    ASSERT_TRUE(std::filesystem::exists(validator)) << "run scripts/install-deps.sh test (npm ci)";
    const auto run = [&](const std::string& args) {
        return test::run_command("node " + validator + args + " 2>&1");
    };
    const auto valid = run(files);
    EXPECT_EQ(valid.status, 0) << valid.output;
    EXPECT_NE(run(" " + broken).status, 0);
}

TEST(StyleOutputs, CoverageStylesShowTheCoverageOfTheRequestedField) {
    const ServedData& data = test::erfurt_served();
    const GroupCoverage* culture = data.coverage->group("kultur-sport");
    ASSERT_NE(culture, nullptr);
    const json within =
        json::parse(call(api::legend, "erreichbar_im_radius", {{"field", "kultur-sport"}}).body);
    EXPECT_EQ(within["attribute"], "kultur_sport_within");
    EXPECT_EQ(within["field"], "kultur-sport");
    EXPECT_EQ(within["year"], data.coverage->grid.year);
    for (std::size_t d = 0; d < culture->districts.size(); ++d) {
        if (!culture->districts[d].share_within) {
            EXPECT_TRUE(within["districts"][d]["value"].is_null());  // target group withheld
            continue;
        }
        EXPECT_EQ(within["districts"][d]["value"].get<double>(),
                  *culture->districts[d].share_within);
    }
    // Labels show shares as percent while breaks stay on the attribute's 0..1 scale.
    EXPECT_LE(within["classes"].back()["upper"].get<double>(), 1.0);
    EXPECT_NE(within["classes"][0]["label"].get<std::string>().find(" %"), std::string::npos);

    const json gaps =
        json::parse(call(api::legend, "versorgungsluecke", {{"field", "kultur-sport"}}).body);
    EXPECT_EQ(gaps["method"], "bivariate");
    std::size_t gap_districts = 0, unclassified = 0, withheld = 0;
    for (std::size_t d = 0; d < culture->districts.size(); ++d) {
        const auto& c = culture->districts[d];
        const json& cls = gaps["districts"][d]["class"];
        // A withheld target group is "geheim" in the legend, not "nicht klassifiziert".
        EXPECT_EQ(gaps["districts"][d]["suppressed"].get<bool>(), c.target_withheld);
        if (c.need_class == 0) {
            EXPECT_TRUE(cls.is_null());
            (c.target_withheld ? withheld : unclassified)++;
            continue;
        }
        EXPECT_EQ(gaps["classes"][cls.get<std::size_t>()]["value"], c.gap_class());
        gap_districts += c.gap;
    }
    EXPECT_EQ(gaps["classes"][6]["value"], "3-1");  // high need, low access = the gap
    EXPECT_EQ(gaps["classes"][6]["count"].get<std::size_t>(), gap_districts);
    EXPECT_EQ(gaps["missing"]["count"].get<std::size_t>(), unclassified);
    EXPECT_EQ(gaps["suppressed"]["count"].get<std::size_t>(), withheld);
    EXPECT_GT(withheld, 0u);
    EXPECT_GT(unclassified, 0u);  // Erfurt has villages under 300 residents
}

// QGIS's MapBox GL converter reads `match` on a property, not on ["id"]: ?for=qgis matches the
// district key, with the same colour for every district (QGIS's own check: qgis_styles).
TEST(StyleOutputs, VectorTileStyleForQgisMatchesTheDistrictKey) {
    const json plain = json::parse(call(style_document, "auslaender_junge.json", {}).body);
    const json qgis =
        json::parse(call(style_document, "auslaender_junge.json", {{"for", "qgis"}}).body);
    const json& by_id = plain["layers"][1]["paint"]["fill-color"];
    const json& by_key = qgis["layers"][1]["paint"]["fill-color"];
    EXPECT_EQ(by_id[1], json::array({"id"}));
    EXPECT_EQ(by_key[1], (json::array({"get", "key"})));
    ASSERT_EQ(by_key.size(), by_id.size());
    std::map<std::int64_t, std::string> key_of;
    for (const auto& d : test::erfurt_served().dataset.districts) key_of[d.id] = d.key;
    for (std::size_t i = 2; i + 1 < by_id.size(); i += 2) {
        EXPECT_EQ(by_key[i + 1], by_id[i + 1]);  // colours
        ASSERT_EQ(by_key[i].size(), by_id[i].size());
        for (std::size_t k = 0; k < by_id[i].size(); ++k)
            EXPECT_EQ(by_key[i][k], key_of.at(by_id[i][k].get<std::int64_t>()));
    }
    EXPECT_EQ(by_key.back(), by_id.back());  // missing colour
    EXPECT_EQ(status_of("auslaender_junge.json", {{"for", "arcgis"}}), 400);
}

TEST(StyleOutputs, ErrorsAreJsonWithFittingStatus) {
    EXPECT_EQ(status_of("auslaender_anteil.json"), 200);
    EXPECT_EQ(status_of("auslaender_anteil.png"), 404);
    EXPECT_EQ(status_of("auslaender_anteil"), 404);
    EXPECT_EQ(status_of("gibt_es_nicht.qml"), 404);
    EXPECT_EQ(status_of("auslaender_anteil.sld", {{"year", "1850"}}), 404);
    EXPECT_EQ(status_of("auslaender_anteil.sld", {{"year", "zwanzig"}}), 400);
    EXPECT_EQ(status_of("versorgungsluecke.qml", {{"field", "astrologie"}}), 404);
    EXPECT_EQ(status_of("versorgungsluecke.qml", {{"lang", "fr"}}), 400);
}

}  // namespace
}  // namespace atlas::api
