#pragma once
#include <memory>

#include "io/config.hpp"
#include "plasticity/plasticity_rule.hpp"

namespace softspike {

// The rule plasticity.rule names, with its parameters from the config.
std::unique_ptr<PlasticityRule> make_rule(const PlasticityConfig& config);

}  // namespace softspike
