// The deep rate network's speed on this machine: a config's unsupervised phase (network.layers, trained as the
// config says) on the first IMAGES training images, then the frozen feature pass over them, each with images/s
// and GFLOP/s (from the exact MAC counts: forward and Hebbian products), beside OpenBLAS sgemm's own rate at
// the largest block's two product shapes measured in the same run, and the peak RSS. Usage:
//   deep_bench [CONFIG [IMAGES]]     (default configs/deep_fmnist.json, 2000 images)
// Run from the repository's root. Prints figures only; it asserts nothing.
#include <tbb/global_control.h>
#include <tbb/info.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/dense_kernels.hpp"
#include "core/random.hpp"
#include "io/config_file.hpp"
#include "io/dataset_loader.hpp"
#include "report/report_header.hpp"
#include "run/deep_training.hpp"

namespace {

using namespace softspike;

double gflops(std::uint64_t macs, double seconds) { return seconds > 0.0 ? 2.0 * static_cast<double>(macs) / seconds * 1e-9 : 0.0; }

// GFLOP/s of `product` (2 rows x inner x cols flops), best of `repeats`.
template <typename F>
double best_gflops(std::size_t rows, std::size_t inner, std::size_t cols, int repeats, const F& product) {
    double best = 1e30;
    for (int r = 0; r < repeats; ++r) {
        const auto start = std::chrono::steady_clock::now();
        product();
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    return 2.0 * static_cast<double>(rows * inner * cols) / best * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string config_path = argc > 1 ? argv[1] : "configs/deep_fmnist.json";
    const std::size_t images = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 2000;
    Config config = load_config(config_path, {});
    config.data.train_images = images;
    const std::size_t threads = config.threads == 0 ? tbb::info::default_concurrency() : config.threads;
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    const Dataset data = load_configured_dataset(config.data, true);
    DeepRateNetwork network = initial_deep_network(config, data);
    std::printf("deep_bench: %s, %zu images, batch %zu, %s, %zu threads, OpenBLAS kernels %s\n", config_path.c_str(),
                data.size(), config.network.batch,
                config.network.training == DeepTraining::layer_by_layer ? "layer by layer" : "all at once", threads,
                blas_core().c_str());

    const DeepTrainingResult trained = train_deep(config, data, network, false);
    std::uint64_t train_macs = 0;
    for (const RateCounters& c : trained.counters) train_macs += c.macs + c.plasticity_macs;
    std::printf("unsupervised  %7zu images  %8.1f s  %8.1f img/s  %7.1f GFLOP/s  (%llu presentations; stages",
                data.size(), trained.seconds, static_cast<double>(trained.images) / trained.seconds,
                gflops(train_macs, trained.seconds), static_cast<unsigned long long>(trained.presentations));
    for (const double s : trained.stage_seconds) std::printf(" %.1f", s);
    std::printf(" s)\n");

    const DeepFeatures features = deep_features(network, data, "features", false);
    std::uint64_t feature_macs = 0;
    for (const RateCounters& c : features.counters) feature_macs += c.macs;
    std::printf("features      %7zu images  %8.1f s  %8.1f img/s  %7.1f GFLOP/s\n", data.size(), features.seconds,
                static_cast<double>(data.size()) / features.seconds, gflops(feature_macs, features.seconds));

    // sgemm alone at the shapes of the block with the most MACs: rows = batch x positions, inner = patch,
    // cols = filters.
    std::size_t largest = 0;
    for (std::size_t i = 1; i < network.depth(); ++i) {
        if (features.counters[i].macs > features.counters[largest].macs) largest = i;
    }
    const NetworkModel& kernels = network.block(largest).kernels();
    const std::size_t inner = kernels.weights.sources();
    const std::size_t cols = kernels.weights.targets();
    const std::size_t positions = features.counters[largest].macs / (data.size() * inner * cols);
    const std::size_t rows = config.network.batch * positions;
    Rng rng(1);
    std::vector<float> a(rows * inner), b(inner * cols), out(rows * cols), g(rows * cols);
    for (float& v : a) v = static_cast<float>(rng.uniform());
    for (float& v : b) v = static_cast<float>(rng.normal() * 0.05);
    for (float& v : g) v = static_cast<float>(rng.uniform() * 1e-3);
    const double nn = best_gflops(rows, inner, cols, 20, [&] { gemm_nn(a, b, out, rows, inner, cols); });
    const double tn = best_gflops(rows, inner, cols, 20, [&] { gemm_tn_accumulate(a, g, b, rows, inner, cols, 1.0F); });
    std::printf("sgemm alone at block %zu's shapes (%zu x %zu x %zu): forward %.1f GFLOP/s, Hebbian %.1f GFLOP/s\n",
                largest + 1, rows, inner, cols, nn, tn);
    std::printf("peak RSS %.0f MiB\n", peak_rss_mib());
    return 0;
}
