#include "atlas/geo/features.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>

#include "atlas/geo/error.hpp"
#include "atlas/geo/grid.hpp"
#include "geos_util.hpp"

namespace atlas {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

Value number(const std::optional<double>& v) {
    if (!v || !std::isfinite(*v)) return std::monostate{};
    return *v;
}

// Counts as integers so that readers (GDAL, QGIS) type the field as Integer.
Value indicator_value(const std::optional<double>& v, IndicatorKind kind) {
    if (!v) return std::monostate{};
    if (kind == IndicatorKind::count && std::trunc(*v) == *v && std::abs(*v) < 9e15) {
        return static_cast<std::int64_t>(*v);
    }
    return *v;
}

Box merge(Box a, const Box& b) {
    return {std::min(a.min_x, b.min_x), std::min(a.min_y, b.min_y), std::max(a.max_x, b.max_x),
            std::max(a.max_y, b.max_y)};
}

// Appends values one by one: GCC 12 warns falsely (maybe-uninitialized) on initializer lists
// of variants holding strings.
template <typename... T>
void push(std::vector<Value>& values, T&&... items) {
    (values.emplace_back(std::forward<T>(items)), ...);
}

void finish(FeatureLayer& layer) {
    layer.extent = {kInf, kInf, -kInf, -kInf};
    for (const auto& f : layer.features) layer.extent = merge(layer.extent, f.bounds);
}

}  // namespace

std::string value_text(const Value& value) {
    return std::visit(
        [](const auto& x) -> std::string {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
                return "";
            } else if constexpr (std::is_same_v<T, Suppressed>) {
                return ".";
            } else if constexpr (std::is_same_v<T, bool>) {
                return x ? "true" : "false";
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
                return std::to_string(x);
            } else if constexpr (std::is_same_v<T, double>) {
                char buffer[64];
                std::snprintf(buffer, sizeof buffer, "%.15g", x);
                return buffer;
            } else {
                return x;
            }
        },
        value);
}

std::vector<std::size_t> select_features(const FeatureLayer& layer, const FeatureQuery& query) {
    std::vector<std::pair<std::size_t, std::string>> filters;
    for (const auto& [name, wanted] : query.equals) {
        const auto index = layer.attribute(name);
        if (!index)
            throw BadRequest("collection '" + layer.id + "' has no queryable '" + name + "'");
        filters.emplace_back(*index, wanted);
    }
    geos::GeometryPtr box;
    if (query.bbox_wgs84) {
        const Box& b = *query.bbox_wgs84;
        box.reset(GEOSGeom_createRectangle_r(geos::context(), b.min_x, b.min_y, b.max_x, b.max_y));
    }
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < layer.features.size(); ++i) {
        const Feature& f = layer.features[i];
        bool keep = true;
        for (const auto& [index, wanted] : filters) {
            const Value& v = f.values[index];
            if (std::holds_alternative<double>(v) || std::holds_alternative<std::int64_t>(v)) {
                char* end = nullptr;
                const double number = std::strtod(wanted.c_str(), &end);
                const double have = std::holds_alternative<double>(v)
                                        ? std::get<double>(v)
                                        : static_cast<double>(std::get<std::int64_t>(v));
                keep = keep && end != wanted.c_str() && *end == '\0' && number == have;
            } else {
                keep = keep && value_text(v) == wanted;
            }
        }
        if (keep && box) {
            const Box& b = *query.bbox_wgs84;
            keep = f.bounds.max_x >= b.min_x && f.bounds.min_x <= b.max_x &&
                   f.bounds.max_y >= b.min_y && f.bounds.min_y <= b.max_y;
            if (keep) {
                const geos::GeometryPtr g =
                    std::visit([](const auto& shape) { return geos::to_geos(shape); }, f.geometry);
                keep = GEOSIntersects_r(geos::context(), g.get(), box.get()) == 1;
            }
        }
        if (keep) out.push_back(i);
    }
    return out;
}

std::string property_name(std::string_view id) {
    std::string out(id);
    std::replace(out.begin(), out.end(), '-', '_');
    return out;
}

std::optional<std::size_t> FeatureLayer::attribute(std::string_view name) const {
    for (std::size_t i = 0; i < schema.size(); ++i) {
        if (schema[i].name == name) return i;
    }
    return std::nullopt;
}

const Feature* FeatureLayer::feature(std::int64_t id) const {
    // Ids are 1..N in order in every layer built here.
    if (id < 1 || static_cast<std::size_t>(id) > features.size()) return nullptr;
    return &features[static_cast<std::size_t>(id - 1)];
}

// The coverage attributes of a Handlungsfeld, after its property prefix: all rest on the
// population surface (modelled when it is) and on the target group (withheld when it is).
constexpr std::array<const char*, 6> kCoverageMeasures = {"_per_1000", "_distance_m", "_within",
                                                          "_e2sfca",   "_gap_class",  "_gap"};

FeatureLayer districts_layer(const Dataset& ds, int year, const CoverageResult* coverage) {
    FeatureLayer layer;
    layer.id = "districts";
    layer.title_de = ds.config.districts_word;
    layer.title_en = "Districts";
    layer.description = ds.config.title_de + ": " + ds.config.districts_word +
                        " mit Indikatoren des Jahres " + std::to_string(year);
    layer.geometry_type = "Polygon";
    layer.years = ds.years();
    layer.year = year;
    layer.attribution = ds.config.attribution;

    std::string modelled;
    for (const auto& s : ds.indicators) {
        if (!s.meta.official) modelled += (modelled.empty() ? "" : ",") + s.meta.id;
    }
    // Coverage measures rest on the population surface: modelled when it is.
    if (coverage && !coverage->grid.official) {
        for (const auto& g : coverage->groups) {
            if (g.group.kind != "field") continue;
            const std::string p = property_name(g.group.id);
            for (const char* measure : kCoverageMeasures)
                modelled += (modelled.empty() ? "" : ",") + p + measure;
        }
    }
    layer.modelled = !modelled.empty();
    layer.schema = {{"name", ValueType::string, "Name"},
                    {"key", ValueType::string, "Schlüssel"},
                    {"year", ValueType::integer, "Jahr"},
                    {"official_id", ValueType::string, "amtliche Nummer"},
                    {"area_km2", ValueType::number, "Fläche (km²)"},
                    {"modelled_indicators", ValueType::string, "modellierte Indikatoren"},
                    {"suppressed_indicators", ValueType::string,
                     "geheimgehaltene Indikatoren (Fallzahl zu klein)"}};
    for (const auto& s : ds.indicators) {
        layer.schema.push_back(
            {s.meta.id,
             s.meta.kind == IndicatorKind::count ? ValueType::integer : ValueType::number,
             s.meta.label_de});
    }
    std::vector<const GroupCoverage*> fields;
    if (coverage) {
        layer.schema.push_back(
            {"coverage_year", ValueType::integer, "Jahr der Versorgungsanalyse"});
        for (const auto& g : coverage->groups) {
            if (g.group.kind != "field") continue;
            fields.push_back(&g);
            const std::string p = property_name(g.group.id);
            const std::string& l = g.group.label_de;
            layer.schema.insert(
                layer.schema.end(),
                {{p + "_services", ValueType::integer, l + ": Einrichtungen"},
                 {p + "_per_1000", ValueType::number, l + ": Einrichtungen je 1.000 (Zielgruppe)"},
                 {p + "_distance_m", ValueType::number, l + ": mittlere Entfernung (m)"},
                 {p + "_within", ValueType::number, l + ": Anteil im Radius"},
                 {p + "_e2sfca", ValueType::number, l + ": Erreichbarkeit (E2SFCA je 1.000)"},
                 {p + "_gap_class", ValueType::string, l + ": Bedarf-Zugang-Klasse"},
                 {p + "_gap", ValueType::boolean, l + ": Bedarfslücke"}});
        }
    }
    for (std::size_t d = 0; d < ds.districts.size(); ++d) {
        const District& district = ds.districts[d];
        Feature f;
        f.id = district.id;
        f.geometry = district.wgs84;
        f.bounds = bounds(district.wgs84);
        std::string suppressed;
        for (const auto& s : ds.indicators) {
            if (s.suppressed(year, d)) suppressed += (suppressed.empty() ? "" : ",") + s.meta.id;
        }
        // A withheld target group withholds its coverage measures: styles find them here.
        for (const GroupCoverage* g : fields) {
            if (!g->districts[d].target_withheld) continue;
            const std::string p = property_name(g->group.id);
            for (const char* measure : kCoverageMeasures)
                suppressed += (suppressed.empty() ? "" : ",") + p + measure;
        }
        push(f.values, district.name, district.key, static_cast<std::int64_t>(year),
             district.official_id, std::round(district.area_km2 * 1e4) / 1e4, modelled, suppressed);
        for (const auto& s : ds.indicators) {
            const auto values = s.by_year.find(year);
            if (s.suppressed(year, d)) {
                f.values.emplace_back(Suppressed{});
            } else {
                f.values.push_back(values == s.by_year.end()
                                       ? Value{}
                                       : indicator_value(values->second[d], s.meta.kind));
            }
        }
        if (coverage) {
            f.values.push_back(static_cast<std::int64_t>(coverage->grid.year));
            for (const GroupCoverage* g : fields) {
                const auto& c = g->districts[d];
                push(f.values, static_cast<std::int64_t>(c.services), number(c.per_1000),
                     number(c.mean_distance_m), number(c.share_within), number(c.e2sfca_per_1000),
                     c.need_class ? Value{c.gap_class()} : Value{},
                     c.need_class ? Value{c.gap} : Value{});
            }
        }
        layer.features.push_back(std::move(f));
    }
    finish(layer);
    return layer;
}

FeatureLayer services_layer(const Dataset& ds) {
    FeatureLayer layer;
    layer.id = "services";
    layer.title_de = "Einrichtungen";
    layer.title_en = "Services";
    layer.description = ds.config.title_de + ": Einrichtungen nach Kategorie und Handlungsfeld";
    layer.geometry_type = "Point";
    layer.attribution = ds.config.attribution;
    layer.schema = {{"name", ValueType::string, "Name"},
                    {"category", ValueType::string, "Kategorie"},
                    {"field", ValueType::string, "Handlungsfelder"},
                    {"source", ValueType::string, "Quelle"},
                    {"capacity", ValueType::number, "Kapazität"},
                    {"district_id", ValueType::integer, ds.config.district_word + " (id)"},
                    {"district", ValueType::string, ds.config.district_word},
                    {"data_status", ValueType::string, "Datenstatus (Code)"},
                    {"data_status_label", ValueType::string, "Datenstatus"}};
    std::map<std::string, std::string> labels;
    for (const auto& l : ds.config.service_layers) labels[l.id] = l.source_label;
    labels["inventory"] = "Inventar der Integrationsarbeit";
    for (std::size_t i = 0; i < ds.services.size(); ++i) {
        const Service& s = ds.services[i];
        Feature f;
        f.id = static_cast<std::int64_t>(i + 1);
        f.geometry = s.wgs84;
        f.bounds = {s.wgs84.x, s.wgs84.y, s.wgs84.x, s.wgs84.y};
        std::string fields;
        for (const auto& id : s.fields) fields += (fields.empty() ? "" : ",") + id;
        push(f.values, s.name, s.category, fields, labels[s.layer], s.capacity,
             s.district ? Value{static_cast<std::int64_t>(ds.districts[*s.district].id)} : Value{},
             s.district ? Value{ds.districts[*s.district].name} : Value{}, s.data_status,
             data_status_label(s.data_status));
        layer.features.push_back(std::move(f));
    }
    finish(layer);
    // A point outside every district (a typo, 0/0) is still served, but must not stretch the
    // extent — and with it the TileJSON centre and the clients' zoom — into the ocean.
    Box inside{kInf, kInf, -kInf, -kInf};
    for (std::size_t i = 0; i < ds.services.size(); ++i)
        if (ds.services[i].district) inside = merge(inside, layer.features[i].bounds);
    if (inside.min_x <= inside.max_x) layer.extent = inside;
    return layer;
}

namespace {

std::string joined(const std::vector<std::string>& items, const char* separator = ",") {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : separator) + i;
    return out;
}

FeatureLayer inventory_layer(const Dataset& ds, std::string id, std::string de, std::string en,
                             std::string geometry_type) {
    FeatureLayer layer;
    layer.id = std::move(id);
    layer.title_de = std::move(de);
    layer.title_en = std::move(en);
    layer.geometry_type = std::move(geometry_type);
    layer.attribution = ds.config.attribution;
    bool examples = false;
    for (const auto& a : ds.inventory.actors) examples |= a.data_status == kStatusExample;
    layer.description = ds.config.title_de +
                        ": Struktur- und Ressourcenanalyse der Integrationsarbeit" +
                        (examples ? " – enthält Beispieldaten (fiktiv), siehe data_status" : "");
    if (examples)
        layer.attribution.push_back("Inventar: Beispieldaten (fiktiv), keine realen Angebote");
    return layer;
}

}  // namespace

FeatureLayer actors_layer(const Dataset& ds, const NetworkResult& network) {
    FeatureLayer layer = inventory_layer(ds, "actors", "Akteure der Integrationsarbeit",
                                         "Actors of integration work", "Point");
    layer.schema = {{"actor_id", ValueType::string, "Kennung"},
                    {"name", ValueType::string, "Name"},
                    {"kind", ValueType::string, "Trägerart (Code)"},
                    {"kind_label", ValueType::string, "Trägerart"},
                    {"field", ValueType::string, "Handlungsfelder"},
                    {"offers", ValueType::integer, "Angebote"},
                    {"degree", ValueType::integer, "Kooperationspartner"},
                    {"betweenness", ValueType::number, "Betweenness"},
                    {"component", ValueType::integer, "Netzwerkkomponente"},
                    {"isolated", ValueType::boolean, "ohne Kooperation"},
                    {"website", ValueType::string, "Website"},
                    {"contact", ValueType::string, "Kontakt (Organisation)"},
                    {"address", ValueType::string, "Adresse"},
                    {"data_status", ValueType::string, "Datenstatus (Code)"},
                    {"data_status_label", ValueType::string, "Datenstatus"},
                    {"source", ValueType::string, "Quelle"}};
    const Inventory& inv = ds.inventory;
    for (std::size_t i = 0; i < inv.actors.size(); ++i) {
        const Actor& a = inv.actors[i];
        const auto seat = inv.seat(a);
        if (!seat) continue;
        const ActorNetworkMeasures& m = network.actors[i];
        std::int64_t offers = 0;
        for (const auto& o : inv.offers) offers += o.actor_id == a.id;
        Feature f;
        f.id = static_cast<std::int64_t>(i + 1);
        f.geometry = *seat;
        f.bounds = {seat->x, seat->y, seat->x, seat->y};
        push(f.values, a.id, a.name, a.kind, term_label(kActorKinds, a.kind), joined(m.fields),
             offers, static_cast<std::int64_t>(m.degree), m.betweenness,
             static_cast<std::int64_t>(m.component), m.isolated, a.website, a.contact, a.address,
             a.data_status, data_status_label(a.data_status), a.source);
        layer.features.push_back(std::move(f));
    }
    finish(layer);
    return layer;
}

FeatureLayer offers_layer(const Dataset& ds, const InventoryAnalysis& analysis) {
    FeatureLayer layer = inventory_layer(ds, "offers", "Angebote der Integrationsarbeit",
                                         "Offers of integration work", "Point");
    layer.schema = {{"offer_id", ValueType::string, "Kennung"},
                    {"title", ValueType::string, "Angebot"},
                    {"actor_id", ValueType::string, "Träger (Kennung)"},
                    {"actor", ValueType::string, "Träger"},
                    {"actor_kind", ValueType::string, "Trägerart"},
                    {"field", ValueType::string, "Handlungsfelder"},
                    {"target_groups", ValueType::string, "Zielgruppen"},
                    {"languages", ValueType::string, "Sprachen (ISO 639-1)"},
                    {"capacity", ValueType::number, "Kapazität"},
                    {"capacity_unit", ValueType::string, "Einheit"},
                    {"valid_from", ValueType::string, "gültig ab"},
                    {"valid_to", ValueType::string, "gültig bis"},
                    {"funding", ValueType::string, "Förderung"},
                    {"at_risk", ValueType::boolean, "Förderung endet bald"},
                    {"staff_fte", ValueType::number, "Personal (VZÄ)"},
                    {"district_id", ValueType::integer, ds.config.district_word + " (id)"},
                    {"district", ValueType::string, ds.config.district_word},
                    {"address", ValueType::string, "Adresse"},
                    {"data_status", ValueType::string, "Datenstatus (Code)"},
                    {"data_status_label", ValueType::string, "Datenstatus"},
                    {"source", ValueType::string, "Quelle"}};
    const Inventory& inv = ds.inventory;
    for (std::size_t i = 0; i < inv.offers.size(); ++i) {
        const Offer& o = inv.offers[i];
        if (o.place != PlaceKind::point || !o.location) continue;
        const Actor* a = inv.actor(o.actor_id);
        std::string funding;
        for (const auto& fund : o.funding)
            funding += (funding.empty() ? "" : "; ") + term_label(kFundingSources, fund.source) +
                       (fund.until.empty() ? "" : " bis " + fund.until);
        const bool at_risk = std::find(analysis.at_risk.begin(), analysis.at_risk.end(), o.id) !=
                             analysis.at_risk.end();
        Value district_id, district_name;
        if (i < ds.offer_district.size() && ds.offer_district[i]) {
            const District& d = ds.districts[*ds.offer_district[i]];
            district_id = static_cast<std::int64_t>(d.id);
            district_name = d.name;
        }
        Feature f;
        f.id = static_cast<std::int64_t>(i + 1);
        f.geometry = *o.location;
        f.bounds = {o.location->x, o.location->y, o.location->x, o.location->y};
        push(f.values, o.id, o.title, o.actor_id, a ? a->name : "",
             a ? term_label(kActorKinds, a->kind) : "", joined(o.fields), joined(o.target_groups),
             joined(o.languages), o.capacity ? Value{*o.capacity} : Value{},
             o.capacity ? Value{term_label(kCapacityUnits, o.capacity_unit)} : Value{},
             o.valid_from, o.valid_to, funding, at_risk,
             o.staff_fte ? Value{*o.staff_fte} : Value{}, district_id, district_name, o.address,
             o.data_status, data_status_label(o.data_status), o.source);
        layer.features.push_back(std::move(f));
    }
    finish(layer);
    return layer;
}

FeatureLayer cooperations_layer(const Dataset& ds) {
    FeatureLayer layer =
        inventory_layer(ds, "cooperations", "Kooperationen", "Cooperations", "LineString");
    layer.schema = {{"cooperation_id", ValueType::string, "Kennung"},
                    {"actor_a", ValueType::string, "Akteur A (Kennung)"},
                    {"actor_a_name", ValueType::string, "Akteur A"},
                    {"actor_b", ValueType::string, "Akteur B (Kennung)"},
                    {"actor_b_name", ValueType::string, "Akteur B"},
                    {"kind", ValueType::string, "Art (Code)"},
                    {"kind_label", ValueType::string, "Art"},
                    {"since", ValueType::string, "seit"},
                    {"data_status", ValueType::string, "Datenstatus (Code)"},
                    {"data_status_label", ValueType::string, "Datenstatus"},
                    {"source", ValueType::string, "Quelle"}};
    const Inventory& inv = ds.inventory;
    for (std::size_t i = 0; i < inv.cooperations.size(); ++i) {
        const Cooperation& c = inv.cooperations[i];
        const Actor* a = inv.actor(c.actor_a);
        const Actor* b = inv.actor(c.actor_b);
        const auto from = a ? inv.seat(*a) : std::nullopt;
        const auto to = b ? inv.seat(*b) : std::nullopt;
        if (!from || !to) continue;
        Feature f;
        f.id = static_cast<std::int64_t>(i + 1);
        f.geometry = LineString{{*from, *to}};
        f.bounds = {std::min(from->x, to->x), std::min(from->y, to->y), std::max(from->x, to->x),
                    std::max(from->y, to->y)};
        push(f.values, c.id, c.actor_a, a->name, c.actor_b, b->name, c.kind,
             term_label(kCooperationKinds, c.kind), c.since, c.data_status,
             data_status_label(c.data_status), c.source);
        layer.features.push_back(std::move(f));
    }
    finish(layer);
    return layer;
}

FeatureLayer grid_layer(const Dataset& ds, const CoverageResult& coverage) {
    FeatureLayer layer;
    layer.id = "grid";
    layer.title_de = "Bevölkerungsraster 100 m";
    layer.title_en = "Population grid 100 m";
    layer.description = "Einwohner und Zielgruppe je Rasterzelle (" + coverage.grid.method + ", " +
                        (coverage.grid.official ? "amtlich" : "modelliert") +
                        ") und Entfernung zur nächsten Einrichtung je Handlungsfeld";
    layer.geometry_type = "Polygon";
    layer.years = {coverage.grid.year};
    layer.year = coverage.grid.year;
    layer.attribution = ds.config.attribution;
    layer.modelled = !coverage.grid.official;
    layer.schema = {
        {"cell_id", ValueType::string, "Zellen-ID (INSPIRE)"},
        {"district_id", ValueType::integer, ds.config.district_word + ", zu dem die Zelle zählt"},
        {"population", ValueType::number, "Einwohner"},
        {"target_group", ValueType::number, "Zielgruppe"},
        {"data_status", ValueType::string, "Datenstatus (Code)"}};
    std::vector<const GroupCoverage*> fields;
    for (const auto& g : coverage.groups) {
        if (g.group.kind != "field") continue;
        fields.push_back(&g);
        layer.schema.push_back({"dist_" + property_name(g.group.id), ValueType::number,
                                g.group.label_de + ": Entfernung zur nächsten Einrichtung (m)"});
    }
    for (std::size_t i = 0; i < coverage.grid.cells.size(); ++i) {
        const GridCell& cell = coverage.grid.cells[i];
        Feature f;
        f.id = static_cast<std::int64_t>(i + 1);
        MultiPolygon square{cell_polygon_wgs84(cell, coverage.grid)};
        f.bounds = bounds(square);
        f.geometry = std::move(square);
        f.values.emplace_back(cell.id);
        f.values.push_back(cell.district
                               ? Value{static_cast<std::int64_t>(ds.districts[*cell.district].id)}
                               : Value{});
        push(f.values, std::round(cell.population * 100) / 100, std::round(cell.target * 100) / 100,
             std::string(coverage.grid.official ? "official" : "modelled"));
        for (const GroupCoverage* g : fields) {
            const double d = g->cell_distance_m[i];
            f.values.push_back(std::isfinite(d) ? Value{std::round(d)} : Value{});
        }
        layer.features.push_back(std::move(f));
    }
    finish(layer);
    return layer;
}

}  // namespace atlas
