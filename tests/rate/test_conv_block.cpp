#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "plasticity/hebb.hpp"
#include "plasticity/instar.hpp"
#include "plasticity/oja.hpp"
#include "plasticity/softhebb.hpp"
#include "rate/batch_norm.hpp"
#include "core/triangle.hpp"
#include "rate/conv_block.hpp"
#include "core/pooling.hpp"

using namespace softspike;

namespace {
// A block whose kernel covers its whole 1 x 2 x 2 input (kernel 2, no padding): one position, no BatchNorm,
// linear triangle, temperature 0.5, eta 0.1, so that its step can be written out by hand.
ConvBlockParams one_position_block(std::size_t filters) {
    ConvBlockParams p;
    p.filters = filters;
    p.kernel = 2;
    p.padding = 0;
    p.batch_norm = false;
    p.triangle_power = 1.0;
    p.learning.temperature = 0.5;
    p.learning.learning_rate = 0.1;
    return p;
}
// Three filters on the one-position block: source-major 4 x 3 kernels, one image, and the drives they give.
struct ThreeFilters {
    std::vector<float> w0 = {0.5F, -0.2F, 0.1F, 0.4F, 0.3F, 0.3F, -0.1F, 0.2F, 0.0F, 0.2F, 0.1F, -0.3F};
    std::vector<float> x = {1.0F, 0.5F, 0.0F, 2.0F};
    double u[3] = {0, 0, 0};
    double z = 0.0;  // the softmax's normaliser at temperature 0.5
    ThreeFilters() {
        for (int i = 0; i < 4; ++i)
            for (int k = 0; k < 3; ++k) u[k] += x[i] * w0[i * 3 + k];
        for (const double v : u) z += std::exp(v / 0.5);
    }
};
}  // namespace

TEST_CASE("BatchNorm: batch statistics while learning, running ones at evaluation, as PyTorch's") {
    BatchNorm norm(1);
    std::vector<float> x = {1, 3, 5, 7};  // batch 2, 1 channel, 2 positions: mean 4, biased variance 5
    norm.apply(x, 2, true);
    const double sd = std::sqrt(5.0 + 1e-5);
    CHECK(x[0] == doctest::Approx(-3.0 / sd));
    CHECK(x[3] == doctest::Approx(3.0 / sd));
    CHECK(norm.running_mean()[0] == doctest::Approx(0.4));                       // 0.9 * 0 + 0.1 * 4
    CHECK(norm.running_variance()[0] == doctest::Approx(0.9 + 0.1 * 20.0 / 3));  // unbiased 20 / 3
    std::vector<float> y = {0.4F, 2.0F};
    norm.apply(y, 1, false);
    CHECK(y[0] == doctest::Approx(0.0).epsilon(1e-6));
    CHECK(y[1] == doctest::Approx(1.6 / std::sqrt(0.9 + 2.0 / 3 + 1e-5)));
    CHECK(norm.running_mean()[0] == doctest::Approx(0.4));  // unchanged at evaluation
}

TEST_CASE("pooling: max and average windows with padding, channels last in, channels first out") {
    // A 4 x 4 image of 2 channels, channel 1 = 10 x channel 0; values 0..15 in row-major order.
    std::vector<float> in(32);
    for (std::size_t p = 0; p < 16; ++p) in[p * 2] = static_cast<float>(p), in[p * 2 + 1] = 10.0F * p;
    PoolParams max{PoolKind::max, 2, 2, 0};
    std::vector<float> out(2 * 2 * 2);
    pool_to_channels_first(in, 4, 4, 2, max, out);
    CHECK(out == std::vector<float>{5, 7, 13, 15, 50, 70, 130, 150});
    // Average, size 4, stride 2, padding 1: 2 x 2 outputs; the padding counts as zeros (divided by 16).
    PoolParams average{PoolKind::average, 4, 2, 1};
    pool_to_channels_first(in, 4, 4, 2, average, out);
    // Window rows -1..2, columns -1..2: the 3 x 3 block {0,1,2,4,5,6,8,9,10} sums to 45.
    CHECK(out[0] == doctest::Approx(45.0 / 16));
    CHECK(out[3] == doctest::Approx((5 + 6 + 7 + 9 + 10 + 11 + 13 + 14 + 15) / 16.0));
    CHECK(out[4] == doctest::Approx(450.0 / 16));
    PoolParams none;
    std::vector<float> same(32);
    pool_to_channels_first(in, 4, 4, 2, none, same);
    CHECK(same[16 + 5] == 50.0F);  // channel 1, position 5
    CHECK(PoolParams{PoolKind::max, 5, 1, 0}.problem(4, 4).find("size: expected at most the padded input") == 0);
}

TEST_CASE("the triangle activation with a power: max(0, u - mean)^p per row") {
    std::vector<float> u = {1, 2, 3, 6, 0, 0, 0, 4};  // means 3 and 1
    triangle_rows(u, 2, 0.5);
    CHECK(u[0] == 0.0F);
    CHECK(u[2] == 0.0F);
    CHECK(u[3] == doctest::Approx(std::sqrt(3.0)));
    CHECK(u[7] == doctest::Approx(std::sqrt(3.0)));
}

TEST_CASE("a conv block's SoftHebb step with every official option equals the hand computation") {
    // One 1 x 2 x 2 image: one position, patch x = the image; two filters.
    ConvBlockParams p = one_position_block(2);
    p.learning.anti_hebbian = true;
    p.learning.normalise_update = true;
    p.learning.adaptive_power = 0.5;
    Rng rng(1);
    ConvBlock block({1, 2, 2}, p, rng);
    const std::vector<float> w0 = {0.5F, -0.2F, 0.1F, 0.4F, 0.3F, 0.3F, -0.1F, 0.2F};  // 4 x 2, source-major
    block.kernels().weights.weights() = w0;
    const std::vector<float> x = {1.0F, 0.5F, 0.0F, 2.0F};
    std::vector<float> out;
    RateCounters counters;
    const SoftHebb rule(0.1);
    block.forward(x, 1, out, counters, &rule);

    double u[2] = {0, 0};
    for (int i = 0; i < 4; ++i)
        for (int k = 0; k < 2; ++k) u[k] += x[i] * w0[i * 2 + k];
    const double e0 = std::exp(u[0] / 0.5);
    const double e1 = std::exp(u[1] / 0.5);
    double y[2] = {e0 / (e0 + e1), e1 / (e0 + e1)};
    const int winner = u[0] >= u[1] ? 0 : 1;
    y[1 - winner] = -y[1 - winner];  // anti-Hebbian: the non-winner learns with -y
    double delta[8];
    double largest = 0.0;
    for (int i = 0; i < 4; ++i) {
        for (int k = 0; k < 2; ++k) {
            delta[i * 2 + k] = y[k] * x[i] - y[k] * u[k] * w0[i * 2 + k];
            largest = std::max(largest, std::abs(delta[i * 2 + k]));
        }
    }
    for (int k = 0; k < 2; ++k) {
        double norm = 0.0;
        for (int i = 0; i < 4; ++i) norm += static_cast<double>(w0[i * 2 + k]) * w0[i * 2 + k];
        const double eta = 0.1 * std::pow(std::abs(std::sqrt(norm) - 1.0) + 1e-10, 0.5);
        for (int i = 0; i < 4; ++i) {
            CAPTURE(i);
            CAPTURE(k);
            CHECK(block.kernels().weights.weights()[i * 2 + k] ==
                  doctest::Approx(w0[i * 2 + k] + eta * delta[i * 2 + k] / largest).epsilon(1e-5));
        }
    }
    // The output is the triangle of the drives before the step, at the one position.
    const double mean = (u[0] + u[1]) / 2;
    CHECK(out[0] == doctest::Approx(std::max(0.0, u[0] - mean)).epsilon(1e-5));
    CHECK(out[1] == doctest::Approx(std::max(0.0, u[1] - mean)).epsilon(1e-5));
    CHECK(counters.macs == 8);
    CHECK(counters.plasticity_updates == 8);
}

TEST_CASE("a conv block: output shape, frozen forward, and every position of every image is one SoftHebb sample") {
    ConvBlockParams p;
    p.filters = 4;
    p.kernel = 3;
    p.padding = 1;
    p.pool = {PoolKind::max, 2, 2, 0};
    p.learning.temperature = 1.0;
    p.learning.learning_rate = 0.01;
    Rng rng(2);
    ConvBlock block({2, 6, 6}, p, rng);
    CHECK(block.output_shape().channels == 4);
    CHECK(block.output_shape().height == 3);
    CHECK(block.output_shape().width == 3);
    // Initial kernels: normal(0, 25 / sqrt(18)), so their norm is near 25.
    double norm = 0.0;
    for (const float w : block.kernels().weights.weights()) norm += static_cast<double>(w) * w;
    CHECK(std::sqrt(norm / 4) == doctest::Approx(25.0).epsilon(0.35));
    std::vector<float> images(3 * 72);
    for (std::size_t i = 0; i < images.size(); ++i) images[i] = static_cast<float>((i * 37) % 11) / 11.0F;
    std::vector<float> out;
    RateCounters counters;
    const auto before = block.kernels().weights.weights();
    block.forward(images, 3, out, counters);  // frozen
    CHECK(block.kernels().weights.weights() == before);
    CHECK(out.size() == 3 * 36);
    CHECK(counters.macs == 3ULL * 36 * 18 * 4);
    const SoftHebb rule(0.01);
    block.forward(images, 3, out, counters, &rule);
    CHECK(block.kernels().weights.weights() != before);
    CHECK(counters.plasticity_macs == 3ULL * 36 * 18 * 4);
    CHECK(ConvBlock::problem({1, 4, 4}, p).empty());
    p.kernel = 7;
    p.padding = 0;
    CHECK(ConvBlock::problem({1, 4, 4}, p).find("kernel: expected at most the padded input") == 0);
    p.kernel = 3;
    p.pool = {PoolKind::max, 4, 2, 0};
    CHECK(ConvBlock::problem({1, 4, 4}, p).find("pool.size") == 0);
}

TEST_CASE("Hebb, instar and Oja learn on a conv block: dw_k = eta (y_k x - decay(y_k) w_k), per their decay") {
    // One 1 x 2 x 2 image: one position; three filters; y = softmax(u / 0.5).
    ConvBlockParams p = one_position_block(3);
    const ThreeFilters t;
    const Hebb hebb(0.1);
    const Instar instar(0.1);
    const Oja oja(0.1);
    const std::pair<const PlasticityRule*, int> rules[] = {{&hebb, 0}, {&instar, 1}, {&oja, 2}};
    for (const auto& [rule, which] : rules) {
        CAPTURE(which);
        Rng rng(1);
        ConvBlock block({1, 2, 2}, p, rng);
        block.kernels().weights.weights() = t.w0;
        std::vector<float> out;
        RateCounters counters;
        block.forward(t.x, 1, out, counters, rule);
        for (int k = 0; k < 3; ++k) {
            const double y = std::exp(t.u[k] / 0.5) / t.z;
            const double decay = which == 0 ? 0.0 : which == 1 ? y : y * y;
            for (int i = 0; i < 4; ++i) {
                CHECK(block.kernels().weights.weights()[i * 3 + k] ==
                      doctest::Approx(t.w0[i * 3 + k] + 0.1 * (y * t.x[i] - decay * t.w0[i * 3 + k])).epsilon(1e-5));
            }
        }
    }
}

TEST_CASE("Miconi's sparse plasticity: only the k channels of largest drive learn, by the same step as without") {
    ConvBlockParams p = one_position_block(3);
    const ThreeFilters t;
    // u = {1.1, 0.15, -0.35}: channel 0 is the strongest, then 1, then 2.
    REQUIRE(t.u[0] > t.u[1]);
    REQUIRE(t.u[1] > t.u[2]);
    const SoftHebb rule(0.1);
    for (const std::size_t top_k : {1UL, 2UL}) {
        CAPTURE(top_k);
        p.learning.learning_top_k = top_k;
        Rng rng(1);
        ConvBlock block({1, 2, 2}, p, rng);
        block.kernels().weights.weights() = t.w0;
        std::vector<float> out;
        RateCounters counters;
        block.forward(t.x, 1, out, counters, &rule);
        const bool learns[3] = {true, top_k >= 2, false};
        for (int k = 0; k < 3; ++k) {
            const double y = std::exp(t.u[k] / 0.5) / t.z;
            for (int i = 0; i < 4; ++i) {
                const float w = block.kernels().weights.weights()[i * 3 + k];
                if (learns[k]) {
                    CHECK(w == doctest::Approx(t.w0[i * 3 + k] + 0.1 * (y * t.x[i] - y * t.u[k] * t.w0[i * 3 + k])).epsilon(1e-5));
                } else {
                    CHECK(w == t.w0[i * 3 + k]);
                }
            }
        }
    }
    p.learning.learning_top_k = 4;
    CHECK(ConvBlock::problem({1, 2, 2}, p) == "learning_top_k: expected at most filters (3), found 4");
}

TEST_CASE("Miconi's pruning: a fixed count of each kernel's connections is removed, stays 0, and leaves the rest") {
    ConvBlockParams p;
    p.filters = 4;
    p.kernel = 3;
    p.padding = 1;
    p.learning.temperature = 1.0;
    p.learning.learning_rate = 0.01;
    Rng plain_rng(2);
    const ConvBlock plain({2, 6, 6}, p, plain_rng);
    p.prune_fraction = 0.25;  // of fan-in 18: round(4.5) = 5 connections per kernel
    Rng rng(2);
    ConvBlock pruned({2, 6, 6}, p, rng, Rng(7));
    CHECK(pruned.pruned_connections() == 4 * 5);
    const auto& w = pruned.kernels().weights.weights();
    const auto& w_plain = plain.kernels().weights.weights();
    std::vector<std::size_t> zeros(4, 0);
    for (std::size_t i = 0; i < w.size(); ++i) {
        if (w[i] == 0.0F) {
            ++zeros[i % 4];
        } else {
            CHECK(w[i] == w_plain[i]);  // kept connections start where they would without pruning
        }
    }
    CHECK(zeros == std::vector<std::size_t>(4, 5));
    const std::vector<float> before = w;
    std::vector<float> images(3 * 72);
    for (std::size_t i = 0; i < images.size(); ++i) images[i] = static_cast<float>((i * 37) % 11) / 11.0F;
    std::vector<float> out;
    RateCounters counters;
    const SoftHebb rule(0.01);
    pruned.forward(images, 3, out, counters, &rule);
    std::size_t changed = 0;
    for (std::size_t i = 0; i < w.size(); ++i) {
        if (before[i] == 0.0F) CHECK(w[i] == 0.0F);
        changed += w[i] != before[i] ? 1 : 0;
    }
    CHECK(changed == w.size() - 20);  // every kept connection learned
    p.prune_fraction = 1.0;
    CHECK(ConvBlock::problem({2, 6, 6}, p) == "prune_fraction: expected at least 0 and below 1");
}

TEST_CASE("a dense layer on top: one patch, the whole input flattened channel by channel, one output position") {
    ConvBlockParams p;
    p.kind = LayerKind::dense;
    p.filters = 5;
    p.kernel = 99;  // ignored: the kernel is the input
    p.batch_norm = false;
    p.triangle_power = 1.0;
    Rng rng(3);
    ConvBlock block({2, 3, 3}, p, rng);
    CHECK(block.output_shape().channels == 5);
    CHECK(block.output_shape().height == 1);
    CHECK(block.output_shape().width == 1);
    const auto& w = block.kernels().weights.weights();  // 18 x 5, inputs in CHW order
    REQUIRE(w.size() == 18 * 5);
    std::vector<float> image(18);
    for (std::size_t i = 0; i < 18; ++i) image[i] = static_cast<float>(i % 7) / 7.0F - 0.3F;
    std::vector<float> out;
    RateCounters counters;
    block.forward(image, 1, out, counters);
    double u[5] = {};
    for (std::size_t i = 0; i < 18; ++i)
        for (std::size_t k = 0; k < 5; ++k) u[k] += image[i] * w[i * 5 + k];
    const double mean = (u[0] + u[1] + u[2] + u[3] + u[4]) / 5;
    for (std::size_t k = 0; k < 5; ++k) CHECK(out[k] == doctest::Approx(std::max(0.0, u[k] - mean)).epsilon(1e-4));
    CHECK(counters.macs == 18 * 5);
    CHECK(ConvBlock::problem({2, 3, 4}, p) == "kind: a dense layer needs a square input, found 3 x 4");
    p.pool = {PoolKind::max, 1, 1, 0};
    CHECK(ConvBlock::problem({2, 3, 3}, p) == "pool.kind: a dense layer has one output position: expected none");
}

TEST_CASE("a conv block counts its outputs and those the triangle cut to exactly 0") {
    // Two filters, 1 x 1 kernels, no pooling: at each position the triangle keeps max(0, u_k - mean) of the
    // two drives, so exactly one of them is 0 wherever they differ, and both where the input is 0 (u = 0).
    ConvBlockParams p;
    p.filters = 2;
    p.kernel = 1;
    p.padding = 0;
    p.batch_norm = false;
    p.triangle_power = 1.0;
    p.pool = {PoolKind::max, 1, 1, 0};
    Rng rng(3);
    ConvBlock block({1, 2, 2}, p, rng);
    block.kernels().weights.at(0, 0) = 1.0F;
    block.kernels().weights.at(0, 1) = 2.0F;
    const std::vector<float> images{1.0F, 2.0F, 0.0F, 3.0F, /* image 2 */ 0.0F, 0.0F, 4.0F, 5.0F};
    std::vector<float> out;
    RateCounters counters;
    block.forward(images, 2, out, counters);
    CHECK(counters.outputs == 2 * 2 * 4);
    // 8 positions: 3 with input 0 (both channels 0), 5 with one channel 0.
    CHECK(counters.zero_outputs == 3 * 2 + 5);
    const std::vector<float> norms = block.kernel_norms();
    CHECK(norms == std::vector<float>{1.0F, 2.0F});
}
