#include "atlas/geo/inventory_analysis.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>

namespace atlas {

namespace {

using nlohmann::json;

json optional_json(const std::optional<double>& v) {
    return v ? json(*v) : json(nullptr);
}

std::string district_name(const Dataset& ds, std::size_t d) {
    return ds.districts[d].name;
}

// Ends of the offer's funding: the latest end date, or nullopt when any source is open-ended
// or no funding is recorded (nothing is known to end).
std::optional<std::string> funding_end(const Offer& o) {
    if (o.funding.empty()) return std::nullopt;
    std::string latest;
    for (const auto& f : o.funding) {
        if (f.until.empty()) return std::nullopt;
        latest = std::max(latest, f.until);
    }
    return latest;
}

}  // namespace

std::string today_iso() {
    const auto days = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    const std::chrono::year_month_day ymd{days};
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return buffer;
}

std::string add_months(const std::string& iso, int months) {
    int y = std::stoi(iso.substr(0, 4));
    int m = std::stoi(iso.substr(5, 2)) + months;
    int d = std::stoi(iso.substr(8, 2));
    y += (m - 1) / 12;
    m = (m - 1) % 12 + 1;
    const std::chrono::year_month_day_last last{
        std::chrono::year{y} / std::chrono::month{static_cast<unsigned>(m)} / std::chrono::last};
    d = std::min(d, static_cast<int>(static_cast<unsigned>(last.day())));
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", y, m, d);
    return buffer;
}

InventoryAnalysis analyse_inventory(const Dataset& ds, const CoverageResult* coverage,
                                    std::string as_of) {
    InventoryAnalysis out;
    const auto& cfg = ds.config.inventory;
    out.risk_months = cfg ? cfg->risk_months : 12;
    if (as_of.empty() && cfg) as_of = cfg->as_of;
    out.as_of = as_of.empty() ? today_iso() : as_of;
    out.risk_until = add_months(out.as_of, out.risk_months);
    if (coverage) {
        const IndicatorSeries* target = ds.indicator(coverage->config.target);
        out.target_label = (target ? target->meta.label_de : coverage->config.target) + " (" +
                           std::to_string(coverage->grid.year) + ")";
    }

    const Inventory& inv = ds.inventory;
    for (const auto& o : inv.offers) {
        const auto end = funding_end(o);
        if (!end) continue;
        if (*end < out.as_of)
            out.expired.push_back(o.id);
        else if (*end <= out.risk_until)
            out.at_risk.push_back(o.id);
    }
    const std::set<std::string> risky(out.at_risk.begin(), out.at_risk.end());

    for (const auto& field : ds.config.fields) {
        FieldInventory f;
        f.field = field;
        f.districts.resize(ds.districts.size());
        const GroupCoverage* group = coverage ? coverage->group(field.id) : nullptr;
        std::set<std::string> actors;
        std::vector<std::set<std::string>> languages(ds.districts.size());
        for (std::size_t i = 0; i < inv.offers.size(); ++i) {
            const Offer& o = inv.offers[i];
            if (std::find(o.fields.begin(), o.fields.end(), field.id) == o.fields.end()) continue;
            ++f.offers;
            actors.insert(o.actor_id);
            const bool example = o.data_status == kStatusExample;
            f.example_offers += example;
            if (o.capacity) f.capacity[o.capacity_unit] += *o.capacity;
            if (o.staff_fte) f.staff_fte += *o.staff_fte;
            if (const Actor* a = inv.actor(o.actor_id)) ++f.by_actor_kind[a->kind];
            std::set<std::string> sources;
            for (const auto& fund : o.funding) sources.insert(fund.source);
            for (const auto& s : sources) ++f.by_funding[s];
            for (const auto& l : o.languages) ++f.languages[l];
            if (risky.contains(o.id)) f.at_risk.push_back(o.id);
            const auto district =
                i < ds.offer_district.size() ? ds.offer_district[i] : std::nullopt;
            switch (o.place) {
                case PlaceKind::citywide:
                    ++f.citywide;
                    break;
                case PlaceKind::mobile:
                    ++f.mobile;
                    break;
                case PlaceKind::unplaced:
                    ++f.unplaced;
                    break;
                default:
                    district ? ++f.in_districts : ++f.outside;
            }
            if (!district) continue;
            FieldDistrictInventory& d = f.districts[*district];
            ++d.offers;
            d.example_offers += example;
            if (o.capacity) d.capacity[o.capacity_unit] += *o.capacity;
            languages[*district].insert(o.languages.begin(), o.languages.end());
        }
        f.actors = actors.size();
        double city_target = 0;
        bool city_complete = true;
        for (std::size_t d = 0; d < f.districts.size(); ++d) {
            FieldDistrictInventory& row = f.districts[d];
            row.languages.assign(languages[d].begin(), languages[d].end());
            if (!group) continue;
            if (group->districts[d].target_withheld) {
                city_complete = false;  // secrecy: no figure of this district, no true sum
                continue;
            }
            row.target = group->districts[d].target;
            city_target += *row.target;
            if (*row.target > 0) {
                row.offers_per_1000 = static_cast<double>(row.offers) / *row.target * 1000;
                for (const auto& [unit, value] : row.capacity)
                    row.capacity_per_1000[unit] = value / *row.target * 1000;
            }
        }
        if (group && city_complete) {
            f.target = city_target;
            if (city_target > 0)
                f.offers_per_1000 = static_cast<double>(f.offers) / city_target * 1000;
        }
        out.fields.push_back(std::move(f));
    }
    return out;
}

namespace {

json field_json(const Dataset& ds, const InventoryAnalysis& a, const FieldInventory& f) {
    json districts = json::array();
    for (std::size_t d = 0; d < f.districts.size(); ++d) {
        const auto& row = f.districts[d];
        districts.push_back({{"district_id", ds.districts[d].id},
                             {"district", district_name(ds, d)},
                             {"offers", row.offers},
                             {"example_offers", row.example_offers},
                             {"capacity", row.capacity},
                             {"target_group", optional_json(row.target)},
                             {"offers_per_1000", optional_json(row.offers_per_1000)},
                             {"capacity_per_1000", row.capacity_per_1000},
                             {"languages", row.languages}});
    }
    json kinds = json::object();
    for (const auto& [kind, n] : f.by_actor_kind) kinds[term_label(kActorKinds, kind)] = n;
    json funding = json::object();
    for (const auto& [source, n] : f.by_funding) funding[term_label(kFundingSources, source)] = n;
    json at_risk = json::array();
    for (const auto& id : f.at_risk) {
        const Offer* o = ds.inventory.offer(id);
        const Actor* actor = o ? ds.inventory.actor(o->actor_id) : nullptr;
        std::string until;
        for (const auto& fund : o->funding) until = std::max(until, fund.until);
        at_risk.push_back({{"id", id},
                           {"title", o->title},
                           {"actor", actor ? actor->name : ""},
                           {"funding_until", until},
                           {"data_status", o->data_status}});
    }
    return {{"field", f.field.id},
            {"label_de", f.field.label_de},
            {"offers", f.offers},
            {"actors", f.actors},
            {"in_districts", f.in_districts},
            {"citywide", f.citywide},
            {"mobile", f.mobile},
            {"unplaced", f.unplaced},
            {"outside_districts", f.outside},
            {"example_offers", f.example_offers},
            {"data_status", f.example_offers > 0 ? "example"
                            : f.offers           ? "source"
                                                 : "none"},
            {"data_note",
             f.offers == 0 ? "keine Angebote erfasst"
             : f.example_offers > 0
                 ? "beruht auf Beispieldaten (fiktiv): " + std::to_string(f.example_offers) +
                       " von " + std::to_string(f.offers) + " Angeboten sind erfunden"
                 : ""},
            {"capacity", f.capacity},
            {"staff_fte", f.staff_fte},
            {"by_actor_kind", kinds},
            {"by_funding", funding},
            {"languages", f.languages},
            {"at_risk", at_risk},
            {"target_group", optional_json(f.target)},
            {"offers_per_1000", optional_json(f.offers_per_1000)},
            {"districts", districts},
            {"as_of", a.as_of},
            {"risk_until", a.risk_until}};
}

}  // namespace

std::string inventory_analysis_json(const Dataset& ds, const InventoryAnalysis& a,
                                    const std::string& field) {
    if (!field.empty()) {
        for (const auto& f : a.fields)
            if (f.field.id == field) return field_json(ds, a, f).dump();
        return {};
    }
    json fields = json::array();
    for (const auto& f : a.fields) fields.push_back(field_json(ds, a, f));
    std::size_t examples = 0;
    for (const auto& o : ds.inventory.offers) examples += o.data_status == kStatusExample;
    return json{
        {"as_of", a.as_of},
        {"risk_until", a.risk_until},
        {"risk_months", a.risk_months},
        {"target_group", a.target_label},
        {"actors", ds.inventory.actors.size()},
        {"offers", ds.inventory.offers.size()},
        {"cooperations", ds.inventory.cooperations.size()},
        {"example_offers", examples},
        {"data_note", examples > 0 ? "enthält Beispieldaten (fiktiv): " + std::to_string(examples) +
                                         " von " + std::to_string(ds.inventory.offers.size()) +
                                         " Angeboten sind erfunden"
                                   : ""},
        {"at_risk", a.at_risk},
        {"expired", a.expired},
        {"fields", fields},
        {"method",
         "Angebote je Handlungsfeld und Stadtteil (Standort oder Stadtteil-Angebot); je "
         "1.000 der Zielgruppe des Versorgungsrasters; Ressourcen gefährdet: alle "
         "Förderungen enden innerhalb von " +
             std::to_string(a.risk_months) + " Monaten ab dem Stichtag"},
        {"attribution", ds.config.attribution}}
        .dump();
}

std::string inventory_analysis_csv(const Dataset& ds, const InventoryAnalysis& a) {
    const auto number = [](std::optional<double> v) {
        if (!v) return std::string();
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%.3f", *v);
        return std::string(buffer);
    };
    const auto quote = [](const std::string& text) {
        if (text.find_first_of(",\"\n") == std::string::npos) return text;
        std::string out = "\"";
        for (const char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
        return out + "\"";
    };
    std::string out =
        "field,field_label,district_id,district,offers,example_offers,target_group,"
        "offers_per_1000,capacity_plaetze,capacity_stunden_woche,capacity_beratungen_jahr,"
        "languages,data_status\n";
    for (const auto& f : a.fields) {
        const auto capacity = [](const std::map<std::string, double>& c, const char* unit) {
            const auto found = c.find(unit);
            return found == c.end() ? std::string() : std::to_string(found->second);
        };
        const auto row = [&](const std::string& id, const std::string& name, std::size_t offers,
                             std::size_t examples, std::optional<double> target,
                             std::optional<double> per_1000,
                             const std::map<std::string, double>& cap, std::string languages) {
            out += f.field.id + "," + quote(f.field.label_de) + "," + id + "," + quote(name) + "," +
                   std::to_string(offers) + "," + std::to_string(examples) + "," + number(target) +
                   "," + number(per_1000) + "," + capacity(cap, "plaetze") + "," +
                   capacity(cap, "stunden_woche") + "," + capacity(cap, "beratungen_jahr") + "," +
                   quote(languages) + "," + (examples > 0 ? "example" : "source") + "\n";
        };
        std::string all;
        for (const auto& [l, n] : f.languages) all += (all.empty() ? "" : " ") + l;
        row("", "Stadt gesamt", f.offers, f.example_offers, f.target, f.offers_per_1000, f.capacity,
            all);
        for (std::size_t d = 0; d < f.districts.size(); ++d) {
            const auto& r = f.districts[d];
            std::string langs;
            for (const auto& l : r.languages) langs += (langs.empty() ? "" : " ") + l;
            row(std::to_string(ds.districts[d].id), ds.districts[d].name, r.offers,
                r.example_offers, r.target, r.offers_per_1000, r.capacity, langs);
        }
    }
    return out;
}

std::string network_json(const Dataset& ds, const NetworkResult& n) {
    const Inventory& inv = ds.inventory;
    json actors = json::array();
    for (std::size_t i = 0; i < n.actors.size(); ++i) {
        const auto& m = n.actors[i];
        const Actor& a = inv.actors[i];
        actors.push_back({{"id", a.id},
                          {"name", a.name},
                          {"kind", a.kind},
                          {"kind_label", term_label(kActorKinds, a.kind)},
                          {"fields", m.fields},
                          {"degree", m.degree},
                          {"betweenness", m.betweenness},
                          {"betweenness_normalised", m.betweenness_normalised},
                          {"component", m.component},
                          {"isolated", m.isolated},
                          {"bridged_fields", m.bridged_fields},
                          {"data_status", a.data_status}});
    }
    json synergies = json::array();
    for (const auto& s : n.synergies) {
        json districts = json::array();
        for (const auto d : s.districts) districts.push_back(district_name(ds, d));
        const Actor* a = inv.actor(s.actor_a);
        const Actor* b = inv.actor(s.actor_b);
        const bool example = a->data_status == kStatusExample || b->data_status == kStatusExample;
        synergies.push_back({{"actor_a", s.actor_a},
                             {"actor_a_name", a->name},
                             {"actor_b", s.actor_b},
                             {"actor_b_name", b->name},
                             {"fields", s.fields},
                             {"districts", districts},
                             {"data_status", example ? "example" : "source"}});
    }
    json edges = json::array();
    for (const auto& c : inv.cooperations) {
        edges.push_back({{"id", c.id},
                         {"source", c.actor_a},
                         {"target", c.actor_b},
                         {"kind", c.kind},
                         {"kind_label", term_label(kCooperationKinds, c.kind)},
                         {"since", c.since},
                         {"data_status", c.data_status}});
    }
    std::size_t examples = 0;
    for (const auto& a : inv.actors) examples += a.data_status == kStatusExample;
    return json{
        {"actors", actors},
        {"cooperations", edges},
        {"edges", n.edges},
        {"components", n.components},
        {"component_sizes", n.component_sizes},
        {"isolated", n.isolated},
        {"synergy_candidates", synergies},
        {"example_actors", examples},
        {"data_note", examples > 0 ? "enthält Beispieldaten (fiktiv): " + std::to_string(examples) +
                                         " von " + std::to_string(inv.actors.size()) +
                                         " Akteuren sind erfunden"
                                   : ""},
        {"method",
         "Boost.Graph: Grad = Zahl der Kooperationspartner; Betweenness nach Brandes "
         "(ungerichtet, jedes Paar einmal); Komponenten nach Größe nummeriert; "
         "Brückenakteure verbinden zwei Partner ohne gemeinsames Handlungsfeld; "
         "Synergiekandidaten: im selben Handlungsfeld und Stadtteil aktiv, ohne "
         "Kooperation"}}
        .dump();
}

}  // namespace atlas
