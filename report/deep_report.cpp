#include "report/deep_report.hpp"

#include <iomanip>
#include <sstream>

#include "core/dense_kernels.hpp"
#include "report/hardware_report.hpp"
#include "report/report.hpp"
#include "report/report_header.hpp"

namespace softspike {

namespace {

using nlohmann::json;

double per(std::uint64_t count, std::size_t images) {
    return images == 0 ? 0.0 : static_cast<double>(count) / static_cast<double>(images);
}

double rate(std::size_t images, double seconds) { return seconds > 0.0 ? static_cast<double>(images) / seconds : 0.0; }

}  // namespace

std::vector<CostTable> deep_cost_tables(const DeepReport& r) {
    return r.form == DeepForm::spiking ? r.info.cost_tables : tables_pricing_macs(r.info.cost_tables);
}

json deep_report_to_json(const DeepReport& r) {
    json j = report_header(r.info);
    if (r.events_only) {
        j["phase"] = r.phase;
    } else {
        j["accuracy"] = {{"label_assignment", r.readout.label_assignment_accuracy},
                         {"linear_readout", r.readout.linear_readout_accuracy},
                         {"linear_readout_train", r.readout.linear_readout_train_accuracy}};
        j["linear_readout_l2"] = linear_readout_l2_json(r.readout);
        j["linear_readout_solver"] = config_to_json(r.info.config)["readout"]["solver"];
    }
    json blocks = json::array();
    for (std::size_t i = 0; i < r.block_outputs.size(); ++i) {
        const TensorShape& s = r.block_outputs[i];
        const RateCounters t = i < r.training.counters.size() ? r.training.counters[i] : RateCounters{};
        const RateCounters& f = r.test_feature_counters[i];
        const KernelNormPoint norms = kernel_norm_point(i, 0, r.kernel_norms[i]);
        blocks.push_back(
            {{"output", {s.channels, s.height, s.width}},
             {"features_macs_per_image", per(f.macs, r.test_images)},
             {"training_macs", t.macs},
             {"training_plasticity_macs", t.plasticity_macs},
             {"training_plasticity_updates", t.plasticity_updates},
             {"test_activation_sparsity", f.activation_sparsity()},
             {"kernel_norms", {{"mean", norms.mean}, {"sd", norms.sd}, {"min", norms.min}, {"max", norms.max}}}});
    }
    if (r.form == DeepForm::spiking) {
        j["form"] = "spiking";
        j["spike_values"] = r.spike_values;  // [0]: an input spike's value, [i]: a spike of block i
        nlohmann::json rasters = nlohmann::json::array();
        for (const SpikeCountRaster& raster : r.spike_rasters) {
            rasters.push_back({{"block", raster.block + 1},
                               {"row", raster.row},
                               {"columns", raster.columns},
                               {"channels", raster.channels},
                               {"counts", raster.counts},
                               {"block_spikes", raster.block_spikes}});
        }
        j["spike_count_rasters_first_test_image"] = rasters;
        for (std::size_t i = 0; i < blocks.size() && i < r.test_spiking_counters.size(); ++i) {
            const SpikingBlockCounters& c = r.test_spiking_counters[i];
            blocks[i]["test_input_spikes_per_image"] = per(c.events.input_spikes, r.test_images);
            blocks[i]["test_output_spikes_per_image"] = per(c.events.output_spikes, r.test_images);
            blocks[i]["test_synaptic_events_per_image"] = per(c.events.synaptic_events, r.test_images);
            blocks[i]["test_activation_sparsity"] = c.activation_sparsity();
        }
    } else {
        j["form"] = "rate";
    }
    if (r.spiking_training) {
        // Learned in the spiking form: its own counts replace the rate form's (which it did not spend).
        const DeepSpikingTrainingResult& t = *r.spiking_training;
        j["training_form"] = "spiking";
        j["training_spike_values"] = t.quanta;
        for (std::size_t i = 0; i < blocks.size() && i < t.plasticity.size(); ++i) {
            for (const char* key : {"training_macs", "training_plasticity_macs", "training_plasticity_updates"}) {
                blocks[i].erase(key);
            }
            blocks[i]["training_synaptic_events"] = t.forward[i].events.synaptic_events;
            blocks[i]["training_learning_spikes"] = t.plasticity[i].learning_spikes;
            blocks[i]["training_update_accumulates"] = t.plasticity[i].update_accumulates;
            blocks[i]["training_weight_updates"] = t.plasticity[i].weight_updates;
        }
    } else if (r.training.images > 0) {
        j["training_form"] = "rate";
    }
    j["blocks"] = blocks;
    const std::vector<CostTable> tables = deep_cost_tables(r);
    json hardware = json::object();
    for (const auto& [phase, figures] : r.hardware) {
        json per_block = json::array();
        for (const HardwareFigures& f : figures.blocks) per_block.push_back(hardware_json(f, tables));
        hardware[phase] = {{"blocks", per_block}, {"total", hardware_json(figures.total, tables)}};
    }
    j["hardware"] = hardware;
    json curve = json::array();
    for (const KernelNormPoint& p : r.training.curve) {
        curve.push_back({{"block", p.block + 1},
                         {"images", p.images},
                         {"mean", p.mean},
                         {"sd", p.sd},
                         {"min", p.min},
                         {"max", p.max}});
    }
    j["kernel_norm_curve"] = curve;
    j["features"] = r.block_outputs.empty() ? 0 : r.block_outputs.back().size();
    if (!r.weights_from.empty()) j["weights"] = r.weights_from;
    if (r.training.resumed_stages > 0) j["resumed_after_stages"] = r.training.resumed_stages;
    j["phases"] = {{"unsupervised",
                    {{"images", r.training.images},
                     {"presentations", r.training.presentations},
                     {"seconds", r.training.seconds},
                     {"stage_seconds", r.training.stage_seconds},
                     {"images_per_second", rate(r.training.images, r.training.seconds)}}},
                   {"features_train",
                    {{"images", r.train_images},
                     {"seconds", r.train_feature_seconds},
                     {"images_per_second", rate(r.train_images, r.train_feature_seconds)}}},
                   {"features_test",
                    {{"images", r.test_images},
                     {"seconds", r.test_feature_seconds},
                     {"images_per_second", rate(r.test_images, r.test_feature_seconds)}}},
                   {"readout", {{"seconds", r.readout.seconds}}}};
    if (r.events_only) {  // no training-set features, no read-out
        j["phases"].erase("features_train");
        j["phases"].erase("readout");
    }
    if (r.training.images == 0) j["phases"].erase("unsupervised");  // eval, or events without --learning
    j["openblas_core"] = blas_core();
    j["total_seconds"] = r.total_seconds;
    return j;
}

std::string deep_summary(const DeepReport& r) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(1);
    const bool spiking = r.form == DeepForm::spiking;
    out << "block  output (c x h x w)   "
        << (spiking ? "spikes in/img  spikes out/img  synaptic events/img" : "forward MACs/img") << "\n";
    for (std::size_t i = 0; i < r.block_outputs.size(); ++i) {
        const TensorShape& s = r.block_outputs[i];
        out << std::setw(5) << i + 1 << "  " << std::setw(6) << s.channels << " x " << std::setw(3) << s.height << " x "
            << std::setw(3) << s.width << "   " << std::setprecision(0);
        if (spiking) {
            const EventCounters& c = r.test_spiking_counters[i].events;
            out << std::setw(13) << per(c.input_spikes, r.test_images) << std::setw(16)
                << per(c.output_spikes, r.test_images) << std::setw(21) << per(c.synaptic_events, r.test_images);
        } else {
            out << std::setw(14) << per(r.test_feature_counters[i].macs, r.test_images);
        }
        out << std::setprecision(1) << "\n";
    }
    if (spiking) out << "spiking form (frozen kernels, BatchNorm folded; docs/model.md §13)\n";
    if (r.events_only) {
        const std::vector<CostTable> tables = deep_cost_tables(r);
        for (const auto& [phase, figures] : r.hardware) {
            const double n = figures.total.images > 0 ? static_cast<double>(figures.total.images) : 1.0;
            out << phase << ", per image:";
            for (std::size_t i = 0; i < figures.blocks.size(); ++i) {
                const HardwareFigures& f = figures.blocks[i];
                out << "\n  block " << i + 1 << ": " << std::setprecision(0)
                    << static_cast<double>(f.counts.synaptic_events) / n << " synaptic events ("
                    << static_cast<double>(f.counts.effective_macs + f.counts.effective_acs) / n << " effective), "
                    << static_cast<double>(f.counts.plasticity_updates) / n << " plasticity updates, "
                    << (f.weight_read_bytes + f.weight_write_bytes) / n << " weight bytes, activation sparsity "
                    << std::setprecision(3) << f.activation_sparsity;
                for (const CostTable& t : tables) {
                    out << ", " << t.name << " " << std::setprecision(1) << estimate_energy(f, t).total_pj / n / 1e3
                        << " nJ";
                }
            }
            out << "\n";
        }
        out << std::setprecision(1) << "seed " << r.info.config.seed << ", total " << r.total_seconds << " s\n";
        return out.str();
    }
    // Images per second of the whole phase, however many passes its layers take: the figure the official
    // code's one unsupervised epoch is measured by.
    if (r.weights_from.empty()) {
        out << "unsupervised" << (r.spiking_training ? " (spiking, SoftHebb per soft-WTA spike)" : "") << ": "
            << r.training.images << " images (" << r.training.presentations << " presentations) in "
            << r.training.seconds << " s (" << rate(r.training.images, r.training.seconds) << " img/s";
        if (r.training.resumed_stages > 0) out << ", resumed after stage " << r.training.resumed_stages;
        out << "); ";
    } else {
        out << "weights: " << r.weights_from << " (no unsupervised phase); ";
    }
    out << "features: " << rate(r.train_images + r.test_images, r.train_feature_seconds + r.test_feature_seconds)
        << " img/s; read-out " << r.readout.seconds << " s\n";
    out << std::setprecision(2) << evaluation_set_name(r.info.config.data) << " accuracy: linear read-out "
        << 100.0 * r.readout.linear_readout_accuracy << "%, label assignment "
        << 100.0 * r.readout.label_assignment_accuracy << "%  (linear read-out on train "
        << 100.0 * r.readout.linear_readout_train_accuracy << "%, ";
    const LinearReadoutParams& readout = r.info.config.readout;
    if (readout.solver == ReadoutSolver::adam) {
        out << "Adam, " << readout.epochs << " epochs, dropout " << std::defaultfloat << readout.dropout;
        if (r.readout.linear_readout_l2 > 0.0) out << ", l2 " << r.readout.linear_readout_l2;
    } else {
        out << "l2 " << std::defaultfloat << r.readout.linear_readout_l2;
    }
    out << std::fixed << ")\n";
    out << std::setprecision(1) << "seed " << r.info.config.seed << ", total " << r.total_seconds << " s\n";
    return out.str();
}

}  // namespace softspike
