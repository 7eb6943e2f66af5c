#pragma once
#include <stdexcept>

namespace softspike {

// The simulation left the numbers it can represent (a weight or membrane became NaN or infinite), almost
// always because a learning rate is too large for the input scale. Raised where it is detected, so that a
// run stops with a reason instead of reporting chance-level results.
class NumericalError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace softspike
