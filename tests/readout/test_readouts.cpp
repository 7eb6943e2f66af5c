#include <doctest/doctest.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/random.hpp"
#include "readout/l2_selection.hpp"
#include "readout/label_assignment.hpp"
#include "readout/lbfgs.hpp"
#include "readout/linear_readout.hpp"
#include "readout/online_label_assignment.hpp"
#include "readout/online_linear_readout.hpp"

using namespace softspike;

namespace {
// Labelled rate vectors of a synthetic task: 3 classes, 6 neurons; neurons 2c and 2c+1 fire about 5 spikes
// for class c and about 1 otherwise.
struct Synthetic {
    RateVectors rates;
    std::vector<std::uint8_t> labels;

    Synthetic(std::size_t samples, std::uint64_t seed) : rates(samples, 6), labels(samples) {
        Rng rng(seed);
        for (std::size_t s = 0; s < samples; ++s) {
            const auto c = static_cast<std::uint8_t>(rng.below(3));
            labels[s] = c;
            for (std::size_t k = 0; k < 6; ++k) {
                const double mean = (k / 2 == c) ? 5.0 : 1.0;
                rates.row(s)[k] = static_cast<float>(rng.below(static_cast<std::uint64_t>(2 * mean + 1)));
            }
        }
    }
};
}  // namespace

TEST_CASE("label assignment gives each neuron its preferred class and classifies by group means") {
    const Synthetic train(3000, 1);
    const Synthetic test(1000, 2);
    LabelAssignment readout;
    readout.fit(train.rates, train.labels, 3);
    CHECK(readout.assignments() == std::vector<std::int16_t>{0, 0, 1, 1, 2, 2});
    CHECK(accuracy(readout.predict(test.rates), test.labels) > 0.9);
}

TEST_CASE("a linear read-out fitted on a list of rows is the one fitted on a copy of those rows, to the bit") {
    const Synthetic all(4000, 11);
    std::vector<std::size_t> rows;
    for (std::size_t s = 1; s < all.rates.samples; s += 3) rows.push_back(s);  // 1,333 rows: two partial blocks
    RateVectors copy(rows.size(), all.rates.neurons);
    std::vector<std::uint8_t> labels;
    for (std::size_t j = 0; j < rows.size(); ++j) {
        std::copy(all.rates.row(rows[j]).begin(), all.rates.row(rows[j]).end(), copy.row(j).begin());
        labels.push_back(all.labels[rows[j]]);
    }
    for (const ReadoutSolver solver : {ReadoutSolver::sgd, ReadoutSolver::lbfgs}) {
        LinearReadoutParams params;
        params.solver = solver;
        params.epochs = 3;
        params.max_iterations = 40;
        LinearReadout on_copy;
        on_copy.fit(copy, labels, 3, params, 5);
        LinearReadout on_rows;
        on_rows.fit(all.rates, labels, 3, params, 5, rows);
        CHECK(on_rows.final_training_loss() == on_copy.final_training_loss());
        CHECK(on_rows.iterations() == on_copy.iterations());
        CHECK(on_rows.predict(all.rates) == on_copy.predict(all.rates));
        CHECK(on_rows.predict(all.rates, rows) == on_copy.predict(copy));
    }
    LinearReadout readout;
    CHECK_THROWS_AS(readout.fit(all.rates, std::vector<std::uint8_t>(2, 0), 3, LinearReadoutParams{}, 1,
                                std::vector<std::size_t>{0, all.rates.samples}),
                    std::invalid_argument);
}

TEST_CASE("a neuron that never fires stays unassigned and does not vote") {
    RateVectors rates(2, 3);
    rates.row(0)[0] = 4.0F;
    rates.row(1)[1] = 4.0F;
    const std::vector<std::uint8_t> labels{1, 0};
    LabelAssignment readout;
    readout.fit(rates, labels, 2);
    CHECK(readout.assignments() == std::vector<std::int16_t>{1, 0, LabelAssignment::unassigned});
    CHECK(count_silent_neurons(rates) == 1);
}

TEST_CASE("the linear read-out learns a synthetic task well above chance") {
    const Synthetic train(3000, 3);
    const Synthetic test(1000, 4);
    for (const ReadoutSolver solver : {ReadoutSolver::sgd, ReadoutSolver::lbfgs}) {
        LinearReadout readout;
        LinearReadoutParams params;
        params.solver = solver;
        params.epochs = 10;
        readout.fit(train.rates, train.labels, 3, params, 9);
        CHECK(accuracy(readout.predict(test.rates), test.labels) > 0.9);
        CHECK(readout.final_training_loss() < 0.5);
    }
}

TEST_CASE("the on-line label assignment classifies each image before learning from it") {
    OnlineLabelAssignment online(2, 2);
    const std::vector<std::uint32_t> first{3, 0};
    const std::vector<std::uint32_t> second{0, 3};
    CHECK_FALSE(online.observe(first, 0));   // nothing assigned yet: no guess can be right
    CHECK(online.observe(first, 0));         // neuron 0 now stands for class 0
    CHECK_FALSE(online.observe(second, 1));  // neuron 1 is still unassigned: the only class known is 0
    CHECK(online.observe(second, 1));
    CHECK(online.observe(first, 0));
}

TEST_CASE("the on-line linear read-out classifies each image before learning from it, and learns the task") {
    OnlineLinearReadout online(2, 2, 0.5);
    const std::vector<std::uint32_t> first{3, 0};
    const std::vector<std::uint32_t> second{0, 3};
    // Untrained, every logit is 0 and the guess is class 0: right for class 0, wrong for class 1.
    CHECK_FALSE(online.observe(second, 1));
    CHECK(online.observe(second, 1));  // one step on (0, 2) with label 1 made class 1 win for it
    // The biases now favour class 1, so the other image is misclassified until it too has been learned.
    CHECK_FALSE(online.observe(first, 0));
    // On the synthetic task, its prequential accuracy over the last 1000 of 4000 images is well above chance.
    const Synthetic data(4000, 5);
    OnlineLinearReadout readout(6, 3, 0.05);
    std::size_t hits = 0;
    for (std::size_t s = 0; s < 4000; ++s) {
        std::vector<std::uint32_t> spikes(6);
        for (std::size_t k = 0; k < 6; ++k) spikes[k] = static_cast<std::uint32_t>(data.rates.row(s)[k]);
        const bool hit = readout.observe(spikes, data.labels[s]);
        if (s >= 3000) hits += hit ? 1 : 0;
    }
    CHECK(static_cast<double>(hits) / 1000.0 > 0.85);
    // Its state restores into a fresh read-out that then predicts the same.
    OnlineLinearReadout copy(6, 3, 0.05);
    copy.restore(readout.state());
    const std::vector<std::uint32_t> probe{1, 0, 6, 5, 1, 2};
    CHECK(copy.observe(probe, 1) == readout.observe(probe, 1));
    CHECK(copy.state().weights == readout.state().weights);
    CHECK_THROWS(OnlineLinearReadout(5, 3).restore(readout.state()));
}

TEST_CASE("L-BFGS finds the minimum of the Rosenbrock function from (-1.2, 1)") {
    const LbfgsObjective rosenbrock = [](std::span<const double> v, std::span<double> g) {
        const double a = 1.0 - v[0];
        const double b = v[1] - v[0] * v[0];
        g[0] = -2.0 * a - 400.0 * v[0] * b;
        g[1] = 200.0 * b;
        return a * a + 100.0 * b * b;
    };
    std::vector<double> v{-1.2, 1.0};
    LbfgsParams params;
    params.gradient_tolerance = 1e-8;
    params.value_tolerance = 0.0;
    const LbfgsResult r = minimize_lbfgs(rosenbrock, v, params);
    CHECK(r.converged);
    CHECK(r.iterations < 100);
    CHECK(v[0] == doctest::Approx(1.0).epsilon(1e-6));
    CHECK(v[1] == doctest::Approx(1.0).epsilon(1e-6));
}

TEST_CASE("the L-BFGS read-out reaches a lower training loss than SGD on the same objective") {
    const Synthetic train(3000, 5);
    const Synthetic test(1000, 6);
    LinearReadoutParams params;
    params.solver = ReadoutSolver::sgd;
    params.epochs = 5;
    LinearReadout sgd;
    sgd.fit(train.rates, train.labels, 3, params, 1);
    params.solver = ReadoutSolver::lbfgs;
    LinearReadout lbfgs;
    lbfgs.fit(train.rates, train.labels, 3, params, 1);
    MESSAGE("training loss: SGD " << sgd.final_training_loss() << ", L-BFGS " << lbfgs.final_training_loss()
                                  << " after " << lbfgs.iterations() << " iterations");
    CHECK(lbfgs.iterations() > 0);
    CHECK(lbfgs.final_training_loss() < sgd.final_training_loss());
    CHECK(accuracy(lbfgs.predict(test.rates), test.labels) > 0.9);
    // The same fit again gives the same weights: no randomness in the solver.
    LinearReadout again;
    again.fit(train.rates, train.labels, 3, params, 7);
    CHECK(again.predict(test.rates) == lbfgs.predict(test.rates));
}

TEST_CASE("the L-BFGS read-out handles more classes than one 16-wide vector holds") {
    // 20 classes, 40 neurons: neurons 2c and 2c+1 fire about 6 spikes for class c, about 1 otherwise.
    const auto make = [](std::size_t samples, std::uint64_t seed) {
        std::pair<RateVectors, std::vector<std::uint8_t>> d{RateVectors(samples, 40),
                                                            std::vector<std::uint8_t>(samples)};
        Rng rng(seed);
        for (std::size_t s = 0; s < samples; ++s) {
            const auto c = static_cast<std::uint8_t>(rng.below(20));
            d.second[s] = c;
            for (std::size_t k = 0; k < 40; ++k) {
                d.first.row(s)[k] = static_cast<float>(rng.below(k / 2 == c ? 13 : 3));
            }
        }
        return d;
    };
    const auto [train_rates, train_labels] = make(4000, 11);
    const auto [test_rates, test_labels] = make(1000, 12);
    LinearReadoutParams params;
    params.solver = ReadoutSolver::lbfgs;
    LinearReadout readout;
    readout.fit(train_rates, train_labels, 20, params, 1);
    CHECK(readout.iterations() > 0);
    CHECK(accuracy(readout.predict(test_rates), test_labels) > 0.8);
}

TEST_CASE("the read-out's l2 is chosen on a held-out part of the training vectors, the best of the candidates") {
    // 120 training vectors of 50 features; two carry the class.
    Rng rng = Rng::stream(3, StreamPurpose::test_fixture, 0);
    RateVectors rates(120, 50);
    std::vector<std::uint8_t> labels(120);
    for (std::size_t s = 0; s < 120; ++s) {
        labels[s] = static_cast<std::uint8_t>(s % 2);
        for (std::size_t f = 0; f < 50; ++f) rates.row(s)[f] = static_cast<float>(rng.normal());
        rates.row(s)[0] += labels[s] == 0 ? 2.0F : -2.0F;
        rates.row(s)[1] += labels[s] == 0 ? -2.0F : 2.0F;
    }
    LinearReadoutParams params;
    // A penalty so strong that the weights vanish (the biases, unpenalised, then predict one class), a usual
    // one, and the same usual one again: the tie goes to the larger.
    params.l2_candidates = {1e3, 1e-3, 1e-4};
    params.validation_fraction = 0.25;
    const L2Selection sel = select_l2(rates, labels, 2, params, 1);
    CHECK(sel.validation_samples == 30);
    CHECK(sel.fit_samples == 90);
    REQUIRE(sel.validation_accuracy.size() == 3);
    CHECK(sel.validation_accuracy[0] <= 0.6);  // about chance
    CHECK(sel.validation_accuracy[1] >= 0.9);
    const double best = *std::max_element(sel.validation_accuracy.begin(), sel.validation_accuracy.end());
    for (std::size_t i = 0; i < 3; ++i) {
        if (sel.validation_accuracy[i] == best) CHECK(sel.chosen >= sel.candidates[i]);
    }
    CHECK(sel.chosen != 1e3);
    // The same seed gives the same split and choice.
    CHECK(select_l2(rates, labels, 2, params, 1).validation_accuracy == sel.validation_accuracy);
    LinearReadoutParams none;
    none.l2_candidates.clear();
    CHECK_THROWS_AS(select_l2(rates, labels, 2, none, 1), std::invalid_argument);
}

namespace {
// Adam without dropout or l2 (the tests add them where they test them).
LinearReadoutParams adam(double learning_rate, std::size_t batch, std::size_t epochs) {
    LinearReadoutParams params;
    params.solver = ReadoutSolver::adam;
    params.learning_rate = learning_rate;
    params.batch = batch;
    params.epochs = epochs;
    params.l2 = 0.0;
    return params;
}
}  // namespace

TEST_CASE("the Adam read-out's first step moves each weight by the learning rate against its gradient's sign") {
    // Two samples, one batch: feature 0 standardises to -1 and +1, feature 1 is constant (dropped by the
    // standardisation). At zero weights p = (1/2, 1/2); the batch-mean gradient on W[0][0] is
    // ((1/2 - 1)(-1) + (1/2)(+1)) / 2 = +1/2, on W[1][0] -1/2, on the biases 0. Adam's first step is
    // lr * g / (|g| + eps), so the logits become (+lr, -lr) for sample 0 and (-lr, +lr) for sample 1, and the
    // second epoch's loss is log(1 + exp(-2 lr)) per sample. The first epoch's is log 2.
    RateVectors rates(2, 2);
    rates.row(0)[0] = 0.0F;
    rates.row(1)[0] = 2.0F;
    rates.row(0)[1] = rates.row(1)[1] = 3.0F;
    const std::vector<std::uint8_t> labels{0, 1};
    LinearReadoutParams params = adam(0.1, 2, 1);
    LinearReadout one;
    one.fit(rates, labels, 2, params, 1);
    CHECK(one.final_training_loss() == doctest::Approx(std::log(2.0)).epsilon(1e-7));
    CHECK(one.iterations() == 1);
    CHECK(one.predict(rates) == labels);
    params.epochs = 2;
    LinearReadout two;
    two.fit(rates, labels, 2, params, 1);
    CHECK(two.final_training_loss() == doctest::Approx(std::log1p(std::exp(-0.2))).epsilon(1e-6));
    CHECK(two.iterations() == 2);
}

TEST_CASE("the Adam read-out's rate is halved at 20, 35, 50, 60, 70, 80 and 90 % of the epochs") {
    CHECK(adam_epoch_learning_rate(1e-3, 9, 50) == 1e-3);
    CHECK(adam_epoch_learning_rate(1e-3, 10, 50) == 5e-4);
    CHECK(adam_epoch_learning_rate(1e-3, 16, 50) == 5e-4);
    CHECK(adam_epoch_learning_rate(1e-3, 17, 50) == 2.5e-4);
    CHECK(adam_epoch_learning_rate(1e-3, 44, 50) == doctest::Approx(1e-3 / 64));
    CHECK(adam_epoch_learning_rate(1e-3, 49, 50) == doctest::Approx(1e-3 / 128));
    // Too few epochs for a milestone above epoch 0: the rate is never halved.
    CHECK(adam_epoch_learning_rate(1e-3, 0, 1) == 1e-3);
    // Of 2 epochs, the milestones at 50-90 % all round down to epoch 1, and each halves the rate.
    CHECK(adam_epoch_learning_rate(1e-3, 1, 2) == doctest::Approx(1e-3 / 32));
}

TEST_CASE("the Adam read-out with dropout learns the synthetic task, the same bits on one thread or many") {
    const Synthetic train(3000, 3);
    const Synthetic test(1000, 4);
    LinearReadoutParams params = adam(0.01, 64, 10);
    params.dropout = 0.5;
    LinearReadout many;
    many.fit(train.rates, train.labels, 3, params, 9);
    CHECK(accuracy(many.predict(test.rates), test.labels) > 0.9);
    LinearReadout one;
    tbb::task_arena arena(1);
    arena.execute([&] { one.fit(train.rates, train.labels, 3, params, 9); });
    CHECK(one.final_training_loss() == many.final_training_loss());
    CHECK(one.predict(test.rates) == many.predict(test.rates));
    // Dropout is in effect: half of six inputs dropped makes the training loss (measured on the dropped-out
    // inputs) higher than without it, and another seed draws other masks.
    params.dropout = 0.0;
    LinearReadout kept;
    kept.fit(train.rates, train.labels, 3, params, 9);
    CHECK(many.final_training_loss() > kept.final_training_loss() + 0.05);
    params.dropout = 0.5;
    LinearReadout other;
    other.fit(train.rates, train.labels, 3, params, 10);
    CHECK(other.final_training_loss() != many.final_training_loss());
    LinearReadout too_many_classes;
    CHECK_THROWS_AS(too_many_classes.fit(train.rates, std::vector<std::uint8_t>(3000, 0), 17, params, 1),
                    std::invalid_argument);
}
