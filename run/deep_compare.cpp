#include "run/deep_compare.hpp"

#include <sstream>
#include <string>

#include "run/deep_spiking.hpp"
#include "run/deep_spiking_training.hpp"
#include "run/deep_training.hpp"
#include "run/evaluation.hpp"

namespace softspike {

namespace {

double per(std::uint64_t count, std::size_t images) {
    return images == 0 ? 0.0 : static_cast<double>(count) / static_cast<double>(images);
}

// The rate form's MACs per image of each block (what the spiking form's events are set against).
std::vector<double> block_macs(const DeepRateNetwork& network) {
    std::vector<double> out;
    for (std::size_t b = 0; b < network.depth(); ++b) {
        const Conv2dShape& s = network.block(b).convolution();
        out.push_back(static_cast<double>(s.positions() * s.patch_size() * network.block(b).params().filters));
    }
    return out;
}

std::string budget_words(const Config& config) {
    std::ostringstream out;
    out << config.network.input_spikes_per_pixel << "/px";
    for (std::size_t i = 0; i + 1 < config.network.layers.size(); ++i) {
        out << ", " << config.network.layers[i].spikes_per_unit;
    }
    out << " per unit";
    return out.str();
}

void fill_accuracy(ComparePoint& p, const ReadoutResult& r) {
    p.linear_accuracy = r.linear_readout_accuracy;
    p.linear_train_accuracy = r.linear_readout_train_accuracy;
    p.readout_l2 = r.linear_readout_l2;
    p.label_assignment_accuracy = r.label_assignment_accuracy;
}

ComparePoint rate_point(const Config& config, const DeepRateNetwork& network, const std::string& weights,
                        const Dataset& train, const Dataset& test, bool progress) {
    ComparePoint p;
    p.form = "rate";
    p.weights = weights;
    p.setting = "dense";
    const DeepFeatures tr = deep_features(network, train, "features-train", progress);
    const DeepFeatures te = deep_features(network, test, "features-test", progress);
    fill_accuracy(p, fit_readouts(config, tr.features, train, te.features, test));
    for (const RateCounters& c : te.counters) {
        p.macs += per(c.macs, test.size());
        p.effective_ops += per(c.effective_macs, test.size());
        p.block_ops.push_back(per(c.macs, test.size()));
    }
    p.eval_seconds = te.seconds;
    return p;
}

ComparePoint spiking_point(const Config& config, const DeepRateNetwork& network, const std::string& weights,
                           const Dataset& train, const Dataset& test, bool progress) {
    ComparePoint p;
    p.form = "spiking";
    p.weights = weights;
    p.setting = budget_words(config);
    const DeepSpikingTwin twin = deep_spiking_twin(config, network, train);
    const std::size_t draws = config.network.feature_draws;
    const DeepSpikingFeatures tr = deep_spiking_features(twin.network, train, config.seed, FrozenSet::training_set,
                                                         "spiking-features-train", progress, draws);
    const DeepSpikingFeatures te =
        deep_spiking_features(twin.network, test, config.seed, FrozenSet::test_set, "spiking-features-test", progress);
    fill_accuracy(p, fit_readouts_on_draws(config, tr.features, draws, train, te.features, test));
    p.input_spikes = per(te.counters.front().events.input_spikes, test.size());
    for (const SpikingBlockCounters& c : te.counters) {
        p.output_spikes += per(c.events.output_spikes, test.size());
        p.synaptic_events += per(c.events.synaptic_events, test.size());
        p.effective_ops += per(c.events.effective_acs + c.events.effective_macs, test.size());
        p.block_ops.push_back(per(c.events.synaptic_events, test.size()));
    }
    for (const double m : block_macs(network)) p.macs += m;
    p.eval_seconds = te.seconds;
    return p;
}

CompareTraining rate_training_record(const DeepTrainingResult& r) {
    CompareTraining t;
    t.form = "rate";
    t.images = r.images;
    t.seconds = r.seconds;
    for (const RateCounters& c : r.counters) {
        t.synaptic_events += per(c.macs, r.images);
        t.plasticity_updates += per(c.plasticity_updates, r.images);
        t.plasticity_macs += per(c.plasticity_macs, r.images);
    }
    return t;
}

CompareTraining spiking_training_record(const DeepSpikingTrainingResult& r) {
    CompareTraining t;
    t.form = "spiking";
    t.images = r.images;
    t.seconds = r.seconds;
    for (std::size_t b = 0; b < r.forward.size(); ++b) {
        t.synaptic_events += per(r.forward[b].events.synaptic_events, r.images);
        t.plasticity_updates += per(r.plasticity[b].update_accumulates + r.plasticity[b].weight_updates, r.images);
        t.plasticity_macs += per(r.plasticity[b].update_accumulates, r.images);
    }
    return t;
}

}  // namespace

CompareResult run_deep_compare(const Config& config, const Dataset& train_data, const Dataset& test_data,
                               const CompareForms& forms, bool show_progress) {
    CompareResult out;
    std::optional<DeepRateNetwork> spike_trained;
    std::optional<DeepRateNetwork> rate_trained;
    if (forms.spiking) {
        spike_trained.emplace(initial_deep_network(config, train_data));
        const DeepSpikingTrainingResult r = train_deep_spiking(config, train_data, *spike_trained, show_progress);
        out.training.push_back(spiking_training_record(r));
        out.deep_spiking = spike_trained->weights();
    }
    if (forms.rate) {
        rate_trained.emplace(initial_deep_network(config, train_data));
        const DeepTrainingResult r = train_deep(config, train_data, *rate_trained, show_progress);
        out.training.push_back(rate_training_record(r));
        out.deep_rate = rate_trained->weights();
    }
    if (spike_trained) {
        out.points.push_back(
            spiking_point(config, *spike_trained, "spike-trained", train_data, test_data, show_progress));
    }
    if (rate_trained) {
        out.points.push_back(rate_point(config, *rate_trained, "rate-trained", train_data, test_data, show_progress));
    }
    if (config.compare.transfer && spike_trained && rate_trained) {
        out.points.push_back(
            spiking_point(config, *rate_trained, "rate-trained", train_data, test_data, show_progress));
        out.points.push_back(rate_point(config, *spike_trained, "spike-trained", train_data, test_data, show_progress));
    }
    const DeepRateNetwork& swept = spike_trained ? *spike_trained : *rate_trained;
    const std::string swept_label = spike_trained ? "spike-trained" : "rate-trained";
    const std::size_t depth = config.network.layers.size();
    // The maps whose spikes the next block integrates: the image's, then every block's but the last's.
    for (std::size_t map = 0; map < depth; ++map) {
        for (const double budget : config.compare.deep_budgets) {
            Config c = config;
            std::string name;
            if (map == 0) {
                c.network.input_spikes_per_pixel = budget;
                name = "input_spikes_per_pixel";
            } else {
                c.network.layers[map - 1].spikes_per_unit = budget;
                name = "layers[" + std::to_string(map - 1) + "].spikes_per_unit";
            }
            ComparePoint p = spiking_point(c, swept, swept_label, train_data, test_data, show_progress);
            p.sweep = name;
            p.budget = budget;
            out.sweep.push_back(std::move(p));
        }
    }
    return out;
}

}  // namespace softspike
