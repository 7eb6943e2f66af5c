#include "neurons/escape_competition.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace softspike {

EscapeCompetition::EscapeCompetition(const EscapeCompetitionParams& params) : params_(params) {
    if (!(params_.temperature > 0.0) || !(params_.rate_hz > 0.0) || !(params_.window_s > 0.0) ||
        !(params_.inhibition_tau_s > 0.0) || !(params_.loop_gain >= 0.0)) {
        throw std::invalid_argument("EscapeCompetition: temperature, rate, window and tau must be positive, gain >= 0");
    }
    inhibition_ = params_.loop_gain * params_.temperature / (params_.rate_hz * params_.inhibition_tau_s);
}

void EscapeCompetition::set_typical_free_energy(double free_energy) {
    threshold_ = free_energy - params_.loop_gain * params_.temperature;
}

double EscapeCompetition::free_energy(std::span<const float> drives, double temperature) {
    if (drives.empty()) return -std::numeric_limits<double>::infinity();
    const double top = *std::max_element(drives.begin(), drives.end());
    double z = 0.0;
    for (const float u : drives) z += std::exp((static_cast<double>(u) - top) / temperature);
    return top + temperature * std::log(z);
}

double EscapeCompetition::run(std::span<const float> drives, Rng& rng, Workspace& work,
                              std::vector<std::uint32_t>& channels, std::vector<float>* times,
                              EventCounters& counters) const {
    const std::size_t n = drives.size();
    if (n == 0) return -std::numeric_limits<double>::infinity();
    const double t_inv = 1.0 / params_.temperature;
    // Each channel's own hazard factor exp((u_k - top) / T), as a cumulative sum for the spiker's draw.
    const double top = *std::max_element(drives.begin(), drives.end());
    work.cumulative.resize(n);
    double z = 0.0;
    for (std::size_t k = 0; k < n; ++k) {
        z += std::exp((static_cast<double>(drives[k]) - top) * t_inv);
        work.cumulative[k] = z;
    }
    counters.membrane_updates += n;
    const double f = top + params_.temperature * std::log(z);
    // Total hazard: Lambda(I) = R0 exp((F - I - theta) / T); its log without the inhibition:
    const double log_base = std::log(params_.rate_hz) + (f - threshold_) * t_inv;
    const double tau = params_.inhibition_tau_s;
    const double window = params_.window_s;
    double inhibition = params_.loop_gain * params_.temperature;  // the steady state J R0 tau_I
    double t = 0.0;
    // I only decays between spikes, so Lambda grows; on [t, t + h] it is at most its value at t + h. h is
    // chosen so that the growth over it is at most e-fold (I (1 - e^{-h/tau}) <= T): few rejections.
    while (t < window) {
        double h = window - t;
        if (inhibition > params_.temperature) h = std::min(h, -tau * std::log1p(-params_.temperature / inhibition));
        const double end = t + h;
        const double inhibition_end = inhibition * std::exp(-h / tau);
        const double bound = std::exp(std::min(log_base - inhibition_end * t_inv, 700.0));
        const double proposed = t + rng.exponential(bound);
        ++counters.membrane_updates;
        if (proposed >= end) {
            // No spike on [t, end]: the inhibition decays to the end of the sub-interval.
            inhibition = inhibition_end;
            t = end;
            continue;
        }
        inhibition *= std::exp(-(proposed - t) / tau);
        t = proposed;
        const double hazard = std::exp(std::min(log_base - inhibition * t_inv, 700.0));
        if (rng.uniform() * bound >= hazard) continue;
        // A spike: its channel from exp(u_k / T) (the inhibition is common), then J onto the inhibition.
        const double r = rng.uniform() * z;
        auto k = static_cast<std::size_t>(std::upper_bound(work.cumulative.begin(), work.cumulative.end(), r) -
                                          work.cumulative.begin());
        k = std::min(k, n - 1);
        channels.push_back(static_cast<std::uint32_t>(k));
        if (times != nullptr) times->push_back(static_cast<float>(t));
        inhibition += inhibition_;
        ++counters.synaptic_events;
        ++counters.membrane_updates;
        if (inhibition_ != 0.0) ++counters.effective_acs;
    }
    return f;
}

}  // namespace softspike
