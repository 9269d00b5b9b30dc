#pragma once
// The shipped Erfurt dataset prepared as the server would serve it, built once per test binary.

#include "served_data.hpp"

namespace atlas::test {

const api::ServedData& erfurt_served();

}  // namespace atlas::test
