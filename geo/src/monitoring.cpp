#include "atlas/geo/monitoring.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

#include "atlas/geo/error.hpp"

namespace atlas {

namespace {

using nlohmann::json;

// z-scores over the present values (population standard deviation, unweighted: every district
// counts once, as in the Berlin monitoring). All equal: all 0.
std::vector<std::optional<double>> z_scores(const std::vector<std::optional<double>>& values) {
    double sum = 0, n = 0;
    for (const auto& v : values)
        if (v) sum += *v, n += 1;
    std::vector<std::optional<double>> out(values.size());
    if (n == 0) return out;
    const double mean = sum / n;
    double squares = 0;
    for (const auto& v : values)
        if (v) squares += (*v - mean) * (*v - mean);
    const double sd = std::sqrt(squares / n);
    for (std::size_t i = 0; i < values.size(); ++i)
        if (values[i]) out[i] = sd > 0 ? (*values[i] - mean) / sd : 0.0;
    return out;
}

const std::vector<std::optional<double>>* values_in(const IndicatorSeries& s, int year) {
    const auto found = s.by_year.find(year);
    return found == s.by_year.end() ? nullptr : &found->second;
}

std::string number_text(const std::optional<double>& v) {
    if (!v) return "";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.4f", *v);
    return buffer;
}

}  // namespace

std::string status_label(int status_class) {
    switch (status_class) {
        case 1:
            return "hoch";
        case 2:
            return "mittel";
        case 3:
            return "niedrig";
        case 4:
            return "sehr niedrig";
        default:
            return "";
    }
}

MonitoringResult compute_monitoring(const Dataset& dataset, const MonitoringConfig& config,
                                    int year) {
    MonitoringResult result{config, year, year - config.period, {}};
    const std::size_t n = dataset.districts.size();
    result.districts.resize(n);
    const IndicatorSeries* population = dataset.indicator(config.population);
    if (!population) throw NotFound("monitoring: no indicator '" + config.population + "'");
    const auto* residents = values_in(*population, year);
    if (!residents)
        throw NotFound("monitoring: '" + config.population + "' has no values for " +
                       std::to_string(year));

    std::vector<const IndicatorSeries*> indicators;
    for (const auto& id : config.indicators) {
        const IndicatorSeries* s = dataset.indicator(id);
        if (!s) throw NotFound("monitoring: no indicator '" + id + "'");
        if (!values_in(*s, year))
            throw NotFound("monitoring: '" + id + "' has no values for " + std::to_string(year));
        indicators.push_back(s);
    }
    // Who takes part: enough residents and at least required_indicators() status values present
    // (not missing, not withheld); the status is the mean of the z-scores it has.
    const std::size_t required = config.required_indicators();
    std::vector<bool> eligible(n, true);
    for (std::size_t d = 0; d < n; ++d) {
        auto& out = result.districts[d];
        const auto& r = (*residents)[d];
        if (!r || *r < config.min_population) {
            out.excluded_reason = "unter " +
                                  std::to_string(static_cast<int>(config.min_population)) +
                                  " Einwohnern (" + config.population + ")";
            eligible[d] = false;
            continue;
        }
        std::string lacking;
        std::size_t present = 0;
        for (const IndicatorSeries* s : indicators) {
            if ((*values_in(*s, year))[d]) {
                ++present;
                continue;
            }
            lacking += std::string(lacking.empty() ? "" : ", ") +
                       (s->suppressed(year, d) ? "geheim: " : "fehlt: ") + s->meta.id;
        }
        if (present < required) {
            out.excluded_reason = "nur " + std::to_string(present) + " von " +
                                  std::to_string(indicators.size()) + " Indikatoren (" + lacking +
                                  "; nötig: " + std::to_string(required) + ")";
            eligible[d] = false;
        } else if (!lacking.empty()) {
            out.partial_reason = "Status aus " + std::to_string(present) + " von " +
                                 std::to_string(indicators.size()) + " Indikatoren (" + lacking +
                                 ")";
        }
    }
    const auto only_eligible = [&](const std::vector<std::optional<double>>& values) {
        std::vector<std::optional<double>> out(n);
        for (std::size_t d = 0; d < n; ++d)
            if (eligible[d]) out[d] = values[d];
        return out;
    };
    // The mean of the z-scores a district has; none when it has fewer than `required`.
    const auto mean_of_present = [&](const std::vector<std::vector<std::optional<double>>>& zs,
                                     std::size_t d) -> std::optional<double> {
        double sum = 0;
        std::size_t count = 0;
        for (const auto& z : zs)
            if (z[d]) sum += *z[d], ++count;
        if (count < required || count == 0) return std::nullopt;
        return sum / static_cast<double>(count);
    };
    // Status: mean z-score, standardised again so the thresholds are in standard deviations.
    std::vector<std::optional<double>> status_sum(n);
    std::vector<std::vector<std::optional<double>>> per_indicator;
    for (const IndicatorSeries* s : indicators)
        per_indicator.push_back(z_scores(only_eligible(*values_in(*s, year))));
    for (std::size_t d = 0; d < n; ++d) {
        if (!eligible[d]) continue;
        for (const auto& z : per_indicator) result.districts[d].status_z.push_back(z[d]);
        status_sum[d] = mean_of_present(per_indicator, d);
    }
    const auto status = z_scores(status_sum);
    // Dynamics: the change of each indicator over the period, z-scored the same way.
    bool dynamics = true;
    for (const IndicatorSeries* s : indicators)
        dynamics &= values_in(*s, result.base_year) != nullptr;
    std::vector<std::optional<double>> dynamics_sum(n);
    if (dynamics) {
        std::vector<std::vector<std::optional<double>>> changes;
        for (const IndicatorSeries* s : indicators) {
            const auto& now = *values_in(*s, year);
            const auto& before = *values_in(*s, result.base_year);
            std::vector<std::optional<double>> change(n);
            for (std::size_t d = 0; d < n; ++d)
                if (eligible[d] && now[d] && before[d]) change[d] = *now[d] - *before[d];
            changes.push_back(z_scores(change));
        }
        for (std::size_t d = 0; d < n; ++d)
            if (eligible[d]) dynamics_sum[d] = mean_of_present(changes, d);
    }
    const auto dyn = z_scores(dynamics_sum);
    for (std::size_t d = 0; d < n; ++d) {
        auto& out = result.districts[d];
        if (!eligible[d]) continue;
        out.status_index = status[d];
        const double s = *status[d];
        out.status_class = s < -1 ? 1 : s <= 1 ? 2 : s <= 1.5 ? 3 : 4;
        out.combined = std::to_string(out.status_class);
        if (dyn[d]) {
            out.dynamics_index = dyn[d];
            out.has_dynamics = true;
            out.dynamics_class = *dyn[d] < -1 ? 1 : *dyn[d] > 1 ? -1 : 0;
            out.combined += out.dynamics_class > 0 ? "+" : out.dynamics_class < 0 ? "-" : "±";
        }
    }
    return result;
}

std::optional<int> newest_monitoring_year(const Dataset& dataset, const MonitoringConfig& config) {
    std::optional<int> newest;
    for (const int y : dataset.years()) {
        bool all = dataset.indicator(config.population)->by_year.contains(y);
        for (const auto& id : config.indicators) all &= dataset.indicator(id)->by_year.contains(y);
        if (all) newest = y;
    }
    return newest;
}

namespace {

// Modelled as soon as one need indicator is: every output of the monitoring says so.
bool uses_modelled_data(const Dataset& dataset, const MonitoringResult& result) {
    bool modelled = false;
    for (const auto& id : result.config.indicators)
        modelled |= !dataset.indicator(id)->meta.official;
    return modelled;
}

}  // namespace

std::string monitoring_json(const Dataset& dataset, const MonitoringResult& result) {
    json districts = json::array();
    for (std::size_t d = 0; d < result.districts.size(); ++d) {
        const auto& m = result.districts[d];
        const auto opt = [](const std::optional<double>& v) {
            return v ? json(*v) : json(nullptr);
        };
        json z = json::object();
        for (std::size_t i = 0; i < m.status_z.size(); ++i)
            z[result.config.indicators[i]] = opt(m.status_z[i]);
        districts.push_back(
            {{"district_id", dataset.districts[d].id},
             {"district", dataset.districts[d].name},
             {"status_index", opt(m.status_index)},
             {"status_class", m.status_class ? json(m.status_class) : json(nullptr)},
             {"status", m.status_class ? json(status_label(m.status_class)) : json(nullptr)},
             {"dynamics_index", opt(m.dynamics_index)},
             {"dynamics", m.has_dynamics ? json(m.dynamics_class > 0   ? "positiv"
                                                : m.dynamics_class < 0 ? "negativ"
                                                                       : "stabil")
                                         : json(nullptr)},
             {"class", m.combined.empty() ? json(nullptr) : json(m.combined)},
             {"z_scores", z},
             {"excluded", m.excluded_reason.empty() ? json(nullptr) : json(m.excluded_reason)},
             {"partial", m.partial_reason.empty() ? json(nullptr) : json(m.partial_reason)}});
    }
    const bool modelled = uses_modelled_data(dataset, result);
    const json doc = {
        {"year", result.year},
        {"dynamics_since", result.base_year},
        {"indicators", result.config.indicators},
        {"population", result.config.population},
        {"min_population", result.config.min_population},
        {"min_indicators", result.config.required_indicators()},
        {"method", "Status: Mittel der z-Werte der vorhandenen Bedarfsindikatoren (mindestens " +
                       std::to_string(result.config.required_indicators()) + " von " +
                       std::to_string(result.config.indicators.size()) +
                       "; fehlende oder geheime bleiben außen vor), erneut standardisiert; "
                       "hoch < -1, mittel -1..1, niedrig 1..1,5, sehr niedrig > 1,5. "
                       "Dynamik: dasselbe für die Veränderung seit dynamics_since; positiv < -1 "
                       "(Bedarf sinkt), negativ > 1. docs/monitoring.md"},
        {"data_status", modelled ? "modelled" : "official"},
        {"districts", districts},
        {"attribution", dataset.config.attribution}};
    return doc.dump();
}

std::string monitoring_csv(const Dataset& dataset, const MonitoringResult& result) {
    const std::string status = uses_modelled_data(dataset, result) ? "modelled" : "official";
    std::string out =
        "district_id,district,year,status_index,status,dynamics_index,dynamics,"
        "class,excluded,partial,data_status\n";
    for (std::size_t d = 0; d < result.districts.size(); ++d) {
        const auto& m = result.districts[d];
        const auto quoted = [](std::string s) {
            return s.find_first_of(",\"") == std::string::npos ? s : "\"" + s + "\"";
        };
        out += std::to_string(dataset.districts[d].id) + "," + quoted(dataset.districts[d].name) +
               "," + std::to_string(result.year) + "," + number_text(m.status_index) + "," +
               status_label(m.status_class) + "," + number_text(m.dynamics_index) + "," +
               (m.has_dynamics ? (m.dynamics_class > 0   ? "positiv"
                                  : m.dynamics_class < 0 ? "negativ"
                                                         : "stabil")
                               : "") +
               "," + m.combined + "," + quoted(m.excluded_reason) + "," + quoted(m.partial_reason) +
               "," + status + "\n";
    }
    return out;
}

}  // namespace atlas
