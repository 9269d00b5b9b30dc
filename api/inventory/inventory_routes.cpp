#include "inventory/inventory_routes.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "atlas/geo/error.hpp"
#include "atlas/geo/inventory.hpp"
#include "dataset_updates.hpp"
#include "http_errors.hpp"
#include "request_params.hpp"

namespace atlas::api {

namespace {

using nlohmann::json;

enum class Kind { actors, offers, cooperations };

Kind kind_of(const ApiRequest& request) {
    const std::string& kind = request.params.at("kind");
    if (kind == "actors") return Kind::actors;
    if (kind == "offers") return Kind::offers;
    if (kind == "cooperations") return Kind::cooperations;
    throw NotFound("no inventory list '" + kind + "' (actors, offers, cooperations)");
}

const char* name_of(Kind kind) {
    return kind == Kind::actors ? "actors" : kind == Kind::offers ? "offers" : "cooperations";
}

const Inventory& inventory_of(const ServedData& data) {
    if (!data.dataset.config.inventory)
        throw NotFound("this dataset has no [inventory] configured");
    return data.dataset.inventory;
}

// An entry in the stored form (`entry`, as inventory_to_json writes it) plus labels for people;
// example entries say so.
json labelled(const ServedData& data, Kind kind, std::size_t index, json entry) {
    const Inventory& inv = data.dataset.inventory;
    const std::string status = entry["data_status"];
    entry["data_status_label"] = data_status_label(status);
    if (kind == Kind::actors) {
        const Actor& a = inv.actors[index];
        entry["kind_label"] = term_label(kActorKinds, a.kind);
        const auto seat = inv.seat(a);
        entry["seat"] = seat ? json{{"lon", seat->x}, {"lat", seat->y}} : json(nullptr);
        if (data.network) {
            const auto& m = data.network->actors[index];
            entry["degree"] = m.degree;
            entry["betweenness"] = m.betweenness;
            entry["component"] = m.component;
        }
    } else if (kind == Kind::offers) {
        const Offer& o = inv.offers[index];
        entry["place_label"] = term_label(kPlaceKinds, place_kind_id(o.place));
        const auto district = index < data.dataset.offer_district.size()
                                  ? data.dataset.offer_district[index]
                                  : std::nullopt;
        entry["district_name"] =
            district ? json(data.dataset.districts[*district].name) : json(nullptr);
        if (const Actor* a = inv.actor(o.actor_id)) entry["actor"] = a->name;
        if (data.inventory_analysis) {
            const auto& risky = data.inventory_analysis->at_risk;
            entry["at_risk"] = std::find(risky.begin(), risky.end(), o.id) != risky.end();
        }
    } else {
        entry["kind_label"] = term_label(kCooperationKinds, inv.cooperations[index].kind);
    }
    return entry;
}

// One entry, serialised on its own (for single-entry answers).
json entry_json(const ServedData& data, Kind kind, std::size_t index) {
    const Inventory& inv = data.dataset.inventory;
    Inventory one;
    if (kind == Kind::actors) one.actors = {inv.actors[index]};
    if (kind == Kind::offers) one.offers = {inv.offers[index]};
    if (kind == Kind::cooperations) one.cooperations = {inv.cooperations[index]};
    return labelled(data, kind, index, json::parse(inventory_to_json(one))[name_of(kind)][0]);
}

std::optional<std::size_t> find_entry(const Inventory& inv, Kind kind, std::string_view id) {
    const auto search = [&](const auto& list) -> std::optional<std::size_t> {
        for (std::size_t i = 0; i < list.size(); ++i)
            if (list[i].id == id) return i;
        return std::nullopt;
    };
    if (kind == Kind::actors) return search(inv.actors);
    if (kind == Kind::offers) return search(inv.offers);
    return search(inv.cooperations);
}

// A body's entry, read with the same reader as the stored document. Errors name the field as
// the client sent it ("languages", not "offers[0].languages").
Inventory parse_body(Kind kind, const std::string& body) {
    json entry;
    try {
        entry = json::parse(body);
    } catch (const json::parse_error& e) {
        throw InputError({"request body", {}, {}, {}},
                         "is not valid JSON (byte " + std::to_string(e.byte) + ")");
    }
    if (!entry.is_object()) throw InputError({"request body", {}, {}, {}}, "must be a JSON object");
    return inventory_from_json(json{{name_of(kind), json::array({entry})}}.dump(), "request body");
}

// "offers[12].languages" -> "languages": the client knows only its own entry.
[[noreturn]] void rethrow_for_client(const InputError& e) {
    InputLocation where = e.where();
    const auto dot = where.field.find("].");
    if (dot != std::string::npos) where.field = where.field.substr(dot + 2);
    where.feature.reset();
    where.file = "request body";
    throw InputError(where, e.problem());
}

DatasetUpdates& editor(const ServedData& data, const ApiRequest& request) {
    inventory_of(data);
    if (!request.updates) throw Forbidden("this server does not accept data updates");
    return *request.updates;
}

ApiResponse edited(const ApiRequest& request, Kind kind, const std::string& id,
                   const ApiResponse& stored, int status) {
    json body = json::parse(stored.body);
    body["id"] = id;
    // The entry as the new data has it (with labels, district, network measures).
    const auto fresh = request.updates->current();
    if (const auto index = find_entry(fresh->dataset.inventory, kind, id))
        body["entry"] = entry_json(*fresh, kind, *index);
    ApiResponse response{status, "application/json", body.dump(), {}};
    response.headers.emplace_back("Location",
                                  request.base_url + "/api/inventory/" + name_of(kind) + "/" + id);
    return response;
}

template <typename List>
void put_entry(List& list, typename List::value_type entry, const std::string& id, bool create) {
    for (auto& existing : list) {
        if (existing.id != id) continue;
        if (create) throw Conflict("'" + id + "' exists already; change it with PUT");
        existing = std::move(entry);
        return;
    }
    if (!create) throw NotFound("no stored inventory entry '" + id + "'");
    list.push_back(std::move(entry));
}

ApiResponse write_entry(const ServedData& data, const ApiRequest& request, bool create) {
    DatasetUpdates& updates = editor(data, request);
    const std::string who =
        authorize(data.dataset.config.server, request.authorization, Access::update);
    const Kind kind = kind_of(request);
    Inventory parsed;
    try {
        parsed = parse_body(kind, request.body);
    } catch (const InputError& e) {
        rethrow_for_client(e);
    }
    const Inventory& served = data.dataset.inventory;
    std::string id = create ? "" : request.params.at("id");
    const auto assign_id = [&](auto& entry, std::string_view text) {
        if (!create) {
            if (!entry.id.empty() && entry.id != id)
                throw InputError({"request body", {}, {}, "id"},
                                 "'" + entry.id + "' differs from the id in the path");
            entry.id = id;
        } else if (entry.id.empty()) {
            entry.id = new_entry_id(served, text);
        }
        id = entry.id;
    };
    if (kind == Kind::actors) assign_id(parsed.actors[0], parsed.actors[0].name);
    if (kind == Kind::offers) assign_id(parsed.offers[0], parsed.offers[0].title);
    if (kind == Kind::cooperations)
        assign_id(parsed.cooperations[0],
                  "koop " + parsed.cooperations[0].actor_a + " " + parsed.cooperations[0].actor_b);
    if (create && find_entry(served, kind, id))
        throw Conflict("'" + id + "' exists already; change it with PUT");
    const bool served_entry = find_entry(served, kind, id).has_value();
    try {
        const ApiResponse stored = updates.edit_inventory(
            [&](Inventory& inv) {
                const bool in_store = find_entry(inv, kind, id).has_value();
                if (!create && !in_store && served_entry)
                    throw Conflict("'" + id +
                                   "' is a read-only example entry ([inventory] examples_file)");
                if (kind == Kind::actors) put_entry(inv.actors, parsed.actors[0], id, create);
                if (kind == Kind::offers) put_entry(inv.offers, parsed.offers[0], id, create);
                if (kind == Kind::cooperations)
                    put_entry(inv.cooperations, parsed.cooperations[0], id, create);
            },
            who, std::string(create ? "create " : "update ") + name_of(kind) + "/" + id);
        return edited(request, kind, id, stored, create ? 201 : 200);
    } catch (const InputError& e) {
        rethrow_for_client(e);
    }
}

}  // namespace

ApiResponse inventory_document(const ServedData& data, const ApiRequest&) {
    const Inventory& inv = inventory_of(data);
    json body = json::parse(inventory_to_json(inv));
    for (const Kind kind : {Kind::actors, Kind::offers, Kind::cooperations}) {
        auto& list = body[name_of(kind)];
        for (std::size_t i = 0; i < list.size(); ++i)
            list[i] = labelled(data, kind, i, std::move(list[i]));
    }
    json groups = json::array();
    for (const auto& g : data.dataset.config.inventory->target_groups)
        groups.push_back({{"id", g.id}, {"label_de", g.label_de}, {"label_en", g.label_en}});
    const auto terms = [](const std::vector<Term>& list) {
        json out = json::array();
        for (const auto& t : list) out.push_back({{"id", t.id}, {"label_de", t.label_de}});
        return out;
    };
    json fields = json::array();
    for (const auto& f : data.dataset.config.fields)
        fields.push_back({{"id", f.id}, {"label_de", f.label_de}});
    body["vocabulary"] = {{"fields", fields},
                          {"target_groups", groups},
                          {"actor_kinds", terms(kActorKinds)},
                          {"capacity_units", terms(kCapacityUnits)},
                          {"funding_sources", terms(kFundingSources)},
                          {"cooperation_kinds", terms(kCooperationKinds)},
                          {"places", terms(kPlaceKinds)}};
    std::size_t examples = 0;
    for (const auto& o : inv.offers) examples += o.data_status == kStatusExample;
    body["data_note"] = examples ? "enthält Beispieldaten (fiktiv): " + std::to_string(examples) +
                                       " von " + std::to_string(inv.offers.size()) +
                                       " Angeboten sind erfunden"
                                 : "";
    body["attribution"] = data.dataset.config.attribution;
    return {200, "application/json", body.dump(), {}};
}

ApiResponse inventory_list(const ServedData& data, const ApiRequest& request) {
    const Inventory& inv = inventory_of(data);
    const Kind kind = kind_of(request);
    const std::string field = text_parameter(request, "field", "");
    const std::string status = text_parameter(request, "data_status", "");
    const std::string unplaced = text_parameter(request, "unplaced", "");
    if (!unplaced.empty() && unplaced != "true" && unplaced != "false")
        throw BadRequest("parameter 'unplaced' must be true or false");
    const std::size_t size = kind == Kind::actors   ? inv.actors.size()
                             : kind == Kind::offers ? inv.offers.size()
                                                    : inv.cooperations.size();
    // The whole document is serialised once; each entry then only gets its labels.
    json stored = json::parse(inventory_to_json(inv))[name_of(kind)];
    json list = json::array();
    for (std::size_t i = 0; i < size; ++i) {
        json entry = labelled(data, kind, i, std::move(stored[i]));
        if (!status.empty() && entry["data_status"] != status) continue;
        if (!field.empty() && kind == Kind::offers) {
            const auto& f = inv.offers[i].fields;
            if (std::find(f.begin(), f.end(), field) == f.end()) continue;
        }
        if (!unplaced.empty()) {
            const bool is_unplaced = kind == Kind::offers
                                         ? inv.offers[i].place == PlaceKind::unplaced
                                     : kind == Kind::actors ? !inv.seat(inv.actors[i])
                                                            : false;
            if (is_unplaced != (unplaced == "true")) continue;
        }
        list.push_back(std::move(entry));
    }
    const json body = {{name_of(kind), list}, {"count", list.size()}};
    return {200, "application/json", body.dump(), {}};
}

ApiResponse inventory_item(const ServedData& data, const ApiRequest& request) {
    const Kind kind = kind_of(request);
    const auto index = find_entry(inventory_of(data), kind, request.params.at("id"));
    if (!index)
        throw NotFound("no " + std::string(name_of(kind)) + " entry '" + request.params.at("id") +
                       "'");
    return {200, "application/json", entry_json(data, kind, *index).dump(), {}};
}

ApiResponse inventory_create(const ServedData& data, const ApiRequest& request) {
    return write_entry(data, request, true);
}

ApiResponse inventory_update(const ServedData& data, const ApiRequest& request) {
    return write_entry(data, request, false);
}

ApiResponse inventory_delete(const ServedData& data, const ApiRequest& request) {
    DatasetUpdates& updates = editor(data, request);
    const std::string who =
        authorize(data.dataset.config.server, request.authorization, Access::update);
    const Kind kind = kind_of(request);
    const std::string id = request.params.at("id");
    const bool served_entry = find_entry(data.dataset.inventory, kind, id).has_value();
    const ApiResponse stored = updates.edit_inventory(
        [&](Inventory& inv) {
            const auto index = find_entry(inv, kind, id);
            if (!index) {
                if (served_entry)
                    throw Conflict("'" + id +
                                   "' is a read-only example entry ([inventory] examples_file)");
                throw NotFound("no stored inventory entry '" + id + "'");
            }
            if (kind == Kind::actors) {
                std::size_t dependent = 0;
                for (const auto& o : inv.offers) dependent += o.actor_id == id;
                for (const auto& c : inv.cooperations)
                    dependent += c.actor_a == id || c.actor_b == id;
                if (dependent)
                    throw Conflict("actor '" + id + "' still has " + std::to_string(dependent) +
                                   " offers or cooperations; delete or move them first");
                inv.actors.erase(inv.actors.begin() + static_cast<std::ptrdiff_t>(*index));
            }
            if (kind == Kind::offers)
                inv.offers.erase(inv.offers.begin() + static_cast<std::ptrdiff_t>(*index));
            if (kind == Kind::cooperations)
                inv.cooperations.erase(inv.cooperations.begin() +
                                       static_cast<std::ptrdiff_t>(*index));
        },
        who, std::string("delete ") + name_of(kind) + "/" + id);
    json body = json::parse(stored.body);
    body["deleted"] = id;
    return {200, "application/json", body.dump(), {}};
}

ApiResponse structure_analysis(const ServedData& data, const ApiRequest& request) {
    inventory_of(data);
    std::string field = request.params.contains("field") ? request.params.at("field") : "";
    const bool csv = field.ends_with(".csv");
    if (csv) field.resize(field.size() - 4);
    if (field == "alle") field.clear();
    if (!field.empty() && !data.dataset.inventory.actors.empty() &&
        std::none_of(data.dataset.config.fields.begin(), data.dataset.config.fields.end(),
                     [&](const HandlungsfeldConfig& f) { return f.id == field; }))
        throw NotFound("no Handlungsfeld '" + field + "'");
    if (csv) {
        if (field.empty()) return {200, "text/csv; charset=utf-8", data.inventory_analysis_csv, {}};
        std::string out;
        std::size_t start = 0;
        for (std::size_t end;
             (end = data.inventory_analysis_csv.find('\n', start)) != std::string::npos;
             start = end + 1) {
            const std::string_view line(data.inventory_analysis_csv.data() + start,
                                        end - start + 1);
            if (start == 0 || line.starts_with(field + ",")) out += line;
        }
        return {200, "text/csv; charset=utf-8", out, {}};
    }
    if (field.empty()) return {200, "application/json", data.inventory_analysis_json, {}};
    const std::string one = inventory_analysis_json(data.dataset, *data.inventory_analysis, field);
    if (one.empty()) throw NotFound("no Handlungsfeld '" + field + "'");
    return {200, "application/json", one, {}};
}

ApiResponse network(const ServedData& data, const ApiRequest&) {
    inventory_of(data);
    return {200, "application/json", data.network_json, {}};
}

}  // namespace atlas::api
