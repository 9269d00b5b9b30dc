#pragma once
// Private: the checks of inventory entries, shared by validation and the spreadsheet import so
// that both say the same about the same value.

#include <algorithm>
#include <cmath>
#include <set>
#include <string>

#include "atlas/geo/error.hpp"
#include "atlas/geo/inventory.hpp"

namespace atlas::inventory_detail {

inline bool in_terms(const std::vector<Term>& terms, std::string_view id) {
    return std::any_of(terms.begin(), terms.end(), [&](const Term& t) { return t.id == id; });
}

inline std::string term_ids(const std::vector<Term>& terms) {
    std::string out;
    for (const auto& t : terms) out += (out.empty() ? "" : ", ") + std::string(t.id);
    return out;
}

// Names the entry ("offers[3]") and field of every problem; the import maps them to lines.
class EntryChecker {
  public:
    EntryChecker(const std::string& file, std::string entry, std::int64_t index)
        : file_(file), entry_(std::move(entry)), index_(index) {}

    [[noreturn]] void fail(const std::string& field, const std::string& problem) const {
        throw InputError({file_, {}, index_, entry_ + "." + field}, problem);
    }
    void require(bool ok, const std::string& field, const std::string& problem) const {
        if (!ok) fail(field, problem);
    }
    void text(const std::string& value, const std::string& field, std::size_t max = 500) const {
        require(!value.empty(), field, "is required");
        optional_text(value, field, max);
    }
    void optional_text(const std::string& value, const std::string& field,
                       std::size_t max = 500) const {
        require(value.size() <= max, field, "is longer than " + std::to_string(max) + " bytes");
        require(value.find_first_of("\r\n\t") == std::string::npos || max > 500, field,
                "must be one line");
    }
    void term(const std::vector<Term>& terms, const std::string& value,
              const std::string& field) const {
        require(in_terms(terms, value), field, "'" + value + "' is not one of: " + term_ids(terms));
    }
    void status(const std::string& value) const {
        require(value == kStatusExample || value == kStatusSource || value == kStatusOfficial,
                "data_status", "'" + value + "' is not one of: example, source, official");
    }
    void point(const Point& p, const std::string& field) const {
        require(std::isfinite(p.x) && std::isfinite(p.y) && p.x >= -180 && p.x <= 180 &&
                    p.y >= -90 && p.y <= 90,
                field, "must be WGS84 longitude -180..180 and latitude -90..90");
    }

  private:
    const std::string& file_;
    std::string entry_;
    std::int64_t index_;
};

void check_actor(const Actor& a, const EntryChecker& check);
void check_offer(const Offer& o, const std::set<std::string, std::less<>>& actor_ids,
                 const InventoryRules& rules, const EntryChecker& check);
void check_cooperation(const Cooperation& c, const std::set<std::string, std::less<>>& actor_ids,
                       const EntryChecker& check);
bool is_iso_date(std::string_view text);

}  // namespace atlas::inventory_detail
