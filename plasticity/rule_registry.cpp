#include "plasticity/rule_registry.hpp"

#include <array>
#include <stdexcept>

#include "plasticity/hebb.hpp"
#include "plasticity/instar.hpp"
#include "plasticity/oja.hpp"
#include "plasticity/softhebb.hpp"
#include "plasticity/stdp.hpp"

namespace softspike {

namespace {

std::string number(double v) { return std::to_string(v); }

// The adaptive learning rate is SoftHebb's own option (docs/model.md §5.1): the other rules refuse it
// rather than ignore it.
std::optional<ParamProblem> fixed_rate_only(const PlasticityParams& p) {
    if (p.norm_target != 1.0) {
        return ParamProblem{"norm_target", "1 unless plasticity.rule is \"softhebb\" (the adaptive rate is SoftHebb's)",
                            number(p.norm_target)};
    }
    if (p.adaptive_power > 0.0) {
        return ParamProblem{"adaptive_power",
                            "0 unless plasticity.rule is \"softhebb\" (the adaptive rate is SoftHebb's)",
                            number(p.adaptive_power)};
    }
    return std::nullopt;
}

std::optional<ParamProblem> check_bounds(const PlasticityParams& p) {
    if (!(p.weight_min < p.weight_max)) {
        return ParamProblem{"weight_max", "greater than plasticity.weight_min (" + number(p.weight_min) + ")",
                            number(p.weight_max)};
    }
    return std::nullopt;
}

// Anti-Hebbian steps flip the sign of the whole update, which is the rate form's y -> -y only where every
// term is linear in y (SoftHebb, Hebb, instar); Oja's decay y^2 and STDP's spike timing have no such flip.
std::optional<ParamProblem> hebbian_sign_only(const PlasticityParams& p) {
    if (p.anti_hebbian) {
        return ParamProblem{"anti_hebbian",
                            "false unless plasticity.rule is \"softhebb\", \"hebb\" or \"instar\" (rules whose "
                            "terms are all linear in y)",
                            "true"};
    }
    return std::nullopt;
}

std::optional<ParamProblem> check_softhebb(const PlasticityParams& p) {
    // The target is read by the adaptive rate only: a target without it would be a silent no-op.
    if (p.norm_target != 1.0 && p.adaptive_power <= 0.0) {
        return ParamProblem{"norm_target", "1 unless plasticity.adaptive_power > 0 (the adaptive rate reads it)",
                            number(p.norm_target)};
    }
    return check_bounds(p);
}

std::optional<ParamProblem> check_fixed_rate(const PlasticityParams& p) {
    if (auto problem = fixed_rate_only(p)) return problem;
    return check_bounds(p);
}

std::optional<ParamProblem> check_fixed_rate_unsigned(const PlasticityParams& p) {
    if (auto problem = hebbian_sign_only(p)) return problem;
    return check_fixed_rate(p);
}

// STDP's updates are per pre and per post spike, with clipping: there is no one update to normalise.
std::optional<ParamProblem> check_stdp(const PlasticityParams& p) {
    if (p.normalise_update) {
        return ParamProblem{"normalise_update",
                            "false unless plasticity.rule has a Hebbian-with-decay form (not \"stdp\")", "true"};
    }
    return check_fixed_rate_unsigned(p);
}

const std::array<RuleEntry, 5> kRules = {{
    {"softhebb", true,
     [](const PlasticityParams& p) -> std::unique_ptr<PlasticityRule> {
         return std::make_unique<SoftHebb>(p.learning_rate, p.adaptive_power, p.normalise_update, p.norm_target);
     },
     &check_softhebb},
    {"hebb", true,
     [](const PlasticityParams& p) -> std::unique_ptr<PlasticityRule> {
         return std::make_unique<Hebb>(p.learning_rate, p.normalise_update);
     },
     &check_fixed_rate},
    {"oja", true,
     [](const PlasticityParams& p) -> std::unique_ptr<PlasticityRule> {
         return std::make_unique<Oja>(p.learning_rate, p.normalise_update);
     },
     &check_fixed_rate_unsigned},
    {"instar", true,
     [](const PlasticityParams& p) -> std::unique_ptr<PlasticityRule> {
         return std::make_unique<Instar>(p.learning_rate, p.normalise_update);
     },
     &check_fixed_rate},
    {"stdp", false,
     [](const PlasticityParams& p) -> std::unique_ptr<PlasticityRule> {
         return std::make_unique<Stdp>(
             StdpParams{p.learning_rate, p.stdp_depression, p.stdp_tau_ms, p.weight_min, p.weight_max});
     },
     &check_stdp},
}};

}  // namespace

std::span<const RuleEntry> plasticity_rules() { return kRules; }

const RuleEntry* find_rule(std::string_view name) {
    for (const RuleEntry& entry : kRules) {
        if (entry.name == name) return &entry;
    }
    return nullptr;
}

std::string rule_names(bool rate_form_only) {
    std::string names;
    for (const RuleEntry& entry : kRules) {
        if (rate_form_only && !entry.has_rate_form) continue;
        names += (names.empty() ? "\"" : ", \"") + std::string(entry.name) + "\"";
    }
    return names;
}

std::unique_ptr<PlasticityRule> make_rule(const PlasticityParams& params) {
    const RuleEntry* entry = find_rule(params.rule);
    if (entry == nullptr) throw std::invalid_argument("make_rule: unknown plasticity rule '" + params.rule + "'");
    return entry->make(params);
}

}  // namespace softspike
