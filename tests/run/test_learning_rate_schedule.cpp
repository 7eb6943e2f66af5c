#include <doctest/doctest.h>

#include "run/config.hpp"
#include "run/training.hpp"

using namespace softspike;

TEST_CASE("the learning-rate schedule runs from 1 to training.final_learning_rate over the run") {
    TrainingConfig t;
    t.final_learning_rate = 0.2;
    CHECK(learning_rate_scale(t, 0, 100) == 1.0F);  // constant, the default
    CHECK(learning_rate_scale(t, 99, 100) == 1.0F);
    t.learning_rate_schedule = LearningRateSchedule::linear;
    CHECK(learning_rate_scale(t, 0, 100) == doctest::Approx(1.0));
    CHECK(learning_rate_scale(t, 50, 100) == doctest::Approx(0.6));
    CHECK(learning_rate_scale(t, 100, 100) == doctest::Approx(0.2));
    t.learning_rate_schedule = LearningRateSchedule::cosine;
    CHECK(learning_rate_scale(t, 0, 100) == doctest::Approx(1.0));
    CHECK(learning_rate_scale(t, 25, 100) == doctest::Approx(0.2 + 0.8 * 0.5 * (1.0 + std::sqrt(0.5))));
    CHECK(learning_rate_scale(t, 50, 100) == doctest::Approx(0.6));
    CHECK(learning_rate_scale(t, 100, 100) == doctest::Approx(0.2));
}

TEST_CASE("the schedule's keys are validated like every other key") {
    const auto error_of = [](const nlohmann::json& doc) {
        try {
            (void)parse_config(doc, "test.json");
        } catch (const std::exception& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    CHECK(error_of({{"training", {{"learning_rate_schedule", "step"}}}})
              .find("training.learning_rate_schedule': expected one of \"constant\" \"linear\" \"cosine\"") !=
          std::string::npos);
    CHECK(error_of({{"training", {{"final_learning_rate", 1.5}}}}).find("training.final_learning_rate") !=
          std::string::npos);
    const Config c = parse_config({{"training", {{"learning_rate_schedule", "cosine"}}}}, "test.json");
    CHECK(c.training.learning_rate_schedule == LearningRateSchedule::cosine);
}
