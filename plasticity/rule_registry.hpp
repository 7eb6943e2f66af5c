#pragma once
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "plasticity/plasticity_params.hpp"
#include "plasticity/plasticity_rule.hpp"

namespace softspike {

// A parameter a rule refuses: the key (under `plasticity.`), what it expects and what it found. The config
// reader turns it into a ConfigError naming the file.
struct ParamProblem {
    std::string key;
    std::string expected;
    std::string found;
};

// One plasticity rule as the rest of softspike knows it: its config name, whether it has a rate form (the
// rate twin and the rate network refuse the others), how to build it, and its own check of the parameters.
// Adding a rule is its own file plus one line of the table in rule_registry.cpp.
struct RuleEntry {
    std::string_view name;
    bool has_rate_form = true;
    std::unique_ptr<PlasticityRule> (*make)(const PlasticityParams&) = nullptr;
    std::optional<ParamProblem> (*check)(const PlasticityParams&) = nullptr;
};

// Every rule, in the order messages list them.
std::span<const RuleEntry> plasticity_rules();

// The entry named `name`, or null.
const RuleEntry* find_rule(std::string_view name);

// The names of the rules, quoted and comma-separated, e.g. for "expected one of ..." (only those with a
// rate form if `rate_form_only`).
std::string rule_names(bool rate_form_only = false);

// The rule params.rule names, built from its parameters. Throws std::invalid_argument for an unknown name
// (the config reader accepts only registered ones).
std::unique_ptr<PlasticityRule> make_rule(const PlasticityParams& params);

}  // namespace softspike
