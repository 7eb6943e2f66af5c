#pragma once
#include <cmath>
#include <cstdint>
#include <span>
#include <utility>

namespace softspike {

// SplitMix64 step (Steele, Lea & Flood 2014): used to derive independent seeds for streams.
inline std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31U);
}

// Named random streams, so that a sample's randomness depends only on (seed, purpose, index) and never on
// which thread runs it or in which order.
enum class StreamPurpose : std::uint64_t {
    weight_init = 1,
    train_sample = 2,
    eval_sample = 3,
    readout = 4,
    test_fixture = 5,
    shuffle = 6,
    dead_synapses = 7,
    weight_noise = 8,
    weight_programming = 9,
    input_noise = 10,
    readout_dropout = 11,
    deep_spikes = 12,    // the spiking deep network's systematic starts, one stream per image
    deep_learning = 13,  // the spiking deep network's learning: input spikes and soft-WTA draws, one per presentation
    baseline = 14,       // the backpropagation baseline's initial weights (0) and its epochs' orders (1 + epoch)
    pixel_noise = 15,    // the robustness sweep's Gaussian pixel noise, one stream per (level, image)
    attack_start = 16,   // PGD's random starts, one stream per image
};

// xoshiro256++ (Blackman & Vigna 2018): small, fast, good enough for Monte Carlo; one per stream.
class Rng {
public:
    explicit Rng(std::uint64_t seed) {
        std::uint64_t s = seed;
        for (auto& word : state_) word = splitmix64(s);
    }
    // A stream for (seed, purpose, index): the state is mixed from all three.
    static Rng stream(std::uint64_t seed, StreamPurpose purpose, std::uint64_t index) {
        std::uint64_t s = seed;
        std::uint64_t a = splitmix64(s) ^ (static_cast<std::uint64_t>(purpose) * 0xD1B54A32D192ED03ULL);
        std::uint64_t b = splitmix64(a) ^ (index * 0x9E3779B97F4A7C15ULL);
        return Rng(splitmix64(b));
    }

    std::uint64_t next() {
        const std::uint64_t result = rotl(state_[0] + state_[3], 23) + state_[0];
        const std::uint64_t t = state_[1] << 17U;
        state_[2] ^= state_[0];
        state_[3] ^= state_[1];
        state_[1] ^= state_[2];
        state_[0] ^= state_[3];
        state_[2] ^= t;
        state_[3] = rotl(state_[3], 45);
        return result;
    }
    // Uniform in [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(next() >> 11U) * 0x1.0p-53; }
    // Uniform in (0, 1]: safe to take the logarithm of.
    double uniform_open0() { return 1.0 - uniform(); }
    double exponential(double rate) { return -std::log(uniform_open0()) / rate; }
    double normal() {
        // Box-Muller; one of the pair is discarded so that the stream position stays simple.
        const double u1 = uniform_open0();
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }
    // Uniform integer in [0, n), n < 2^32 (multiply-shift on the top 32 bits; bias below 2^-32 * n).
    std::uint64_t below(std::uint64_t n) { return ((next() >> 32U) * n) >> 32U; }

    // The whole state, for checkpoints.
    const std::uint64_t* state() const { return state_; }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::uint64_t state_[4]{};
};

// A Fisher-Yates shuffle of `order` in place with `rng`: the permutation every shuffled pass uses (training,
// the rate form, the read-outs, the robustness baseline), so the same stream gives the same order everywhere.
inline void shuffle_in_place(std::span<std::size_t> order, Rng& rng) {
    for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
}

}  // namespace softspike
