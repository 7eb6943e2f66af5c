#include <doctest/doctest.h>

#include <vector>

#include "neurons/input_encoder.hpp"

using namespace softspike;

TEST_CASE("the Poisson encoder sends max_rate * intensity * window spikes per pixel on average") {
    std::vector<float> pixels(10, 0.0F);
    pixels[3] = 1.0F;
    pixels[7] = 0.25F;
    EncoderParams e;
    e.presentation_ms = 50.0;
    e.max_rate_hz = 100.0;
    std::vector<double> count(10, 0.0);
    const int samples = 20000;
    for (int s = 0; s < samples; ++s) {
        Rng rng = Rng::stream(1, StreamPurpose::test_fixture, static_cast<std::uint64_t>(s));
        const EncodedSample sample = encode(pixels, e, rng);
        tick_t last = 0;
        for (const InputSpike& spike : sample.spikes) {
            CHECK(spike.offset >= last);  // time-sorted
            CHECK(spike.offset < ms_to_ticks(e.presentation_ms));
            last = spike.offset;
            count[spike.source] += 1.0 / samples;
        }
    }
    CHECK(count[3] == doctest::Approx(5.0).epsilon(0.02));   // 100 Hz * 1.0 * 50 ms
    CHECK(count[7] == doctest::Approx(1.25).epsilon(0.03));  // 100 Hz * 0.25 * 50 ms
    CHECK(count[0] == 0.0);
}

TEST_CASE("a Poisson train is in (offset, source) order even when several spikes fall in one tick") {
    // 784 pixels of mean intensity 0.5 at 20 kHz: about 8 spikes per 1 us tick, so ties are the rule.
    std::vector<float> pixels(784);
    for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<float>((i * 37) % 100) / 100.0F;
    EncoderParams e;
    e.presentation_ms = 5.0;
    e.max_rate_hz = 20000.0;
    Rng rng = Rng::stream(2, StreamPurpose::test_fixture, 0);
    const auto spikes = encode(pixels, e, rng).spikes;
    REQUIRE(spikes.size() > 1000);
    std::size_t ties = 0;
    for (std::size_t i = 1; i < spikes.size(); ++i) {
        CHECK(spikes[i - 1].offset <= spikes[i].offset);
        if (spikes[i - 1].offset == spikes[i].offset) {
            ++ties;
            CHECK(spikes[i - 1].source <= spikes[i].source);
        }
    }
    CHECK(ties > 100);
}

TEST_CASE("the same seed and sample index give the same spike train") {
    const std::vector<float> pixels{0.1F, 0.9F, 0.5F};
    EncoderParams e;
    Rng a = Rng::stream(3, StreamPurpose::train_sample, 17);
    Rng b = Rng::stream(3, StreamPurpose::train_sample, 17);
    Rng c = Rng::stream(3, StreamPurpose::train_sample, 18);
    const auto ta = encode(pixels, e, a).spikes;
    CHECK(ta == encode(pixels, e, b).spikes);
    CHECK(ta != encode(pixels, e, c).spikes);
}

TEST_CASE("the latency encoder fires once per bright pixel, brightest first") {
    const std::vector<float> pixels{0.05F, 1.0F, 0.5F, 0.75F};
    EncoderParams e;
    e.kind = EncoderKind::latency;
    e.presentation_ms = 40.0;
    e.latency_threshold = 0.1;
    Rng rng(1);
    const auto spikes = encode(pixels, e, rng).spikes;
    REQUIRE(spikes.size() == 3);
    CHECK(spikes[0].source == 1);
    CHECK(spikes[0].offset == 0);
    CHECK(spikes[1].source == 3);
    CHECK(spikes[1].offset == ms_to_ticks(10.0));
    CHECK(spikes[2].source == 2);
    CHECK(spikes[2].offset == ms_to_ticks(20.0));
}

TEST_CASE("ON/OFF centring splits a centred image over two channels of input neurons") {
    const std::vector<float> pixels{0.0F, 1.0F, 0.5F};
    EncoderParams e;
    e.on_off = true;
    const auto x = input_intensities(pixels, e);
    REQUIRE(x.size() == 6);
    CHECK(encoded_inputs(3, e) == 6);
    CHECK(x[1] == doctest::Approx(0.5));  // ON of pixel 1
    CHECK(x[3] == doctest::Approx(0.5));  // OFF of pixel 0
    CHECK(x[0] == 0.0F);
    CHECK(x[2] == 0.0F);
    CHECK(x[5] == 0.0F);
}

TEST_CASE("the fixed-count encoder sends exactly K spikes, each pixel floor or ceil of its share") {
    // Shares of K = 10: pixel 1 gets 10 * 0.6 / 1.6 = 3.75, pixel 4 gets 1.25, pixel 6 gets 5.
    std::vector<float> pixels(8, 0.0F);
    pixels[1] = 0.6F;
    pixels[4] = 0.2F;
    pixels[6] = 0.8F;
    EncoderParams e;
    e.kind = EncoderKind::fixed_count;
    e.spikes_per_image = 10;
    e.presentation_ms = 40.0;
    e.trace_tau_ms = 20.0;
    std::vector<double> mean(8, 0.0);
    const int samples = 20000;
    for (int s = 0; s < samples; ++s) {
        Rng rng = Rng::stream(3, StreamPurpose::test_fixture, static_cast<std::uint64_t>(s));
        const EncodedSample sample = encode(pixels, e, rng);
        REQUIRE(sample.spikes.size() == 10);
        CHECK(sample.warmup_correction);
        CHECK_FALSE(sample.graded);
        std::vector<int> count(8, 0);
        for (std::size_t j = 0; j < sample.spikes.size(); ++j) {
            const InputSpike& spike = sample.spikes[j];
            if (j > 0) CHECK_FALSE(in_train_order(spike, sample.spikes[j - 1]));
            CHECK(spike.offset < ms_to_ticks(e.presentation_ms));
            ++count[spike.source];
        }
        CHECK((count[1] == 3 || count[1] == 4));
        CHECK((count[4] == 1 || count[4] == 2));
        CHECK(count[6] == 5);
        CHECK(count[0] + count[2] + count[3] + count[5] + count[7] == 0);
        for (std::size_t i = 0; i < 8; ++i) mean[i] += static_cast<double>(count[i]) / samples;
    }
    // Unbiased: the mean count is the share.
    CHECK(mean[1] == doctest::Approx(3.75).epsilon(0.01));
    CHECK(mean[4] == doctest::Approx(1.25).epsilon(0.02));
}

TEST_CASE("a fixed-count spike carries what makes the corrected trace estimate p / ||p||") {
    // a * (n_i / T) * tau must be p_i / ||p|| for n_i = K p_i / sum(p): a = sum(p) T / (K tau ||p||).
    const std::vector<float> pixels = {0.3F, 0.4F, 0.0F};  // sum 0.7, norm 0.5
    EncoderParams e;
    e.kind = EncoderKind::fixed_count;
    e.spikes_per_image = 7;
    e.presentation_ms = 40.0;
    e.trace_tau_ms = 20.0;
    Rng rng = Rng::stream(1, StreamPurpose::test_fixture, 0);
    const EncodedSample sample = encode(pixels, e, rng);
    REQUIRE(sample.spikes.size() == 7);
    const double expected = 0.7 * 40.0 / (7.0 * 20.0 * 0.5);
    for (const InputSpike& spike : sample.spikes) CHECK(spike.amplitude == doctest::Approx(expected));
    // Spikes sit in distinct slots 40/7 ms apart, in a random order of their sources.
    for (std::size_t j = 1; j < sample.spikes.size(); ++j) {
        CHECK(sample.spikes[j].offset - sample.spikes[j - 1].offset == doctest::Approx(40000.0 / 7.0).epsilon(0.001));
    }
    const std::vector<float> blank(3, 0.0F);
    CHECK(encode(blank, e, rng).spikes.empty());
}
