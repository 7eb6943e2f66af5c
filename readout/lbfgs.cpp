#include "readout/lbfgs.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <vector>

namespace softspike {

namespace {

double dot(std::span<const double> a, std::span<const double> b) {
    double s = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
    return s;
}

double largest_magnitude(std::span<const double> a) {
    double m = 0.0;
    for (const double v : a) m = std::max(m, std::abs(v));
    return m;
}

// One stored correction: s = x_{k+1} - x_k, y = g_{k+1} - g_k, rho = 1 / (y . s).
struct Correction {
    std::vector<double> s;
    std::vector<double> y;
    double rho = 0.0;
};

}  // namespace

LbfgsResult minimize_lbfgs(const LbfgsObjective& f, std::span<double> x, const LbfgsParams& params) {
    const std::size_t n = x.size();
    LbfgsResult result;
    std::vector<double> g(n);
    double value = f(x, g);
    ++result.evaluations;
    std::deque<Correction> history;
    std::vector<double> direction(n);
    std::vector<double> alpha;
    std::vector<double> trial(n);
    std::vector<double> trial_g(n);
    constexpr double armijo = 1e-4;
    constexpr std::size_t max_backtracks = 40;
    for (; result.iterations < params.max_iterations; ++result.iterations) {
        if (largest_magnitude(g) < params.gradient_tolerance) {
            result.converged = true;
            break;
        }
        // Two-loop recursion: direction = -H g.
        for (std::size_t i = 0; i < n; ++i) direction[i] = -g[i];
        alpha.assign(history.size(), 0.0);
        for (std::size_t j = history.size(); j-- > 0;) {
            alpha[j] = history[j].rho * dot(history[j].s, direction);
            for (std::size_t i = 0; i < n; ++i) direction[i] -= alpha[j] * history[j].y[i];
        }
        // The initial inverse Hessian gamma I: from the last pair, or a first step of unit length.
        const double gamma = history.empty()
                                 ? 1.0 / std::max(std::sqrt(dot(g, g)), 1e-300)
                                 : dot(history.back().s, history.back().y) / dot(history.back().y, history.back().y);
        for (double& d : direction) d *= gamma;
        for (std::size_t j = 0; j < history.size(); ++j) {
            const double beta = history[j].rho * dot(history[j].y, direction);
            for (std::size_t i = 0; i < n; ++i) direction[i] += (alpha[j] - beta) * history[j].s[i];
        }
        double slope = dot(g, direction);
        if (slope >= 0.0) {  // not a descent direction (rounding): restart from steepest descent
            history.clear();
            for (std::size_t i = 0; i < n; ++i) direction[i] = -g[i] * gamma;
            slope = dot(g, direction);
        }
        // Backtracking line search from the full quasi-Newton step.
        double step = 1.0;
        double trial_value = 0.0;
        bool accepted = false;
        for (std::size_t b = 0; b < max_backtracks; ++b) {
            for (std::size_t i = 0; i < n; ++i) trial[i] = x[i] + step * direction[i];
            trial_value = f(trial, trial_g);
            ++result.evaluations;
            if (std::isfinite(trial_value) && trial_value <= value + armijo * step * slope) {
                accepted = true;
                break;
            }
            step *= 0.5;
        }
        if (!accepted) break;  // no decrease left that the function's precision can show
        Correction c{std::vector<double>(n), std::vector<double>(n), 0.0};
        for (std::size_t i = 0; i < n; ++i) {
            c.s[i] = trial[i] - x[i];
            c.y[i] = trial_g[i] - g[i];
        }
        const double curvature = dot(c.s, c.y);
        const double previous = value;
        std::copy(trial.begin(), trial.end(), x.begin());
        g.swap(trial_g);
        value = trial_value;
        if (curvature > 1e-12 * dot(c.y, c.y)) {
            c.rho = 1.0 / curvature;
            history.push_back(std::move(c));
            if (history.size() > params.memory) history.pop_front();
        }
        if (previous - value <= params.value_tolerance * std::max(1.0, std::abs(value))) {
            ++result.iterations;
            result.converged = true;
            break;
        }
    }
    result.value = value;
    return result;
}

}  // namespace softspike
