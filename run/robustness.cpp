#include "run/robustness.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <numeric>

#include "core/progress.hpp"
#include "core/random.hpp"
#include "core/wall_clock.hpp"
#include "rate/adversarial.hpp"
#include "rate/backprop_conv_network.hpp"
#include "rate/backprop_network.hpp"
#include "rate/deep_classifier.hpp"
#include "rate/softhebb_classifier.hpp"
#include "readout/rate_vectors.hpp"
#include "run/deep_spiking.hpp"
#include "run/deep_training.hpp"
#include "run/evaluation.hpp"
#include "run/lowering.hpp"
#include "run/network_setup.hpp"
#include "run/rate_training.hpp"
#include "run/training.hpp"

namespace softspike {

namespace {

const char* attack_name(AttackKind kind) { return kind == AttackKind::fgsm ? "fgsm" : "pgd"; }

// `test` with other pixels: the same labels and shape.
Dataset with_pixels(const Dataset& test, std::vector<float> pixels) {
    Dataset out;
    out.channels = test.channels;
    out.rows = test.rows;
    out.cols = test.cols;
    out.classes = test.classes;
    out.labels = test.labels;
    out.pixels = std::move(pixels);
    return out;
}

// The test images with Gaussian noise of sd `sigma`, each image from its own stream of (seed, level).
std::vector<float> noisy_images(const Dataset& test, double sigma, std::uint64_t seed, std::size_t level) {
    std::vector<float> pixels = test.pixels;
    if (sigma <= 0.0) return pixels;
    const std::size_t d = test.pixels_per_image();
    for (std::size_t s = 0; s < test.size(); ++s) {
        Rng rng = Rng::stream(seed, StreamPurpose::pixel_noise, (static_cast<std::uint64_t>(level) << 32U) + s);
        add_pixel_noise(std::span<float>(pixels).subspan(s * d, d), sigma, rng);
    }
    return pixels;
}

double mean_l2_distance(std::span<const float> a, std::span<const float> b, std::size_t images) {
    if (images == 0) return 0.0;
    const std::size_t d = a.size() / images;
    double total = 0.0;
    for (std::size_t s = 0; s < images; ++s) {
        double sum = 0.0;
        for (std::size_t i = s * d; i < (s + 1) * d; ++i) sum += static_cast<double>(a[i] - b[i]) * (a[i] - b[i]);
        total += std::sqrt(sum);
    }
    return total / static_cast<double>(images);
}

// A spiking form with its fitted read-out: the accuracy it gives on any version of the test images.
class SpikingScorer {
public:
    virtual ~SpikingScorer() = default;
    // The accuracy on `images`, and the synaptic events per image into *events_per_image when given.
    [[nodiscard]] virtual double accuracy(const Dataset& images, double* events_per_image) const = 0;
};

double per_image(std::uint64_t total, std::size_t images) {
    return images == 0 ? 0.0 : static_cast<double>(total) / static_cast<double>(images);
}

// The single layer's spiking form.
class SpikingForm final : public SpikingScorer {
public:
    SpikingForm(const Config& config, const NetworkModel& weights, LinearReadout readout)
        : config_(config), weights_(weights), readout_(std::move(readout)) {}
    [[nodiscard]] double accuracy(const Dataset& images, double* events_per_image) const override {
        const FrozenPass pass = run_frozen(config_, weights_, images, FrozenSet::test_set, 0, false);
        if (events_per_image != nullptr) {
            *events_per_image = per_image(pass.stats.counters.synaptic_events, images.size());
        }
        return softspike::accuracy(readout_.predict(pass.rates), images.labels);
    }

private:
    const Config& config_;
    const NetworkModel& weights_;
    LinearReadout readout_;
};

// A deep network's spiking form (docs/model.md §13): the spiking twin of its frozen rate blocks, one draw per
// test image.
class DeepSpikingForm final : public SpikingScorer {
public:
    DeepSpikingForm(const Config& config, DeepSpikingTwin twin, LinearReadout readout)
        : config_(config), twin_(std::move(twin)), readout_(std::move(readout)) {}
    [[nodiscard]] double accuracy(const Dataset& images, double* events_per_image) const override {
        const DeepSpikingFeatures f =
            deep_spiking_features(twin_.network, images, config_.seed, FrozenSet::test_set, "", false);
        if (events_per_image != nullptr) {
            std::uint64_t events = 0;
            for (const SpikingBlockCounters& c : f.counters) events += c.events.synaptic_events;
            *events_per_image = per_image(events, images.size());
        }
        return softspike::accuracy(readout_.predict(f.features), images.labels);
    }

private:
    const Config& config_;
    DeepSpikingTwin twin_;
    LinearReadout readout_;
};

std::vector<std::uint8_t> predictions(const PixelClassifier& model, std::span<const float> images, std::size_t n) {
    std::vector<std::uint8_t> out(n);
    model.predict(images.subspan(0, n * model.pixels_per_image()), n, out);
    return out;
}

// The first `count` images' first channel.
std::vector<float> first_planes(std::span<const float> images, const Dataset& test, std::size_t count) {
    const std::size_t plane = test.rows * test.cols;
    std::vector<float> out;
    for (std::size_t s = 0; s < count; ++s) {
        const auto from = images.begin() + static_cast<std::ptrdiff_t>(s * test.pixels_per_image());
        out.insert(out.end(), from, from + static_cast<std::ptrdiff_t>(plane));
    }
    return out;
}

// A baseline made by `make()` and trained on the `rows` of `data` for `epochs` passes, each in a seeded order of its
// own; after each pass, `after_pass(epoch, mean loss, network)`.
template <typename Make, typename AfterPass>
auto trained_baseline(const Config& config, const Dataset& data, std::span<const std::size_t> rows, std::size_t epochs,
                      const Make& make, AfterPass after_pass) {
    auto baseline = make();
    std::vector<std::size_t> order(rows.size());
    for (std::size_t e = 0; e < epochs; ++e) {
        std::copy(rows.begin(), rows.end(), order.begin());
        Rng rng = Rng::stream(config.seed, StreamPurpose::baseline, 1 + e);
        shuffle_in_place(order, rng);
        after_pass(e, baseline.train_epoch(data, order, config.robustness.baseline), baseline);
    }
    return baseline;
}

// The baseline trained on all of `data`: for `max_epochs` passes, or, with a validation fraction, for the number
// of passes (up to max_epochs) that did best on that fraction of the images held out of a first training (the
// earliest of equals), as SoftHebb's read-out has its l2 chosen. Each pass's loss into `fit->losses`.
template <typename Make>
auto fitted_baseline(const Config& config, const Dataset& data, std::size_t max_epochs, const Make& make,
                     double validation_fraction, BaselineFit* fit, Progress* progress) {
    std::vector<std::size_t> all(data.size());
    std::iota(all.begin(), all.end(), std::size_t{0});
    const auto held = static_cast<std::size_t>(std::lround(validation_fraction * static_cast<double>(data.size())));
    std::size_t epochs = max_epochs;
    std::size_t presented = 0;
    std::vector<double> validation;
    if (validation_fraction > 0.0 && held >= 1 && held < data.size()) {
        // A seeded split (its own stream index, past every epoch's): the last `held` of a permutation.
        std::vector<std::size_t> order = all;
        Rng rng = Rng::stream(config.seed, StreamPurpose::baseline, std::uint64_t{1} << 40U);
        shuffle_in_place(order, rng);
        const std::span<const std::size_t> fit_rows(order.data(), order.size() - held);
        std::vector<float> held_pixels;
        std::vector<std::uint8_t> held_labels;
        for (std::size_t i = order.size() - held; i < order.size(); ++i) {
            const std::span<const float> image = data.image(order[i]);
            held_pixels.insert(held_pixels.end(), image.begin(), image.end());
            held_labels.push_back(data.labels[order[i]]);
        }
        trained_baseline(config, data, fit_rows, max_epochs, make, [&](std::size_t, double, const auto& network) {
            validation.push_back(classifier_accuracy(network, held_pixels, held_labels));
            presented += fit_rows.size();
            if (progress != nullptr) progress->update(presented);
        });
        epochs =
            static_cast<std::size_t>(std::max_element(validation.begin(), validation.end()) - validation.begin()) + 1;
    }
    std::vector<double> losses;
    auto network = trained_baseline(config, data, all, epochs, make, [&](std::size_t, double loss, const auto&) {
        losses.push_back(loss);
        presented += data.size();
        if (progress != nullptr) progress->update(presented);
    });
    if (fit != nullptr) *fit = BaselineFit{epochs, std::move(validation), std::move(losses)};
    return network;
}

// The single-layer baseline: SoftHebb's input and width, a softmax hidden layer at its feature temperature.
auto single_layer_baseline(const Config& config, const Dataset& data, std::size_t hidden) {
    return [&config, &data, hidden] {
        return BackpropNetwork(data.pixels_per_image(), config.encoder, hidden, data.classes,
                               lower(config).rate_network.feature_temperature, config.seed);
    };
}

// The deep baseline: the blocks of network.layers, trained end to end.
auto deep_baseline(const Config& config, const Dataset& data) {
    return [&config, &data] {
        return BackpropConvNetwork(deep_input_shape(data), config.network.layers, data.classes, config.seed);
    };
}

// "deep, rate form: 3 blocks of 32, 128, 512 filters (4608 features)".
std::string deep_description(const DeepRateNetwork& network) {
    std::string filters;
    for (std::size_t i = 0; i < network.depth(); ++i) {
        filters += (i == 0 ? "" : ", ") + std::to_string(network.block(i).params().filters);
    }
    return "deep, rate form: " + std::to_string(network.depth()) + " blocks of " + filters + " filters (" +
           std::to_string(network.feature_count()) + " features)";
}

// The first n images of `data`.
Dataset first_images(const Dataset& data, std::size_t n) {
    const auto end = data.pixels.begin() + static_cast<std::ptrdiff_t>(n * data.pixels_per_image());
    Dataset out = with_pixels(data, std::vector<float>(data.pixels.begin(), end));
    out.labels.resize(n);
    return out;
}

// The baseline made by `make` learned from `few` for SoftHebb's passes, then for its own validated number.
template <typename Make>
void score_few_baselines(const Config& config, const Dataset& few, const Dataset& test, std::size_t softhebb_passes,
                         const Make& make, SampleEfficiencyPoint& p) {
    const auto same = fitted_baseline(config, few, softhebb_passes, make, 0.0, nullptr, nullptr);
    p.baseline_same_passes = classifier_accuracy(same, test.pixels, test.labels);
    BaselineFit fit;
    const auto more = fitted_baseline(config, few, config.robustness.baseline.epochs, make,
                                      config.robustness.baseline_validation_fraction, &fit, nullptr);
    p.baseline_more_passes = classifier_accuracy(more, test.pixels, test.labels);
    p.baseline_more_epochs = fit.epochs;
}

// Fresh networks that learn from the first n training images only, scored on the clean test set.
SampleEfficiencyPoint learn_from_few(const Config& config, const Dataset& train, const Dataset& test, std::size_t n,
                                     std::size_t hidden) {
    const auto start = std::chrono::steady_clock::now();
    SampleEfficiencyPoint p;
    p.images = n;
    const Dataset few = first_images(train, n);
    // SoftHebb, spiking form: on-line learning, frozen features, the read-out on the same n images.
    const std::size_t inputs = encoded_inputs(train.pixels_per_image(), config.encoder);
    const TrainingResult trained = softspike::train(config, few, initial_training_state(config, inputs), false);
    const FrozenPass spiking_train = run_frozen(config, trained.model, few, FrozenSet::training_set, 0, false);
    const FrozenPass spiking_test = run_frozen(config, trained.model, test, FrozenSet::test_set, 0, false);
    p.softhebb_spiking =
        accuracy(fit_linear_readout(config, spiking_train.rates, few).readout.predict(spiking_test.rates), test.labels);
    // SoftHebb, rate form.
    const RateTrainingResult rate = train_rate(config, few, false);
    const RatePass rate_train = run_rate_frozen(config, rate.layers, few, "rate features", false);
    const RatePass rate_test = run_rate_frozen(config, rate.layers, test, "rate features", false);
    p.softhebb_rate =
        accuracy(fit_linear_readout(config, rate_train.features, few).readout.predict(rate_test.features), test.labels);
    // The baseline, as many passes as SoftHebb, then its own number.
    score_few_baselines(config, few, test, config.training.epochs, single_layer_baseline(config, few, hidden), p);
    p.seconds = seconds_since(start);
    return p;
}

// A fresh deep network that learns from the first n training images only (its read-out on the same n), in the
// rate form, and the deep baseline; scored on the clean test set.
SampleEfficiencyPoint learn_deep_from_few(const Config& config, const Dataset& train, const Dataset& test,
                                          std::size_t n) {
    const auto start = std::chrono::steady_clock::now();
    SampleEfficiencyPoint p;
    p.images = n;
    p.softhebb_spiking = -1.0;  // the deep spiking form is not run here
    const Dataset few = first_images(train, n);
    DeepRateNetwork network = initial_deep_network(config, few);
    train_deep(config, few, network, false);
    const DeepFeatures few_features = deep_features(network, few, "features", false);
    const DeepFeatures test_features = deep_features(network, test, "features", false);
    p.softhebb_rate = accuracy(
        fit_linear_readout(config, few_features.features, few).readout.predict(test_features.features), test.labels);
    score_few_baselines(config, few, test, config.network.epochs, deep_baseline(config, few), p);
    p.seconds = seconds_since(start);
    return p;
}

}  // namespace

std::string robustness_problem(const Config& config) {
    const std::string head = "config key '";
    const std::vector<ConvBlockParams>& layers = config.network.layers;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        if (layers[i].prune_fraction > 0.0) {
            return head + "network.layers[" + std::to_string(i) +
                   "].prune_fraction': expected 0 (the backpropagation baseline of the same blocks has no pruning), "
                   "found " +
                   std::to_string(layers[i].prune_fraction);
        }
    }
    if (!config.rate.hidden_layers.empty()) {
        return head +
               "rate.hidden_layers': expected an empty list (robustness attacks the single layer of the "
               "weights file), found " +
               std::to_string(config.rate.hidden_layers.size()) + " layers";
    }
    const ChipParams& chip = config.chip;
    const std::string why =
        " (robustness compares float32 models on the same images: this chip key would change "
        "the spiking form only)";
    if (chip.weight_bits != 32)
        return head + "chip.weight_bits': expected 32" + why + ", found " + std::to_string(chip.weight_bits);
    if (chip.dead_synapses > 0.0)
        return head + "chip.dead_synapses': expected 0" + why + ", found " + std::to_string(chip.dead_synapses);
    if (chip.weight_noise > 0.0)
        return head + "chip.weight_noise': expected 0" + why + ", found " + std::to_string(chip.weight_noise);
    if (chip.input_noise > 0.0) {
        return head +
               "chip.input_noise': expected 0 (robustness.noise_sigmas is the pixel-noise sweep, applied to "
               "every model), found " +
               std::to_string(chip.input_noise);
    }
    if (chip.spike_budget > 0)
        return head + "chip.spike_budget': expected 0" + why + ", found " + std::to_string(chip.spike_budget);
    return {};
}

namespace {

// The baseline of `make` trained on `train`, then every model under noise and attacks on `test`, then the
// few-examples sweep of `learn_few(n)`; into `result`.
template <typename Make, typename LearnFew>
void measure_against_baseline(const Config& config, const PixelClassifier& softhebb, const SpikingScorer* spiking,
                              const Make& make, const LearnFew& learn_few, const Dataset& train, const Dataset& test,
                              bool show_progress, RobustnessResult& result) {
    const RobustnessConfig& rc = config.robustness;
    auto start = std::chrono::steady_clock::now();
    // The baseline, end to end on the same training images, a seeded order per epoch.
    // Progress in images presented (training) and images perturbed (noise, attacks), so that img/s means that.
    // With a validation split the passes are chosen on the way: the total is an upper bound (at most twice).
    Progress progress("robustness baseline", 2 * rc.baseline.epochs * train.size(), show_progress);
    BaselineFit fit;
    const auto baseline =
        fitted_baseline(config, train, rc.baseline.epochs, make, rc.baseline_validation_fraction, &fit, &progress);
    progress.finish(2 * rc.baseline.epochs * train.size());
    result.baseline_epoch_loss = fit.losses;
    result.baseline_epochs = fit.epochs;
    result.baseline_validation_accuracy = fit.validation_accuracy;
    result.baseline_train_accuracy = classifier_accuracy(baseline, train.pixels, train.labels);
    result.baseline_seconds = seconds_since(start);

    // Pixel noise: every model on the same noisy images.
    start = std::chrono::steady_clock::now();
    Progress noise_progress("robustness noise", rc.noise_sigmas.size() * test.size(), show_progress);
    for (std::size_t level = 0; level < rc.noise_sigmas.size(); ++level) {
        const double sigma = rc.noise_sigmas[level];
        const Dataset noisy = with_pixels(test, noisy_images(test, sigma, config.seed, level));
        RobustnessPoint p;
        p.perturbation = "noise";
        p.strength = sigma;
        p.softhebb_rate = classifier_accuracy(softhebb, noisy.pixels, noisy.labels);
        p.baseline = classifier_accuracy(baseline, noisy.pixels, noisy.labels);
        const double l2 = mean_l2_distance(noisy.pixels, test.pixels, test.size());
        p.softhebb_perturbation_l2 = l2;
        p.baseline_perturbation_l2 = l2;
        if (spiking) {
            double events = 0.0;
            p.softhebb_spiking = spiking->accuracy(noisy, &events);
            if (sigma == 0.0 || result.spiking_events_per_image == 0.0) result.spiking_events_per_image = events;
        }
        result.points.push_back(p);
        noise_progress.update((level + 1) * test.size());
    }
    noise_progress.finish(rc.noise_sigmas.size() * test.size());
    result.noise_seconds = seconds_since(start);

    // Attacks: each model through its own gradients; the spiking form on its rate form's images; transfers.
    start = std::chrono::steady_clock::now();
    Progress attack_progress("robustness attacks", rc.attacks.size() * rc.epsilons.size() * test.size(), show_progress);
    std::size_t done = 0;
    double strongest = -1.0;
    for (const AttackKind kind : rc.attacks) {
        for (const double epsilon : rc.epsilons) {
            AttackParams params;
            params.kind = kind;
            params.epsilon = epsilon;
            params.steps = rc.pgd_steps;
            params.step_fraction = rc.pgd_step_fraction;
            params.seed = config.seed;
            const std::vector<float> on_softhebb = attack_images(softhebb, test.pixels, test.labels, params);
            const std::vector<float> on_baseline = attack_images(baseline, test.pixels, test.labels, params);
            RobustnessPoint p;
            p.perturbation = attack_name(kind);
            p.strength = epsilon;
            p.softhebb_rate = classifier_accuracy(softhebb, on_softhebb, test.labels);
            p.baseline = classifier_accuracy(baseline, on_baseline, test.labels);
            p.softhebb_on_baseline_images = classifier_accuracy(softhebb, on_baseline, test.labels);
            p.baseline_on_softhebb_images = classifier_accuracy(baseline, on_softhebb, test.labels);
            p.softhebb_perturbation_l2 = mean_l2_distance(on_softhebb, test.pixels, test.size());
            p.baseline_perturbation_l2 = mean_l2_distance(on_baseline, test.pixels, test.size());
            if (spiking) p.softhebb_spiking = spiking->accuracy(with_pixels(test, on_softhebb), nullptr);
            result.points.push_back(p);
            // The grid shows the strongest attack: the largest epsilon of the last attack listed (PGD by default).
            if (epsilon >= strongest && rc.grid_images > 0) {
                strongest = epsilon;
                AttackGrid& g = result.grid;
                const std::size_t count = std::min(rc.grid_images, test.size());
                g.attack = attack_name(kind);
                g.epsilon = epsilon;
                g.rows = test.rows;
                g.cols = test.cols;
                g.labels.assign(test.labels.begin(), test.labels.begin() + static_cast<std::ptrdiff_t>(count));
                g.clean = first_planes(test.pixels, test, count);
                g.softhebb_images = first_planes(on_softhebb, test, count);
                g.baseline_images = first_planes(on_baseline, test, count);
                g.softhebb_predictions = predictions(softhebb, on_softhebb, count);
                g.baseline_predictions = predictions(baseline, on_baseline, count);
            }
            done += test.size();
            attack_progress.update(done);
        }
    }
    attack_progress.finish(done);
    result.attack_seconds = seconds_since(start);

    start = std::chrono::steady_clock::now();
    // Progress in training images learned from, summed over the sizes.
    const std::size_t total = std::accumulate(rc.training_sizes.begin(), rc.training_sizes.end(), std::size_t{0});
    Progress few_progress("robustness few examples", total, show_progress);
    std::size_t learned = 0;
    for (const std::uint32_t n : rc.training_sizes) {
        result.sample_efficiency.push_back(learn_few(n));
        learned += n;
        few_progress.update(learned);
    }
    few_progress.finish(total);
    result.sample_efficiency_seconds = seconds_since(start);
}

}  // namespace

RobustnessResult run_robustness(const Config& config, const NetworkModel& weights, const Dataset& train,
                                const Dataset& test, bool show_progress) {
    const RobustnessConfig& rc = config.robustness;
    RobustnessResult result;
    result.test_images = test.size();
    result.evaluation_set = evaluation_set_name(config.data);
    const std::size_t pixels = test.pixels_per_image();
    result.model = "single layer of " + std::to_string(weights.weights.targets()) + " neurons";
    result.baseline_same_passes_epochs = config.training.epochs;
    result.baseline_model = "one softmax hidden layer of the same width and a linear read-out";

    // SoftHebb: the read-outs of both forms on the training set's features, the weights frozen.
    auto start = std::chrono::steady_clock::now();
    const RatePass rate_train = run_rate_frozen(config, {weights}, train, "robustness rate features", show_progress);
    FittedReadout rate_readout = fit_linear_readout(config, rate_train.features, train);
    result.softhebb_readout_l2 = rate_readout.l2;
    const RateNetworkParams& rate_params = lower(config).rate_network;
    const SoftHebbClassifier softhebb(weights, config.encoder, rate_params.features, rate_params.feature_temperature,
                                      std::move(rate_readout.readout), pixels);
    result.macs_per_image = static_cast<std::uint64_t>(weights.weights.sources()) * weights.weights.targets();
    std::optional<SpikingForm> spiking;
    if (rc.spiking) {
        const FrozenPass spiking_train = run_frozen(config, weights, train, FrozenSet::training_set, 0, show_progress);
        FittedReadout fitted = fit_linear_readout(config, spiking_train.rates, train);
        result.softhebb_spiking_readout_l2 = fitted.l2;
        spiking.emplace(config, weights, std::move(fitted.readout));
    }
    result.features_seconds = seconds_since(start);

    measure_against_baseline(
        config, softhebb, spiking ? &*spiking : nullptr,
        single_layer_baseline(config, train, weights.weights.targets()),
        [&](std::size_t n) { return learn_from_few(config, train, test, n, weights.weights.targets()); }, train, test,
        show_progress, result);
    return result;
}

RobustnessResult run_deep_robustness(const Config& config, const DeepRateNetwork& network, const Dataset& train,
                                     const Dataset& test, bool show_progress) {
    RobustnessResult result;
    result.test_images = test.size();
    result.evaluation_set = evaluation_set_name(config.data);
    result.model = deep_description(network);
    result.baseline_same_passes_epochs = config.network.epochs;
    result.baseline_model = "the same blocks (BatchNorm, convolution, triangle, pooling) and a linear last layer";
    // SoftHebb: the rate form's read-out on the training set's features, the kernels frozen.
    const auto start = std::chrono::steady_clock::now();
    const DeepFeatures train_features = deep_features(network, train, "robustness features", show_progress);
    FittedReadout readout = fit_linear_readout(config, train_features.features, train);
    result.softhebb_readout_l2 = readout.l2;
    for (const RateCounters& c : train_features.counters) result.macs_per_image += c.macs;
    if (train.size() > 0) result.macs_per_image /= train.size();
    const DeepClassifier softhebb(network, std::move(readout.readout));
    std::optional<DeepSpikingForm> spiking;
    if (config.robustness.spiking) {
        // The spiking twin of the same frozen blocks, its read-out on network.feature_draws draws per image.
        DeepSpikingTwin twin = deep_spiking_twin(config, network, train);
        const std::size_t draws = config.network.feature_draws;
        const DeepSpikingFeatures features =
            deep_spiking_features(twin.network, train, config.seed, FrozenSet::training_set,
                                  "robustness spiking features", show_progress, draws);
        FittedReadout fitted = fit_linear_readout_on_draws(config, features.features, draws, train);
        result.softhebb_spiking_readout_l2 = fitted.l2;
        spiking.emplace(config, std::move(twin), std::move(fitted.readout));
    }
    result.features_seconds = seconds_since(start);
    measure_against_baseline(
        config, softhebb, spiking ? &*spiking : nullptr, deep_baseline(config, train),
        [&](std::size_t n) { return learn_deep_from_few(config, train, test, n); }, train, test, show_progress, result);
    return result;
}

}  // namespace softspike
