#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/random.hpp"
#include "network/spiking_conv_learner.hpp"
#include "plasticity/softhebb.hpp"
#include "rate/batch_norm.hpp"
#include "rate/conv2d.hpp"
#include "rate/rate_layer.hpp"

using namespace softspike;

namespace {

// 2 channels of 5 x 5, 3 x 3 kernels with reflect padding (every tap reads a pixel), 4 filters.
SpikingConvParams tiny_block() {
    SpikingConvParams p;
    p.shape = Conv2dShape{
        .channels = 2, .height = 5, .width = 5, .kernel = 3, .stride = 1, .padding = 1, .mode = Padding::reflect};
    p.filters = 4;
    p.input_quantum = 0.5;
    return p;
}

const std::vector<double> kMean{0.3, 0.6};
const std::vector<double> kVariance{0.2, 0.5};

std::vector<float> tiny_kernels() {
    Rng rng(11);
    std::vector<float> w(tiny_block().shape.patch_size() * tiny_block().filters);
    for (float& v : w) v = static_cast<float>(rng.uniform() - 0.5);
    return w;
}

// Input units in increasing order, some twice (a count of 2 carries 2 quanta).
std::vector<std::uint32_t> tiny_spikes() {
    std::vector<std::uint32_t> s;
    Rng rng(3);
    for (std::uint32_t unit = 0; unit < 50; ++unit) {
        const std::uint64_t count = rng.below(3);
        for (std::uint64_t j = 0; j < count; ++j) s.push_back(unit);
    }
    return s;
}

// The rate form's summed SoftHebb update on the same input: a RateLayer over the im2col rows of the normalised
// values the spikes carry, its step undone (eta = 1 / rows), so that the update itself is compared.
std::vector<float> rate_update(const SpikingConvParams& block, const std::vector<float>& kernels, double temperature,
                               bool anti_hebbian) {
    const Conv2dShape& s = block.shape;
    std::vector<float> values(s.channels * s.height * s.width, 0.0F);
    for (const std::uint32_t unit : tiny_spikes()) values[unit] += static_cast<float>(block.input_quantum);
    BatchNorm norm(s.channels);
    for (std::size_t c = 0; c < s.channels; ++c) {
        norm.running_mean()[c] = kMean[c];
        norm.running_variance()[c] = kVariance[c];
    }
    norm.apply(values, 1, false);
    std::vector<float> patches(s.positions() * s.patch_size());
    im2col(values, s, patches);
    NetworkModel model{Projection(s.patch_size(), block.filters, 0), std::vector<float>(block.filters, 0.0F)};
    std::copy(kernels.begin(), kernels.end(), model.weights.weights().begin());
    RateLayerParams params;
    params.temperature = temperature;
    params.learning_rate = 1.0;
    params.anti_hebbian = anti_hebbian;
    RateLayer layer(model, params);
    RateCounters counters;
    std::vector<float> u;
    layer.forward(patches, s.positions(), u, counters);
    const SoftHebb rule(1.0);
    layer.learn(patches, s.positions(), u, rule, counters);
    std::vector<float> update(kernels.size());
    for (std::size_t i = 0; i < update.size(); ++i) {
        update[i] = (layer.model().weights.weights()[i] - kernels[i]) * static_cast<float>(s.positions());
    }
    return update;
}

// How many entries of `expected` lie more than five standard errors (and a float rounding floor) from the mean
// of `repeats` draws whose sums and sums of squares are given: a failure by chance is below 1e-5 per entry.
template <typename T>
std::size_t entries_outside(const std::vector<double>& sum, const std::vector<double>& squares, int repeats,
                            const std::vector<T>& expected) {
    std::size_t outside = 0;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const double mean = sum[i] / repeats;
        const double sd = std::sqrt(std::max(0.0, squares[i] / repeats - mean * mean));
        const double tolerance = 5.0 * sd / std::sqrt(static_cast<double>(repeats)) + 1e-4;
        outside += std::abs(mean - static_cast<double>(expected[i])) > tolerance ? 1 : 0;
    }
    return outside;
}

}  // namespace

TEST_CASE(
    "a spiking conv block's learning counts: spikes_per_position soft-WTA spikes per position, one "
    "accumulate per patch synapse per spike, one write per kernel weight per batch") {
    SpikingLearningParams params;
    params.temperature = 0.5;
    params.spikes_per_position = 3;
    SpikingConvLearner learner(tiny_block(), params, tiny_kernels(), kMean, kVariance);
    const SpikingConvBlock block = learner.block();
    SpikingConvLearner::ImageDraws image;
    SpikingBlockCounters forward;
    SpikingPlasticityCounters plasticity;
    const std::vector<std::uint32_t> spikes = tiny_spikes();
    Rng rng(1);
    for (int i = 0; i < 2; ++i) {  // two images, one batch
        learner.draw(block, spikes, rng, image, forward, plasticity);
        CHECK(image.draws.size() == 25 * 3);
        learner.accumulate(image, plasticity);
    }
    learner.apply(plasticity);
    CHECK(plasticity.learning_spikes == 2 * 25 * 3);
    CHECK(plasticity.update_accumulates == 2 * 25 * 3 * 18);  // patch: 2 channels x 3 x 3
    CHECK(plasticity.weight_updates == 18 * 4);
    CHECK(plasticity.batches == 1);
    CHECK(forward.events.input_spikes == 2 * spikes.size());
    // A spike reaches every (position, tap) whose padded read lands on its pixel, 4 filters each. With reflect
    // padding a row (or column) of 5 is read by 2, 4, 3, 4, 2 of them (row -1 reads row 1, row 5 reads row 3).
    const std::uint64_t reads[5] = {2, 4, 3, 4, 2};
    std::uint64_t events = 0;
    for (const std::uint32_t unit : spikes) events += reads[(unit % 25) / 5] * reads[unit % 5] * 4;
    CHECK(forward.events.synaptic_events == 2 * events);
    // A batch with nothing accumulated is not a batch that moved the kernels.
    const std::vector<float> before = learner.kernels();
    learner.apply(plasticity);
    CHECK(learner.kernels() == before);
    CHECK(plasticity.batches == 1);
}

TEST_CASE(
    "the expected spiking update per image equals the rate form's SoftHebb update on the input the spikes "
    "carry, with and without the anti-Hebbian sign, and not at another temperature") {
    for (const bool anti : {false, true}) {
        CAPTURE(anti);
        SpikingLearningParams params;
        params.temperature = 0.5;
        params.anti_hebbian = anti;
        params.spikes_per_position = 1;
        const std::vector<float> kernels = tiny_kernels();
        const SpikingConvLearner reference(tiny_block(), params, kernels, kMean, kVariance);
        const SpikingConvBlock block = reference.block();
        const std::vector<std::uint32_t> spikes = tiny_spikes();
        // Many images' spike draws (each its own stream) on the same input: their mean and spread per entry.
        const int repeats = 4000;
        std::vector<double> sum(kernels.size(), 0.0);
        std::vector<double> squares(kernels.size(), 0.0);
        SpikingConvLearner::ImageDraws image;
        SpikingBlockCounters forward;
        SpikingPlasticityCounters plasticity;
        for (int r = 0; r < repeats; ++r) {
            SpikingConvLearner learner(tiny_block(), params, kernels, kMean, kVariance);
            Rng rng = Rng::stream(7, StreamPurpose::test_fixture, static_cast<std::uint64_t>(r));
            learner.draw(block, spikes, rng, image, forward, plasticity);
            learner.accumulate(image, plasticity);
            const std::vector<float> update = learner.pending_update();
            for (std::size_t i = 0; i < update.size(); ++i) {
                sum[i] += update[i];
                squares[i] += static_cast<double>(update[i]) * update[i];
            }
        }
        const std::vector<float> expected = rate_update(tiny_block(), kernels, params.temperature, anti);
        const std::vector<float> other = rate_update(tiny_block(), kernels, 2.0 * params.temperature, anti);
        const std::size_t outside = entries_outside(sum, squares, repeats, expected);
        const std::size_t other_outside = entries_outside(sum, squares, repeats, other);
        double largest = 0.0;
        for (const float v : expected) largest = std::max(largest, std::abs(static_cast<double>(v)));
        CHECK(outside == 0);
        CHECK(other_outside > expected.size() / 4);  // the test can tell one temperature from another
        CHECK(largest > 0.5);                        // and is not comparing near-zero updates
    }
}

TEST_CASE(
    "the spiking learner steps as the rate form does: the normalised update moves no weight by more "
    "than eta, and the adaptive rate scales each kernel's step by its distance from the norm target") {
    SpikingLearningParams params;
    params.temperature = 0.5;
    params.learning_rate = 0.01;
    params.normalise_update = true;
    params.spikes_per_position = 4;
    const std::vector<float> kernels = tiny_kernels();
    SpikingConvLearner learner(tiny_block(), params, kernels, kMean, kVariance);
    SpikingConvLearner::ImageDraws image;
    SpikingBlockCounters forward;
    SpikingPlasticityCounters plasticity;
    Rng rng(2);
    learner.draw(learner.block(), tiny_spikes(), rng, image, forward, plasticity);
    learner.accumulate(image, plasticity);
    const std::vector<float> update = learner.pending_update();
    learner.apply(plasticity);
    double largest_move = 0.0;
    for (std::size_t i = 0; i < kernels.size(); ++i) {
        const double move = static_cast<double>(learner.kernels()[i]) - kernels[i];
        largest_move = std::max(largest_move, std::abs(move));
        CHECK(std::signbit(move) == std::signbit(update[i]));
    }
    CHECK(largest_move == doctest::Approx(0.01).epsilon(1e-5));

    // Adaptive: kernel k's step is eta |‖w_k‖ - 1|^0.5 over the update's largest entry.
    params.adaptive_power = 0.5;
    SpikingConvLearner adaptive(tiny_block(), params, kernels, kMean, kVariance);
    adaptive.accumulate(image, plasticity);
    const std::vector<float> same = adaptive.pending_update();
    adaptive.apply(plasticity);
    float largest = 0.0F;
    for (const float v : same) largest = std::max(largest, std::abs(v));
    const std::size_t filters = 4;
    for (std::size_t k = 0; k < filters; ++k) {
        double norm = 0.0;
        for (std::size_t i = 0; i < 18; ++i)
            norm += static_cast<double>(kernels[i * filters + k]) * kernels[i * filters + k];
        const double eta = 0.01 * std::sqrt(std::abs(std::sqrt(norm) - 1.0));
        for (std::size_t i = 0; i < 18; ++i) {
            const std::size_t at = i * filters + k;
            // Within the float rounding of a weight near 0.5 (an ulp is 6e-8).
            CHECK(std::abs(static_cast<double>(adaptive.kernels()[at]) - kernels[at] - eta * same[at] / largest) <
                  2e-7);
        }
    }
}

TEST_CASE(
    "in the LIF form a position's learning spikes are its escape-noise channels': their expected update is the "
    "rate form's SoftHebb term of each position, weighted by its mean spike count over learning_spikes") {
    SpikingLearningParams params;
    params.temperature = 0.5;
    params.anti_hebbian = true;
    params.spikes_per_position = 2;
    params.competition = Competition::lif;
    const std::vector<float> kernels = tiny_kernels();
    const SpikingConvLearner reference(tiny_block(), params, kernels, kMean, kVariance);
    const SpikingConvBlock block = reference.block();
    const std::vector<std::uint32_t> spikes = tiny_spikes();
    const std::size_t positions = 25;
    const std::size_t filters = 4;
    const std::size_t patch = 18;
    const int repeats = 4000;
    std::vector<double> sum(kernels.size(), 0.0);
    std::vector<double> squares(kernels.size(), 0.0);
    std::vector<double> count(positions, 0.0);
    SpikingConvLearner::ImageDraws image;
    SpikingBlockCounters forward;
    SpikingPlasticityCounters plasticity;
    std::vector<double> energies;
    reference.free_energies(block, spikes, image, energies);
    std::uint64_t fired = 0;
    for (int r = 0; r < repeats; ++r) {
        SpikingConvLearner learner(tiny_block(), params, kernels, kMean, kVariance);
        learner.calibrate(energies);
        Rng rng = Rng::stream(7, StreamPurpose::test_fixture, static_cast<std::uint64_t>(r));
        const SpikingBlockCounters before = forward;
        learner.draw(block, spikes, rng, image, forward, plasticity);
        fired += image.draws.size();
        // The competition's spikes reach the position's inhibition: one synaptic event each, beside the input's.
        const std::uint64_t competition_events = forward.events.synaptic_events - before.events.synaptic_events;
        SpikingBlockCounters input_only;
        SpikingConvBlock(block).integrate(spikes, image.drive, input_only);
        CHECK(competition_events == input_only.events.synaptic_events + image.draws.size());
        for (const auto& d : image.draws) count[d.position] += 1.0;
        learner.accumulate(image, plasticity);
        const std::vector<float> update = learner.pending_update();
        for (std::size_t i = 0; i < update.size(); ++i) {
            sum[i] += update[i];
            squares[i] += static_cast<double>(update[i]) * update[i];
        }
    }
    CHECK(plasticity.learning_spikes == fired);
    // The positions' counts are regulated near spikes_per_position (a third above it: the competition's test).
    const double mean_count = static_cast<double>(fired) / (repeats * static_cast<double>(positions));
    CHECK(mean_count > 1.5);
    CHECK(mean_count < 3.5);
    // The expectation: sum over positions of (n_p / S) s y_pc (x_p - u_pc w_c), y = softmax(u_p / T).
    std::vector<double> expected(kernels.size(), 0.0);
    for (std::size_t p = 0; p < positions; ++p) {
        const float* u = image.drive.data() + p * filters;
        const float* x = image.patches.data() + p * patch;
        const auto winner = static_cast<std::size_t>(std::max_element(u, u + filters) - u);
        double z = 0.0;
        for (std::size_t k = 0; k < filters; ++k) z += std::exp((u[k] - u[winner]) / 0.5);
        const double weight = count[p] / repeats / 2.0;
        for (std::size_t k = 0; k < filters; ++k) {
            const double y = std::exp((u[k] - u[winner]) / 0.5) / z;
            const double s = k == winner ? 1.0 : -1.0;
            for (std::size_t i = 0; i < patch; ++i) {
                expected[i * filters + k] += weight * s * y * (x[i] - u[k] * kernels[i * filters + k]);
            }
        }
    }
    double largest = 0.0;
    for (const double v : expected) largest = std::max(largest, std::abs(v));
    CHECK(entries_outside(sum, squares, repeats, expected) == 0);
    CHECK(largest > 0.5);
}

TEST_CASE(
    "in the LIF form the threshold's offset holds the positions' mean count at learning_spikes over batches: the "
    "free energies set where it starts, the counts where it settles") {
    SpikingLearningParams params;
    params.temperature = 0.5;
    params.spikes_per_position = 1;
    params.learning_rate = 0.0;  // the same drives in every batch
    params.competition = Competition::lif;
    SpikingConvLearner learner(tiny_block(), params, tiny_kernels(), kMean, kVariance);
    const SpikingConvBlock block = learner.block();
    const std::vector<std::uint32_t> spikes = tiny_spikes();
    SpikingConvLearner::ImageDraws image;
    std::vector<double> energies;
    learner.free_energies(block, spikes, image, energies);
    learner.calibrate(energies);
    SpikingBlockCounters forward;
    SpikingPlasticityCounters plasticity;
    Rng rng(3);
    std::vector<double> mean_count;
    for (int batch = 0; batch < 60; ++batch) {
        const std::uint64_t before = plasticity.learning_spikes;
        for (int i = 0; i < 10; ++i) {
            learner.draw(block, spikes, rng, image, forward, plasticity);
            learner.accumulate(image, plasticity);
        }
        learner.apply(plasticity);
        mean_count.push_back(static_cast<double>(plasticity.learning_spikes - before) / (10.0 * 25.0));
    }
    CHECK(mean_count.front() > 1.3);  // from the free energies alone: above the target (Jensen)
    double late = 0.0;
    for (std::size_t b = 30; b < 60; ++b) late += mean_count[b] / 30.0;
    CHECK(late == doctest::Approx(1.0).epsilon(0.08));
    CHECK(learner.threshold_offset() > 0.0);  // it had to fire less
}
