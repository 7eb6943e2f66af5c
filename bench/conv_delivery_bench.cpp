// Synaptic events per second of convolutional spike delivery (network/conv_fanout, issue 16) on one core,
// beside the single-layer engine's arrival loop (core/synaptic_row's pass_row over a dense row) in the same
// run. Neither figure includes the scheduler: both are the inner loop a spike's arrival runs. Spikes come
// from uniformly random input pixels; the drives are cleared between images as a presentation would.
//
// usage: conv_delivery_bench [SPIKES]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "core/random.hpp"
#include "core/synaptic_row.hpp"
#include "network/conv_fanout.hpp"
#include "report/report_header.hpp"

namespace {

using namespace softspike;

struct Figure {
    double seconds = 0.0;
    std::uint64_t events = 0;
};

// `spikes` random spikes through a conv layer of `shape` with `filters` kernels; the drives are cleared every
// `per_image` spikes.
Figure conv_run(const Conv2dShape& shape, std::size_t filters, std::size_t spikes, std::size_t per_image) {
    const ConvFanout fanout(shape);
    Rng rng(1);
    std::vector<float> kernels(shape.patch_size() * filters);
    for (float& w : kernels) w = static_cast<float>(rng.uniform() - 0.5);
    std::vector<float> drive(shape.positions() * filters, 0.0F);
    std::vector<std::uint32_t> sources(spikes);
    const std::size_t inputs = shape.channels * shape.height * shape.width;
    for (auto& s : sources) s = static_cast<std::uint32_t>(rng.below(inputs));
    Figure f;
    std::uint64_t nonzero = 0;
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < spikes; ++i) {
        if (i % per_image == 0) std::fill(drive.begin(), drive.end(), 0.0F);
        const std::size_t s = sources[i];
        const std::size_t c = s / (shape.height * shape.width);
        const std::size_t y = (s / shape.width) % shape.height;
        const std::size_t x = s % shape.width;
        f.events += fanout.deliver(c, y, x, 1.0F, kernels.data(), filters, drive.data(), nonzero);
    }
    f.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (nonzero == 0 || drive[0] == 12345.0F) std::printf("(unexpected)\n");  // keeps the work observable
    return f;
}

// The same number of spikes through dense rows of `targets` weights (the default single layer: 784 x 400).
Figure dense_run(std::size_t sources_count, std::size_t targets, std::size_t spikes, std::size_t per_image) {
    Rng rng(2);
    std::vector<float> weights(sources_count * targets);
    for (float& w : weights) w = static_cast<float>(rng.uniform());
    std::vector<float> drive(targets, 0.0F);
    std::vector<std::uint32_t> sources(spikes);
    for (auto& s : sources) s = static_cast<std::uint32_t>(rng.below(sources_count));
    Figure f;
    std::uint64_t nonzero = 0;
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < spikes; ++i) {
        if (i % per_image == 0) std::fill(drive.begin(), drive.end(), 0.0F);
        nonzero += pass_row(drive.data(), weights.data() + sources[i] * targets, 1.0F, targets, nullptr).nonzero;
        f.events += targets;
    }
    f.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (nonzero == 0 || drive[0] == 12345.0F) std::printf("(unexpected)\n");
    return f;
}

void print(const char* name, const Figure& f, std::size_t spikes) {
    std::printf("%-58s %10zu spikes %12.3g events %8.3f s %10.3g events/s\n", name, spikes,
                static_cast<double>(f.events), f.seconds, static_cast<double>(f.events) / f.seconds);
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t spikes = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 200000;
    std::printf("conv_delivery_bench: one core, %zu random spikes per case, drives cleared every 2,000 spikes\n",
                spikes);
    Conv2dShape block1;  // deep_fmnist's block 1: 1 x 28 x 28, 5 x 5 kernels, 96 filters
    block1.channels = 1;
    block1.height = block1.width = 28;
    block1.kernel = 5;
    block1.padding = 2;
    block1.mode = Padding::reflect;
    Conv2dShape block2;  // block 2: 96 x 14 x 14, 3 x 3 kernels, 384 filters
    block2.channels = 96;
    block2.height = block2.width = 14;
    block2.kernel = 3;
    block2.padding = 1;
    block2.mode = Padding::reflect;
    print("conv, block 1 shape (1x28x28, k5, 96 filters)", conv_run(block1, 96, spikes, 2000), spikes);
    print("conv, block 2 shape (96x14x14, k3, 384 filters)", conv_run(block2, 384, spikes, 2000), spikes);
    print("dense rows, the single layer's arrival loop (784 x 400)", dense_run(784, 400, spikes, 2000), spikes);
    std::printf("peak RSS %.0f MiB\n", peak_rss_mib());
    return 0;
}
