#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "network/network_model.hpp"
#include "plasticity/plasticity_rule.hpp"

namespace softspike {

// How one dense soft-WTA layer learns.
struct RateLayerParams {
    double temperature = 0.005;   // softmax temperature of y while learning
    double learning_rate = 0.01;  // eta per sample (a mini-batch applies the mean of its samples' updates)
    double adaptive_power = 0.0;  // eta_k = eta * (|‖w_k‖ - norm_target| + 1e-10)^p (Journé et al. 2023); 0: fixed
    double norm_target = 1.0;
    bool anti_hebbian = false;  // non-winners (all but argmax u) learn with -y_k
    // Miconi's sparse plasticity: only the learning_top_k neurons of largest drive learn from a sample (the
    // others' Hebbian and decay terms are 0; ties go to the lower index); 0: every neuron learns.
    std::size_t learning_top_k = 0;
    // Multilayer SoftHebb's normalisation: the batch's summed update divided by its largest |entry| before the
    // step eta_k, so that no synapse moves by more than eta_k in one update.
    bool normalise_update = false;
    // The spiking form's normalised update in expectation (plasticity.normalise_update): each sample's term of
    // neuron k, x - (decay_k / hebb_k) w_k, divided by its own largest |entry| before the usual step.
    bool normalise_per_neuron = false;
    bool learn_biases = false;
    double bias_learning_rate = 0.001;
    // The spiking form's homeostasis in expectation: per sample b_k += rate * spikes * (1/N - y_k), the mean
    // over the batch; `spikes` is the spiking form's expected output spikes per training image.
    double homeostasis_rate = 0.0;
    double homeostasis_spikes = 0.0;
};

// Exact counts of the operations the rate form performed, for the comparison with spikes.
struct RateCounters {
    std::uint64_t samples = 0;             // forward passes through the layer, one per sample
    std::uint64_t macs = 0;                // forward multiply-accumulates: every synapse for every sample
    std::uint64_t effective_macs = 0;      // of those, the ones with a nonzero input (NeuroBench's effective)
    std::uint64_t plasticity_macs = 0;     // multiply-accumulates of the Hebbian product X^T G
    std::uint64_t plasticity_updates = 0;  // synapse read-modify-writes: every synapse once per batch
    std::uint64_t bias_updates = 0;
    // A convolutional block's outputs (after pooling), and how many of them are exactly 0 (the triangle's
    // cut): ActivationSparsity = zero_outputs / outputs. Dense layers leave both at 0.
    std::uint64_t outputs = 0;
    std::uint64_t zero_outputs = 0;

    [[nodiscard]] double activation_sparsity() const {
        return outputs == 0 ? 0.0 : static_cast<double>(zero_outputs) / static_cast<double>(outputs);
    }

    RateCounters& operator+=(const RateCounters& o) {
        samples += o.samples;
        macs += o.macs;
        effective_macs += o.effective_macs;
        plasticity_macs += o.plasticity_macs;
        plasticity_updates += o.plasticity_updates;
        bias_updates += o.bias_updates;
        outputs += o.outputs;
        zero_outputs += o.zero_outputs;
        return *this;
    }
};

// One dense soft-WTA layer (docs/model.md §7): u = W^T x + b, y = softmax(u / T), and its local learning,
// dW = eta_k * mean over the batch of (hebb_k x - decay_k w_k) with the terms from a PlasticityRule's rate
// form. Weights are a NetworkModel, source-major as in the spiking form, so they move between the forms
// unchanged.
class RateLayer {
public:
    RateLayer(NetworkModel model, const RateLayerParams& params);

    // u (batch x neurons) = x (batch x inputs) . W + b.
    void forward(std::span<const float> x, std::size_t batch, std::vector<float>& u, RateCounters& counters) const;
    // One learning step on a batch from its inputs and their forward u.
    void learn(std::span<const float> x, std::size_t batch, std::span<const float> u, const PlasticityRule& rule,
               RateCounters& counters);

    [[nodiscard]] std::size_t inputs() const { return model_.weights.sources(); }
    [[nodiscard]] std::size_t neurons() const { return model_.weights.targets(); }
    [[nodiscard]] const NetworkModel& model() const { return model_; }
    [[nodiscard]] NetworkModel& model() { return model_; }

private:
    // W += the rule's update at eta_k per neuron (eta already divided by the batch), or normalised first.
    void apply_update(std::span<const float> x, std::size_t batch, std::span<const float> eta);
    void apply_normalised_update(std::span<const float> x, std::size_t batch, std::span<const float> eta);
    void learn_biases(std::span<const double> mean_y, RateCounters& counters);
    // Per neuron, the rule's decay term summed over the batch.
    [[nodiscard]] std::vector<float> decay_sums(std::size_t batch) const;
    // Divides each sample's hebb and decay terms of neuron k by max_i |x_i - (decay / hebb) w_ik|.
    void normalise_terms_per_neuron(std::span<const float> x, std::size_t batch);
    // Zeroes the Hebbian and decay terms of the sample at offset `at` for all but its learning_top_k largest drives.
    void keep_top_k(std::span<const float> u, std::size_t at);

    NetworkModel model_;
    RateLayerParams params_;
    std::vector<float> hebb_;   // batch x neurons, scaled by eta_k / batch
    std::vector<float> decay_;  // batch x neurons
    std::vector<float> y_;      // batch x neurons
    std::vector<float> delta_;  // inputs x neurons: the update, when it is normalised
};

// y = softmax(u / temperature) of each of `rows` rows, in place; shifted by each row's maximum, so that a low
// temperature cannot overflow.
void softmax_rows(std::span<float> u, std::size_t rows, double temperature);

}  // namespace softspike
