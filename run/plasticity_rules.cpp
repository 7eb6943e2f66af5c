#include "run/plasticity_rules.hpp"

#include <stdexcept>

#include "plasticity/hebb.hpp"
#include "plasticity/instar.hpp"
#include "plasticity/oja.hpp"
#include "plasticity/softhebb.hpp"
#include "plasticity/stdp.hpp"

namespace softspike {

std::unique_ptr<PlasticityRule> make_rule(const PlasticityConfig& config) {
    if (config.rule == "softhebb") return std::make_unique<SoftHebb>(config.learning_rate, config.adaptive_power);
    if (config.rule == "hebb") return std::make_unique<Hebb>(config.learning_rate);
    if (config.rule == "oja") return std::make_unique<Oja>(config.learning_rate);
    if (config.rule == "instar") return std::make_unique<Instar>(config.learning_rate);
    if (config.rule == "stdp") {
        return std::make_unique<Stdp>(StdpParams{config.learning_rate, config.stdp_depression, config.stdp_tau_ms,
                                                 config.weight_min, config.weight_max});
    }
    // parse_config accepts only the names above.
    throw std::invalid_argument("make_rule: unknown plasticity rule '" + config.rule + "'");
}

}  // namespace softspike
