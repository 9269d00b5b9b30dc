#include "atlas/geo/config.hpp"

#include <cstdlib>
#include <filesystem>
#include <set>

#include "atlas/geo/crs.hpp"
#include "atlas/geo/error.hpp"
#include "inventory_checks.hpp"
#include "toml_reader.hpp"

namespace atlas {

namespace {

IndicatorKind parse_kind(const TableReader& reader, const toml::table& table) {
    const auto kind = reader.text("kind", false, "count");
    if (kind == "count") return IndicatorKind::count;
    if (kind == "share") return IndicatorKind::share;
    if (kind == "rate") return IndicatorKind::rate;
    if (kind == "density") return IndicatorKind::density;
    reader.fail("kind", table["kind"].node()->source(),
                "must be count, share, rate or density, not '" + kind + "'");
}

IndicatorConfig read_indicator(const toml::table& table, const std::string& file,
                               const std::string& prefix, bool derived) {
    TableReader reader(table, file, prefix);
    IndicatorConfig ind;
    ind.id = reader.text("id");
    ind.label_de = reader.text("label_de");
    ind.label_en = reader.text("label_en", false, ind.label_de);
    ind.unit = reader.text("unit", false);
    ind.kind = parse_kind(reader, table);
    ind.source = reader.text("source", false);
    if (derived) {
        ind.change_of = reader.text("change_of", false);
        if (!ind.change_of.empty()) {
            ind.base_year = reader.integer("base_year");
            ind.period = reader.integer("period");
            if (ind.base_year.has_value() == ind.period.has_value()) {
                reader.fail("change_of", table.source(),
                            "a change needs exactly one of base_year (change since that year) "
                            "or period (change over that many years)");
            }
            if (ind.period && *ind.period < 1) {
                reader.fail("period", table["period"].node()->source(), "must be at least 1 year");
            }
            ind.base_of = reader.text("base_of", false);
            if (!ind.base_of.empty() && !ind.base_year) {
                reader.fail("base_of", table["base_of"].node()->source(),
                            "needs base_year: the year whose value of '" + ind.base_of +
                                "' the change starts from");
            }
            ind.base_label_de = reader.text("base_label_de", false);
            ind.base_label_en = reader.text("base_label_en", false, ind.base_label_de);
        } else {
            ind.numerator = reader.text("numerator");
            if (ind.kind != IndicatorKind::density) ind.denominator = reader.text("denominator");
            ind.scale = reader.number("scale", 1);
        }
    } else {
        ind.column = reader.text("column", false, ind.id);
        ind.official = reader.boolean("official", false);
        if (!table.contains("official")) {
            reader.fail("official", table.source(),
                        "is required: say whether the values are official statistics (true) or "
                        "modelled (false)");
        }
    }
    return ind;
}

std::map<std::string, double> read_distances(const TableReader& parent, std::string_view key,
                                             const std::string& file) {
    std::map<std::string, double> out;
    const toml::table* section = parent.table(key, false);
    if (!section) return out;
    TableReader reader(*section, file, "coverage." + std::string(key) + ".");
    for (const auto& [name, value] : *section) {
        const std::string id(name.str());
        const double metres = reader.number(id, 0);
        if (!(metres > 0)) reader.fail(id, value.source(), "must be a positive distance in metres");
        out[id] = metres;
    }
    return out;
}

SecrecyConfig read_secrecy(const toml::table& table, const std::string& file,
                           const std::vector<IndicatorTableConfig>& tables) {
    std::set<std::string> counts;
    for (const auto& t : tables)
        for (const auto& ind : t.indicators)
            if (ind.kind == IndicatorKind::count) counts.insert(ind.id);
    TableReader r(table, file, "secrecy.");
    SecrecyConfig secrecy;
    if (const auto min = r.integer("min_count")) {
        if (*min < 2 || *min > 1000)
            r.fail("min_count", table["min_count"].node()->source(),
                   "must be from 2 to 1000 (counts below it are suppressed)");
        secrecy.min_count = *min;
    }
    if (const auto protection = r.integer("protection")) {
        if (*protection < 0 || *protection > 1000)
            r.fail("protection", table["protection"].node()->source(),
                   "must be from 0 to 1000 (how far above min_count a withheld count must stay "
                   "possible)");
        secrecy.protection = static_cast<int>(*protection);
    }
    secrecy.city_totals = r.boolean("city_totals", true);
    if (const auto zeros = r.text("zeros", false, "publish"); zeros == "withhold") {
        secrecy.publish_zeros = false;
    } else if (zeros != "publish") {
        r.fail("zeros", table["zeros"].node()->source(),
               "must be \"publish\" (default) or \"withhold\"");
    }
    if (const auto method = r.text("method", false, "audit"); method == "subtraction") {
        secrecy.method = SecrecyMethod::subtraction;
    } else if (method != "audit") {
        r.fail("method", table["method"].node()->source(),
               "must be \"audit\" (default) or \"subtraction\"");
    }
    if (const auto* totals = r.tables("totals")) {
        for (const auto& node : *totals) {
            const auto& t = *node.as_table();
            TableReader tr(t, file, "secrecy.totals.");
            SecrecyTotal total{tr.text("total"), tr.texts("parts")};
            if (total.parts.size() < 2)
                tr.fail("parts", t.source(), "must name at least two count indicators");
            for (const auto& id : total.parts) {
                if (!counts.contains(id))
                    tr.fail("parts", t["parts"].node()->source(),
                            "'" + id + "' is not a count indicator of an indicator table");
            }
            if (!counts.contains(total.total))
                tr.fail("total", t["total"].node()->source(),
                        "'" + total.total + "' is not a count indicator of an indicator table");
            secrecy.totals.push_back(std::move(total));
        }
    }
    return secrecy;
}

InventoryConfig read_inventory(const toml::table& table, const std::string& file,
                               const fs::path& base, const std::set<std::string>& field_ids) {
    TableReader r(table, file, "inventory.");
    InventoryConfig cfg;
    cfg.file = r.path("file", base);
    cfg.examples_file = r.path("examples_file", base, false);
    if (const auto* groups = r.tables("target_groups")) {
        for (const auto& node : *groups) {
            TableReader g(*node.as_table(), file, "inventory.target_groups.");
            cfg.target_groups.push_back(
                {g.text("id"), g.text("label_de"), g.text("label_en", false, g.text("label_de"))});
        }
    }
    cfg.coordinates_crs = r.text("coordinates_crs", false, cfg.coordinates_crs);
    if (!is_known_crs(cfg.coordinates_crs))
        r.fail("coordinates_crs", table["coordinates_crs"].node()->source(),
               "'" + cfg.coordinates_crs + "' is not a CRS PROJ knows");
    cfg.as_of = r.text("as_of", false);
    if (!cfg.as_of.empty() && !inventory_detail::is_iso_date(cfg.as_of))
        r.fail("as_of", table["as_of"].node()->source(), "must be a date YYYY-MM-DD");
    if (const auto months = r.integer("risk_months")) {
        if (*months < 1 || *months > 120)
            r.fail("risk_months", table["risk_months"].node()->source(), "must be 1 to 120");
        cfg.risk_months = *months;
    }
    if (const auto* columns = r.table("columns", false)) {
        TableReader c(*columns, file, "inventory.columns.");
        InventoryColumns& k = cfg.columns;
        const std::pair<const char*, std::string*> keys[] = {
            {"offers_sheet", &k.offers_sheet},
            {"cooperations_sheet", &k.cooperations_sheet},
            {"actor", &k.actor},
            {"actor_kind", &k.actor_kind},
            {"website", &k.website},
            {"contact", &k.contact},
            {"title", &k.title},
            {"fields", &k.fields},
            {"target_groups", &k.target_groups},
            {"languages", &k.languages},
            {"lon", &k.lon},
            {"lat", &k.lat},
            {"easting", &k.easting},
            {"northing", &k.northing},
            {"district", &k.district},
            {"place", &k.place},
            {"address", &k.address},
            {"capacity", &k.capacity},
            {"capacity_unit", &k.capacity_unit},
            {"valid_from", &k.valid_from},
            {"valid_to", &k.valid_to},
            {"funding", &k.funding},
            {"staff", &k.staff},
            {"source", &k.source},
            {"data_status", &k.data_status},
            {"partner_a", &k.partner_a},
            {"partner_b", &k.partner_b},
            {"cooperation_kind", &k.cooperation_kind},
            {"since", &k.since}};
        for (const auto& [key, value] : *columns) {
            bool known = false;
            for (const auto& [name, target] : keys) {
                if (key.str() != name) continue;
                *target = c.text(name);
                known = true;
            }
            if (!known)
                c.fail(key.str(), value.source(), "is not a column role of the inventory import");
        }
    }
    if (const auto* coverage = r.table("coverage", false)) {
        TableReader c(*coverage, file, "inventory.coverage.");
        for (const auto& [key, value] : *coverage) {
            const std::string field(key.str());
            const std::string use = c.text(field);
            if (!field_ids.contains(field))
                c.fail(field, value.source(), "is not a Handlungsfeld of [[handlungsfelder]]");
            if (use != "both" && use != "inventory" && use != "services")
                c.fail(field, value.source(), "must be \"both\", \"inventory\" or \"services\"");
            cfg.coverage[field] = use;
        }
    }
    return cfg;
}

CoverageConfig read_coverage(const toml::table& table, const std::string& file,
                             const fs::path& base, const std::set<std::string>& indicator_ids) {
    TableReader c(table, file, "coverage.");
    CoverageConfig cfg;
    const std::pair<const char*, std::string*> indicators[] = {{"population", &cfg.population},
                                                               {"target", &cfg.target}};
    for (const auto& [key, target] : indicators) {
        *target = c.text(key);
        if (!indicator_ids.contains(*target)) {
            c.fail(key, table[key].node()->source(),
                   "names indicator '" + *target + "', which is not defined");
        }
    }
    if (table.contains("year")) cfg.year = static_cast<int>(c.number("year", 0));
    cfg.min_population = c.number("min_population", cfg.min_population);
    cfg.need = c.text("need", false, cfg.need);
    if (cfg.need != "count" && cfg.need != "share") {
        c.fail("need", table["need"].node()->source(), "must be \"count\" or \"share\"");
    }
    cfg.access = c.text("access", false, cfg.access);
    if (cfg.access != "e2sfca" && cfg.access != "share_within") {
        c.fail("access", table["access"].node()->source(),
               "must be \"e2sfca\" or \"share_within\"");
    }
    cfg.grid_crs = c.text("grid_crs", false, cfg.grid_crs);
    cfg.cell_size_m = c.number("cell_size_m", cfg.cell_size_m);
    cfg.radius_m = c.number("radius_m", cfg.radius_m);
    cfg.catchment_m = c.number("catchment_m", cfg.catchment_m);
    const std::pair<const char*, double> distances[] = {{"cell_size_m", cfg.cell_size_m},
                                                        {"radius_m", cfg.radius_m},
                                                        {"catchment_m", cfg.catchment_m}};
    for (const auto& [key, value] : distances) {
        if (!(value > 0))
            c.fail(key, table[key].node()->source(), "must be a positive number of metres");
    }
    cfg.radius_by_group = read_distances(c, "radius_by_group", file);
    cfg.catchment_by_group = read_distances(c, "catchment_by_group", file);
    if (const auto* landuse = c.table("landuse", false)) {
        TableReader l(*landuse, file, "coverage.landuse.");
        cfg.landuse =
            LandUseConfig{l.path("source", base), l.text("layer", false), l.text("crs", false)};
    }
    if (const auto* grid = c.table("grid_csv", false)) {
        TableReader g(*grid, file, "coverage.grid_csv.");
        GridCsvConfig csv;
        csv.file = g.path("file", base);
        csv.id_column = g.text("id_column", false);
        csv.x_column = g.text("x_column", false);
        csv.y_column = g.text("y_column", false);
        if (csv.id_column.empty() && (csv.x_column.empty() || csv.y_column.empty())) {
            g.fail("id_column", grid->source(),
                   "is required unless x_column and y_column are given");
        }
        csv.population_column = g.text("population_column");
        csv.target_column = g.text("target_column", false);
        csv.official = g.boolean("official", true);
        csv.scale_to_districts = g.boolean("scale_to_districts", false);
        const auto delimiter = g.text("delimiter", false);
        if (!delimiter.empty()) csv.delimiter = delimiter[0];
        cfg.grid_csv = std::move(csv);
    }
    return cfg;
}

}  // namespace

DatasetConfig load_config(const std::string& path) {
    toml::table root;
    try {
        root = toml::parse_file(path);
    } catch (const toml::parse_error& err) {
        const auto& where = err.source();
        std::optional<std::int64_t> line;
        if (where.begin.line > 0) line = where.begin.line;
        if (!fs::exists(path)) throw InputError({path, {}, {}, {}}, "cannot open the file");
        throw InputError({path, line, {}, {}}, std::string(err.description()));
    }
    const fs::path base = fs::absolute(path).parent_path();
    DatasetConfig config;
    config.path = path;

    TableReader top(root, path, "");
    const toml::table* dataset = top.table("dataset", true);
    TableReader ds(*dataset, path, "dataset.");
    config.id = ds.text("id");
    config.title_de = ds.text("title_de");
    config.title_en = ds.text("title_en", false, config.title_de);
    config.district_word = ds.text("district_word", false, config.district_word);
    config.districts_word = ds.text("districts_word", false, config.districts_word);
    config.report_title = ds.text("report_title", false, config.report_title);
    config.working_crs = ds.text("working_crs", false, config.working_crs);
    config.attribution = ds.texts("attribution");
    config.attribution_en = ds.texts("attribution_en");
    if (config.attribution_en.empty()) config.attribution_en = config.attribution;
    config.licence_note = ds.text("licence_note", false);
    config.styles_dir = ds.path("styles", base, false);
    config.default_style = ds.text("default_style", false);
    config.store = ds.path("store", base, false);
    if (config.store.empty()) config.store = (base / "atlas-store.gpkg").string();
    config.store_files =
        config.store.starts_with("PG:") ? (base / "atlas-store.d").string() : config.store + ".d";
    if (config.attribution.empty()) {
        ds.fail("attribution", dataset->source(), "must name at least one data source");
    }

    TableReader dist(*top.table("districts", true), path, "districts.");
    config.districts.source = dist.path("source", base);
    config.districts.layer = dist.text("layer", false);
    config.districts.key_field = dist.text("key_field");
    config.districts.name_field = dist.text("name_field", false, config.districts.key_field);
    config.districts.official_id_field = dist.text("official_id_field", false);
    config.districts.crs = dist.text("crs", false);
    config.districts.encoding = dist.text("encoding", false);

    if (const auto* fields = top.tables("handlungsfelder")) {
        for (const auto& node : *fields) {
            TableReader f(*node.as_table(), path, "handlungsfelder.");
            config.fields.push_back({f.text("id"), f.text("label_de"), f.text("label_en")});
        }
    }
    std::set<std::string> field_ids;
    for (const auto& f : config.fields) field_ids.insert(f.id);

    std::set<std::string> indicator_ids;
    const auto register_id = [&](const TableReader& reader, const toml::table& table,
                                 const std::string& id) {
        if (!indicator_ids.insert(id).second) {
            reader.fail("id", table["id"].node()->source(),
                        "indicator '" + id + "' is defined twice");
        }
    };
    if (const auto* tables = top.tables("indicator_tables")) {
        for (const auto& node : *tables) {
            const auto& table = *node.as_table();
            TableReader t(table, path, "indicator_tables.");
            IndicatorTableConfig cfg;
            cfg.file = t.path("file", base);
            cfg.id = t.text("id", false, fs::path(cfg.file).stem().string());
            cfg.layer = t.text("layer", false);
            cfg.grid_id_column = t.text("grid_id_column", false);
            if (cfg.grid_id_column.empty()) {
                cfg.key_column = t.text("key_column");
                cfg.year_column = t.text("year_column");
            } else {
                cfg.grid_crs = t.text("grid_crs", false, cfg.grid_crs);
                cfg.cell_size_m = t.number("cell_size_m", cfg.cell_size_m);
                if (!(cfg.cell_size_m > 0))
                    t.fail("cell_size_m", table.source(), "must be a positive size in metres");
                cfg.year = t.integer("year");
                if (!cfg.year)
                    t.fail("year", table.source(),
                           "is required for a grid table (grid_id_column): the census date's year");
            }
            const auto delimiter = t.text("delimiter", false);
            if (delimiter.size() > 1) {
                t.fail("delimiter", table["delimiter"].node()->source(), "must be one character");
            }
            if (!delimiter.empty()) cfg.delimiter = delimiter[0];
            const auto* indicators = t.tables("indicators");
            if (!indicators || indicators->empty()) {
                t.fail("indicators", table.source(), "must list at least one indicator");
            }
            for (const auto& ind_node : *indicators) {
                const auto& ind_table = *ind_node.as_table();
                auto ind = read_indicator(ind_table, path, "indicator_tables.indicators.", false);
                register_id(TableReader(ind_table, path, "indicator_tables.indicators."), ind_table,
                            ind.id);
                cfg.indicators.push_back(std::move(ind));
            }
            config.indicator_tables.push_back(std::move(cfg));
        }
    }
    if (const auto* derived = top.tables("derived_indicators")) {
        for (const auto& node : *derived) {
            const auto& table = *node.as_table();
            TableReader d(table, path, "derived_indicators.");
            auto ind = read_indicator(table, path, "derived_indicators.", true);
            for (const auto& [key, part] :
                 {std::pair{"numerator", &ind.numerator},
                  std::pair{"denominator", &ind.denominator},
                  std::pair{"change_of", &ind.change_of}, std::pair{"base_of", &ind.base_of}}) {
                if (!part->empty() && !indicator_ids.contains(*part)) {
                    d.fail(key, table.source(),
                           "names indicator '" + *part +
                               "', which no indicator table or earlier derived indicator defines");
                }
            }
            register_id(d, table, ind.id);
            config.derived_indicators.push_back(std::move(ind));
        }
    }

    if (const auto* layers = top.tables("services")) {
        for (const auto& node : *layers) {
            const auto& table = *node.as_table();
            TableReader s(table, path, "services.");
            ServiceLayerConfig layer;
            layer.id = s.text("id");
            layer.source = s.path("source", base);
            layer.layer = s.text("layer", false);
            layer.name_field = s.text("name_field");
            layer.category_field = s.text("category_field");
            layer.capacity_field = s.text("capacity_field", false);
            layer.source_label = s.text("source_label");
            layer.crs = s.text("crs", false);
            layer.encoding = s.text("encoding", false);
            if (const auto* categories = s.table("categories", true)) {
                TableReader c(*categories, path, "services.categories.");
                for (const auto& [key, value] : *categories) {
                    const std::string category(key.str());
                    auto ids = c.texts(category);
                    for (const auto& id : ids) {
                        if (!field_ids.contains(id)) {
                            c.fail(category, value.source(),
                                   "maps to Handlungsfeld '" + id +
                                       "', which [[handlungsfelder]] does not define");
                        }
                    }
                    layer.category_fields[category] = std::move(ids);
                }
            }
            config.service_layers.push_back(std::move(layer));
        }
    }
    if (const auto* server = top.table("server", false)) {
        TableReader srv(*server, path, "server.");
        config.server.public_base_url = srv.text("public_base_url", false);
        while (config.server.public_base_url.ends_with('/'))
            config.server.public_base_url.pop_back();
        config.server.trust_forwarded_headers = srv.boolean("trust_forwarded_headers", false);
        config.server.cors_origin = srv.text("cors_origin", false, "*");
        config.server.public_read = srv.boolean("public_read", true);
        config.server.metrics_public = srv.boolean("metrics_public", config.server.public_read);
        for (const auto& [key, into] : {std::pair{"update_tokens", &config.server.update_tokens},
                                        std::pair{"read_tokens", &config.server.read_tokens}}) {
            const auto* tokens = srv.tables(key);
            if (!tokens) continue;
            for (const auto& node : *tokens) {
                const auto& t = *node.as_table();
                TableReader tr(t, path, std::string("server.") + key + ".");
                UpdateToken token{tr.text("name"), tr.text("token", false)};
                if (const auto env = tr.text("env", false); !env.empty()) {
                    const char* value = std::getenv(env.c_str());
                    // An unset variable leaves this token out: the server starts, its use fails.
                    if (value) token.token = value;
                }
                if (token.token.size() >= 16)
                    into->push_back(token);
                else if (!token.token.empty())
                    tr.fail("token", t.source(), "must be at least 16 characters");
            }
        }
        const double cache_mb = srv.number("tile_cache_mb", 64);
        if (!(cache_mb >= 0) || cache_mb > 1e6) {
            srv.fail("tile_cache_mb", server->source(),
                     "must be a number of megabytes from 0 to 1000000");
        }
        config.server.tile_cache_mb = static_cast<std::size_t>(cache_mb);
        if (const auto* control = srv.table("cache_control", false)) {
            TableReader c(*control, path, "server.cache_control.");
            for (const auto& [key, value] : *control) {
                config.server.cache_control[std::string(key.str())] = c.text(key.str());
            }
        }
    }
    if (const auto* coverage = top.table("coverage", false)) {
        config.coverage = read_coverage(*coverage, path, base, indicator_ids);
    }
    if (const auto* monitoring = top.table("monitoring", false)) {
        TableReader m(*monitoring, path, "monitoring.");
        MonitoringConfig mc;
        mc.indicators = m.texts("indicators");
        if (mc.indicators.empty())
            m.fail("indicators", monitoring->source(), "must name at least one indicator");
        mc.population = m.text("population");
        for (const auto& id : mc.indicators) {
            if (!indicator_ids.contains(id))
                m.fail("indicators", (*monitoring)["indicators"].node()->source(),
                       "'" + id + "' is not an indicator of this dataset");
        }
        if (!indicator_ids.contains(mc.population))
            m.fail("population", (*monitoring)["population"].node()->source(),
                   "'" + mc.population + "' is not an indicator of this dataset");
        if (const auto period = m.integer("period")) {
            if (*period < 1 || *period > 50)
                m.fail("period", (*monitoring)["period"].node()->source(), "must be 1 to 50 years");
            mc.period = *period;
        }
        mc.min_population = m.number("min_population", 300);
        if (const auto least = m.integer("min_indicators")) {
            if (*least < 1 || static_cast<std::size_t>(*least) > mc.indicators.size())
                m.fail("min_indicators", (*monitoring)["min_indicators"].node()->source(),
                       "must be 1 to the number of indicators (" +
                           std::to_string(mc.indicators.size()) + ")");
            mc.min_indicators = static_cast<std::size_t>(*least);
        }
        config.monitoring = mc;
    }
    if (const auto* inventory = top.table("inventory", false)) {
        config.inventory = read_inventory(*inventory, path, base, field_ids);
    }
    if (const auto* planning = top.table("planning", false)) {
        TableReader p(*planning, path, "planning.");
        if (const auto* layers = p.tables("candidates")) {
            for (const auto& node : *layers) {
                TableReader c(*node.as_table(), path, "planning.candidates.");
                CandidateLayerConfig layer;
                layer.id = c.text("id");
                layer.label_de = c.text("label_de", false, layer.id);
                layer.file = c.path("file", base);
                layer.name_column = c.text("name_column", false, layer.name_column);
                layer.lon_column = c.text("lon_column", false, layer.lon_column);
                layer.lat_column = c.text("lat_column", false, layer.lat_column);
                if (layer.id == "cells")
                    c.fail(
                        "id", node.as_table()->source(),
                        "'cells' is the built-in set of populated grid cells; choose another id");
                config.planning_candidates.push_back(std::move(layer));
            }
        }
    }
    if (const auto* secrecy = top.table("secrecy", false)) {
        config.secrecy = read_secrecy(*secrecy, path, config.indicator_tables);
    }
    return config;
}

}  // namespace atlas
