#pragma once
// The error hierarchy of the core. Edges (HTTP, CLI) translate these once each.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace atlas {

// Base of everything the core throws on purpose.
class Error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Where in an input a problem sits. Every part is optional because not every input has lines
// (a GeoPackage has features) and not every problem has a field (a missing file).
struct InputLocation {
    std::string file;
    std::optional<std::int64_t> line;     // 1-based physical line of a text file
    std::optional<std::int64_t> feature;  // feature id or 0-based index in a vector layer
    std::string field;

    std::string describe() const;  // "file:line: feature 3: field 'x'"
};

// Bad input data or configuration: the user can fix it, and nothing that was stored changed.
class InputError : public Error {
  public:
    InputError(InputLocation where, const std::string& problem);
    const InputLocation& where() const { return where_; }
    const std::string& problem() const { return problem_; }

  private:
    InputLocation where_;
    std::string problem_;
};

// A request for something that does not exist (unknown indicator, year, collection ...).
class NotFound : public Error {
  public:
    using Error::Error;
};

// A request whose parameters are malformed.
class BadRequest : public Error {
  public:
    using Error::Error;
};

// The service cannot take the request now (overload); the client may retry.
class Unavailable : public Error {
  public:
    using Error::Error;
};

}  // namespace atlas
