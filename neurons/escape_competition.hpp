#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "core/counters.hpp"
#include "core/random.hpp"

namespace softspike {

// What one output position's LIF competition is (docs/model.md §13, "The LIF form of a position's
// competition"): the derivation of §4.3 applied to a position's channels. run/ lowers it from the config and
// sets the threshold from the block's free energies; everything else follows from the target and the gain.
struct EscapeCompetitionParams {
    double temperature = 1.0;      // T: the escape noise's width, the softmax temperature of the competition
    double rate_hz = 50.0;         // R0: the position's rate at the typical free energy (target spikes / window)
    double window_s = 0.02;        // D: how long the channels compete after the window's input is integrated
    double inhibition_tau_s = 0.02;  // tau_I: the decay of the position's inhibition
    double loop_gain = 20.0;       // G = J R0 tau_I / T: how strongly the inhibition holds the rate
};

// The escape-noise LIF soft-WTA of one output position's channels. Channel k's membrane is v_k = u_k - I, u_k
// its (frozen) drive at the window's end and I the position's inhibition, one state shared by the channels
// (one inhibitory current per position, as chips build a WTA); channel k fires with hazard
// R0 exp((v_k - theta) / T). Every spike adds J to I (the spiker's reset and the others' inhibition at once),
// and I decays with tau_I. Given that the position fires, the spiker is k with probability
// exp(u_k / T) / sum_l exp(u_l / T) whatever I is: softmax(u / T), the stochastic form's draw. The inhibition
// sets only how many spikes there are: R0 D at the free energy theta + G T (§4.3). The position starts at the
// steady state I* = J R0 tau_I = G T of a stream of images. The spike times are drawn exactly (thinning of
// the total hazard over sub-intervals on which it grows at most e-fold), not on a time grid.
class EscapeCompetition {
public:
    explicit EscapeCompetition(const EscapeCompetitionParams& params);

    [[nodiscard]] const EscapeCompetitionParams& params() const { return params_; }
    [[nodiscard]] double threshold() const { return threshold_; }
    // J = G T / (R0 tau_I).
    [[nodiscard]] double inhibition() const { return inhibition_; }
    // theta = F* - G T: the threshold at which a position whose free energy is F* fires at R0 (§4.3).
    void set_typical_free_energy(double free_energy);

    // F = T log sum_k exp(u_k / T), the soft maximum of the drives that sets a position's rate.
    [[nodiscard]] static double free_energy(std::span<const float> drives, double temperature);

    // Buffers reused between positions.
    struct Workspace {
        std::vector<double> cumulative;
    };
    // One position's window: appends the channels that fired, in time order, to `channels` (and their times in
    // seconds from the competition's start to `times` when given). Counts, as the circuit performs them: one
    // membrane update per channel (its drive read and its hazard factor formed), one per evaluation of the
    // position's inhibition (decayed to a proposed time), and per spike one synaptic event onto the inhibition
    // and one membrane update (its write). Returns the position's free energy.
    double run(std::span<const float> drives, Rng& rng, Workspace& work, std::vector<std::uint32_t>& channels,
               std::vector<float>* times, EventCounters& counters) const;

private:
    EscapeCompetitionParams params_;
    double inhibition_ = 0.0;
    double threshold_ = 0.0;
};

}  // namespace softspike
