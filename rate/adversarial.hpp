#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "rate/pixel_classifier.hpp"

namespace softspike {

// Gradient attacks within an L-infinity ball of pixel intensities (Goodfellow et al. 2015; Madry et al. 2018).
enum class AttackKind : std::uint8_t {
    fgsm,  // one step of epsilon along the sign of the loss gradient
    pgd,   // from a random start in the ball, `steps` steps of step_fraction * epsilon, projected after each
};

// One attack as run on every image.
struct AttackParams {
    AttackKind kind = AttackKind::fgsm;
    double epsilon = 0.1;         // L-infinity radius, in intensity units (pixels lie in [0, 1])
    std::size_t steps = 10;       // PGD
    double step_fraction = 0.25;  // PGD: each step is this fraction of epsilon
    std::uint64_t seed = 1;       // PGD's random starts: one stream per (seed, image index)
};

// The adversarial versions of `images` (n rows of model.pixels_per_image() intensities) against `model`, each within
// epsilon of its original in every pixel and within [0, 1]; white-box, from the model's own gradients. Images are
// processed in fixed blocks, so the result does not depend on the thread count.
std::vector<float> attack_images(const PixelClassifier& model, std::span<const float> images,
                                 std::span<const std::uint8_t> labels, const AttackParams& params);

// The fraction of `images` that `model` classifies as their labels.
double classifier_accuracy(const PixelClassifier& model, std::span<const float> images,
                           std::span<const std::uint8_t> labels);

}  // namespace softspike
