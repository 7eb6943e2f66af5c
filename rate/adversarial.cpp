#include "rate/adversarial.hpp"

#include <algorithm>
#include <cmath>

#include "core/random.hpp"
#include "readout/rate_vectors.hpp"

namespace softspike {

namespace {

// Images per gradient call: large enough for the products to run at sgemm speed, small enough to stay in cache.
constexpr std::size_t kBlock = 256;

float sign(float g) { return g > 0.0F ? 1.0F : g < 0.0F ? -1.0F : 0.0F; }

}  // namespace

std::vector<float> attack_images(const PixelClassifier& model, std::span<const float> images,
                                 std::span<const std::uint8_t> labels, const AttackParams& params) {
    const std::size_t d = model.pixels_per_image();
    const std::size_t n = labels.size();
    std::vector<float> out(images.begin(), images.end());
    if (params.epsilon <= 0.0) return out;
    const auto eps = static_cast<float>(params.epsilon);
    std::vector<float> gradient;
    std::vector<std::uint8_t> predicted;
    for (std::size_t first = 0; first < n; first += kBlock) {
        const std::size_t batch = std::min(kBlock, n - first);
        const std::span<const float> clean = images.subspan(first * d, batch * d);
        const std::span<float> x = std::span<float>(out).subspan(first * d, batch * d);
        const std::span<const std::uint8_t> y = labels.subspan(first, batch);
        gradient.resize(batch * d);
        predicted.resize(batch);
        // Keeps pixel i within [clean - eps, clean + eps] and [0, 1].
        const auto project = [&](std::size_t i, float v) {
            return std::clamp(std::clamp(v, clean[i] - eps, clean[i] + eps), 0.0F, 1.0F);
        };
        if (params.kind == AttackKind::fgsm) {
            model.loss_gradients(x, batch, y, gradient, predicted, {});
            for (std::size_t i = 0; i < batch * d; ++i) x[i] = project(i, clean[i] + eps * sign(gradient[i]));
            continue;
        }
        for (std::size_t b = 0; b < batch; ++b) {
            Rng rng = Rng::stream(params.seed, StreamPurpose::attack_start, first + b);
            for (std::size_t p = 0; p < d; ++p) {
                const std::size_t i = b * d + p;
                x[i] = project(i, clean[i] + static_cast<float>((2.0 * rng.uniform() - 1.0) * params.epsilon));
            }
        }
        const auto alpha = static_cast<float>(params.step_fraction * params.epsilon);
        for (std::size_t s = 0; s < params.steps; ++s) {
            model.loss_gradients(x, batch, y, gradient, predicted, {});
            for (std::size_t i = 0; i < batch * d; ++i) x[i] = project(i, x[i] + alpha * sign(gradient[i]));
        }
    }
    return out;
}

double classifier_accuracy(const PixelClassifier& model, std::span<const float> images,
                           std::span<const std::uint8_t> labels) {
    const std::size_t d = model.pixels_per_image();
    const std::size_t n = labels.size();
    std::vector<std::uint8_t> predicted(n);
    for (std::size_t first = 0; first < n; first += kBlock) {
        const std::size_t batch = std::min(kBlock, n - first);
        model.predict(images.subspan(first * d, batch * d), batch,
                      std::span<std::uint8_t>(predicted).subspan(first, batch));
    }
    return accuracy(predicted, labels);
}

}  // namespace softspike
