#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/counters.hpp"
#include "core/random.hpp"
#include "network/spiking_conv_block.hpp"
#include "neurons/escape_competition.hpp"

namespace softspike {

// How a position's channels compete for the learning spikes: drawn from the softmax (the stochastic form), or
// as escape-noise LIF neurons with lateral inhibition (neurons/escape_competition).
enum class Competition : std::uint8_t { stochastic, lif };

// How a spiking conv block's kernels learn from its soft-WTA's spikes (lowered by run/ from the layer's config;
// the rate form's options; docs/model.md §13, "Learning per soft-WTA spike").
struct SpikingLearningParams {
    double temperature = 1.0;     // the soft-WTA's softmax temperature over a position's channels
    double learning_rate = 0.01;  // eta, as the rate form's
    double adaptive_power = 0.0;  // eta_k = eta (|‖w_k‖ - norm_target| + 1e-10)^p; 0: a fixed rate
    double norm_target = 1.0;
    bool anti_hebbian = false;            // a spike of a channel other than the position's largest drive learns with -1
    bool normalise_update = false;        // the batch's update divided by its largest |entry| before the step
    std::size_t spikes_per_position = 1;  // soft-WTA spikes per output position and training image (the LIF
                                          // form's target: R0 D)
    Competition competition = Competition::stochastic;
    // The LIF form's circuit; its temperature is `temperature` and its rate spikes_per_position / window_s (the
    // learner sets both).
    EscapeCompetitionParams lif;
};

// What the learning of a spiking conv block did: exact counts, beside the block's forward counts.
struct SpikingPlasticityCounters {
    std::uint64_t learning_spikes = 0;     // soft-WTA spikes drawn (spikes_per_position per position and image)
    std::uint64_t update_accumulates = 0;  // per spike, one accumulate per synapse of the spiking kernel's patch
    std::uint64_t weight_updates = 0;      // per batch, one read-modify-write per kernel weight
    std::uint64_t batches = 0;

    SpikingPlasticityCounters& operator+=(const SpikingPlasticityCounters& o) {
        learning_spikes += o.learning_spikes;
        update_accumulates += o.update_accumulates;
        weight_updates += o.weight_updates;
        batches += o.batches;
        return *this;
    }
    friend bool operator==(const SpikingPlasticityCounters&, const SpikingPlasticityCounters&) = default;
};

// SoftHebb per spike on a spiking conv block's shared kernels (issue 16; docs/model.md §13, "Learning per
// soft-WTA spike"). An image's input spikes are integrated through the block (BatchNorm folded in) into a drive
// u per position and channel; each position's soft-WTA then fires spikes_per_position spikes, each drawn from
// softmax(u_p / T) over the channels. A spike of channel c at position p adds
// s (x̂_p - u_pc w_c) / spikes_per_position to kernel c's pending update, x̂_p being the position's patch of the
// BatchNorm-normalised input the spikes carried and s = ±1 (anti-Hebbian). Its expectation over the draws is the
// rate form's SoftHebb term y_pc (x̂_p - u_pc w_c) with the anti-Hebbian sign, summed over positions and images:
// the rate form's batch update, estimated from spikes. At the end of a batch the summed update is stepped as the
// rate form steps its own (plasticity/batch_step).
class SpikingConvLearner {
public:
    // `block`: the block's shape and quanta; kernels (patch_size x filters) and BatchNorm statistics (empty: none).
    SpikingConvLearner(const SpikingConvParams& block, const SpikingLearningParams& params, std::vector<float> kernels,
                       std::vector<double> mean, std::vector<double> variance);

    // The block with the kernels as they stand, BatchNorm folded in: what the next images are integrated with.
    [[nodiscard]] SpikingConvBlock block() const;

    // One soft-WTA spike: position, channel, its signed weight s / spikes_per_position and the drive it saw.
    struct Draw {
        std::uint32_t position = 0;
        std::uint32_t channel = 0;
        float weight = 0.0F;
        float drive = 0.0F;
    };
    // What one image leaves for the batch's update: its patches and its soft-WTA spikes.
    struct ImageDraws {
        std::vector<float> patches;  // positions x patch_size: the normalised input the image's spikes carried
        std::vector<Draw> draws;
        std::vector<float> drive;  // reused between images
        std::vector<float> values;
        std::vector<double> free_energies;  // the LIF form: one per position, for the adaptive threshold
        std::vector<std::uint32_t> fired;
        EscapeCompetition::Workspace competition;
    };

    // Integrates `spikes` (the block's input units) through `block` (this learner's block()), draws the soft-WTA
    // spikes from `rng` and keeps them with the patches in `out`. Const: images of a batch may be drawn in
    // parallel; their draws are accumulated in order.
    void draw(const SpikingConvBlock& block, std::span<const std::uint32_t> spikes, Rng& rng, ImageDraws& out,
              SpikingBlockCounters& forward, SpikingPlasticityCounters& plasticity) const;
    // The LIF form: the free energy of every position of an image (its spikes integrated through `block`),
    // appended to `out`, from which run/ sets the first batch's threshold.
    void free_energies(const SpikingConvBlock& block, std::span<const std::uint32_t> spikes, ImageDraws& work,
                       std::vector<double>& out) const;
    // The LIF form's threshold for a typical free energy: the median of `free_energies` (§4.3's F*), plus the
    // offset the spike counts have set so far.
    void calibrate(std::vector<double> free_energies);
    [[nodiscard]] double threshold() const { return competition_.threshold(); }
    // The LIF form: what the counts have added to theta = F* - G T so far.
    [[nodiscard]] double threshold_offset() const { return offset_; }

    // Adds one image's spikes to the pending update.
    void accumulate(const ImageDraws& image, SpikingPlasticityCounters& counters);
    // The pending update (patch_size x filters): sum of s (x̂ - u w_c) / spikes_per_position over its spikes.
    [[nodiscard]] std::vector<float> pending_update() const;
    // Steps the kernels by the pending update (as the rate form: eta_k / positions-and-images, or normalised by
    // its largest entry) and clears it. A batch without spikes changes nothing. The LIF form's threshold then
    // follows the free energies of the batch's positions (an adaptive threshold: the kernels' norms move from
    // their initial radius towards 1 within a stage, and the drives with them), and its offset moves by
    // (1 + G) T log(mean count / spikes_per_position), the rate's sensitivity to the threshold (§4.3), so that
    // the positions fire spikes_per_position spikes on average.
    void apply(SpikingPlasticityCounters& counters);

    [[nodiscard]] const std::vector<float>& kernels() const { return kernels_; }
    // The kernels as a chip's memory holds them after a step (run/ rounds them onto its grid).
    [[nodiscard]] std::vector<float>& kernels() { return kernels_; }
    [[nodiscard]] const SpikingLearningParams& params() const { return params_; }

private:
    // out.values and out.patches: the input the spikes carried, normalised, read as the rate form's im2col.
    void normalised_patches(std::span<const std::uint32_t> spikes, ImageDraws& out) const;

    SpikingConvParams block_;
    SpikingLearningParams params_;
    std::vector<float> kernels_;  // patch_size x filters
    std::vector<double> mean_;
    std::vector<double> variance_;
    std::vector<float> inverse_sd_;  // per input channel, as fold_batch_norm rounds it
    std::vector<float> hebb_;        // filters x patch_size: the summed s x̂ / spikes_per_position, per channel
    std::vector<double> decay_;      // per filter: the summed s u / spikes_per_position
    std::uint64_t rows_ = 0;         // positions x images in the pending update
    EscapeCompetition competition_;
    std::vector<double> batch_free_energies_;  // the LIF form: the pending batch's positions
    std::uint64_t batch_spikes_ = 0;           // the LIF form: the pending batch's learning spikes
    double offset_ = 0.0;
};

}  // namespace softspike
