#pragma once
#include <cstdint>
#include <span>
#include <vector>

namespace softspike {

// Prequential accuracy of an on-line linear read-out, for the training curve of the linear read-out: a
// softmax regression on each image's spike counts, scaled to their share of the image's spikes times the
// number of neurons (mean feature 1), learned by one SGD step per image. Each image is classified before
// the read-out learns from it. It follows the learning network and is not the read-out fitted after
// training, which sees frozen weights and many epochs; it shows the shape of learning, not the final figure.
class OnlineLinearReadout {
public:
    OnlineLinearReadout(std::size_t neurons, std::size_t classes, double learning_rate = 0.01);
    // Returns whether the image was classified correctly, then learns from it.
    bool observe(std::span<const std::uint32_t> spikes, std::size_t label);

    // What a training checkpoint keeps, so that a resumed run reports the same curve.
    struct State {
        std::vector<double> weights;  // classes x neurons
        std::vector<double> biases;   // classes
    };
    [[nodiscard]] State state() const { return {weights_, biases_}; }
    // Throws std::invalid_argument if `state` is for another number of neurons or classes.
    void restore(State state);

private:
    std::size_t neurons_;
    std::size_t classes_;
    double learning_rate_;
    std::vector<double> weights_;
    std::vector<double> biases_;
    std::vector<double> features_;
    std::vector<double> logits_;
};

}  // namespace softspike
