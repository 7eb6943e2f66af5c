"""import softspike: the same numbers as the command line, NumPy views without copies, progress to Python,
errors as exceptions that name the key or file."""
import json
import os
import subprocess

import numpy as np
import pytest

import softspike

SOURCE = os.environ["SOFTSPIKE_SOURCE_DIR"]
PROGRAM = os.environ["SOFTSPIKE_PROGRAM"]
CONFIG = os.path.join(SOURCE, "configs", "default.json")
SMALL = ["population.neurons=20", "data.train_images=500", "data.test_images=200", "output.raster_samples=2"]


def cli(tmp_path, *args):
    out = tmp_path / "out"
    sets = [a for o in SMALL for a in ("--set", o)]
    subprocess.run([PROGRAM, *args, "--config", CONFIG, *sets, "--out", str(out), "--quiet"], check=True)
    with open(out / "report.json") as f:
        return json.load(f), out


@pytest.fixture(scope="module")
def trained():
    return softspike.train(CONFIG, SMALL)


def test_train_gives_the_command_lines_accuracies_and_counts(trained, tmp_path):
    report, _ = cli(tmp_path, "train")
    assert trained.accuracy["linear_readout"] == report["accuracy"]["linear_readout"]
    assert trained.accuracy["label_assignment"] == report["accuracy"]["label_assignment"]
    for phase in ("training", "evaluation_train", "evaluation_test"):
        assert trained.counts[phase] == report["phases"][phase]["hardware"], phase


def test_arrays_are_read_only_views_of_the_runs_buffers(trained):
    w = trained.weights
    assert w.shape == (784, 20) and w.dtype == np.float32
    assert not w.flags.owndata and w.base is trained
    assert np.shares_memory(w, trained.weights)  # the same buffer each time, not a copy
    with pytest.raises(ValueError):
        w[0, 0] = 1.0
    assert trained.biases.shape == (20,)
    assert trained.rates_test.shape == (200, 20) and trained.rates_train.shape == (500, 20)
    assert trained.test_labels.dtype == np.uint8 and trained.test_labels.shape == (200,)
    rasters = trained.rasters
    assert len(rasters) == 2
    assert rasters[0].dtype.names == ("time", "neuron", "input")
    assert np.all(np.diff(rasters[0]["time"]) >= 0)
    # Read out by spike counts, the rate vector of the first test image counts its raster's output spikes.
    counted = softspike.evaluate(CONFIG, trained, SMALL + ["evaluation.signal=spike_counts"])
    first = counted.rasters[0]
    out = first[~first["input"]]["neuron"]
    assert out.size > 0
    assert np.array_equal(np.bincount(out, minlength=20), counted.rates_test[0])
    # The arrays outlive the Python name of the run that owns them.
    biases = softspike.train(CONFIG, SMALL).biases
    assert np.isfinite(biases).all()


def test_progress_reaches_python_for_every_phase():
    calls = []
    softspike.train(CONFIG, SMALL, progress=lambda *a: calls.append(a))
    finals = [c for c in calls if c[4]]
    assert [c[0] for c in finals] == ["train", "eval-train", "eval-test"]
    assert all(c[1] == c[2] for c in finals)  # done == total at the end
    assert finals[0][3] is not None and finals[1][3] is None  # running accuracy while training only


def test_a_failing_progress_callback_stops_the_run_with_its_exception():
    def boom(*_):
        raise RuntimeError("stop here")

    with pytest.raises(RuntimeError, match="stop here"):
        softspike.train(CONFIG, SMALL, progress=boom)


def test_evaluate_takes_a_run_or_a_checkpoint_and_matches_eval(trained, tmp_path):
    again = softspike.evaluate(CONFIG, trained, SMALL)
    assert again.accuracy == trained.accuracy
    assert np.array_equal(again.rates_test, trained.rates_test)
    _, out = cli(tmp_path, "train")
    report, _ = cli(tmp_path / "eval", "eval", "--weights", str(out / "weights.ckpt"))
    from_file = softspike.evaluate(CONFIG, str(out / "weights.ckpt"), SMALL)
    assert from_file.accuracy["linear_readout"] == report["accuracy"]["linear_readout"]
    assert from_file.counts["evaluation_test"] == report["phases"]["evaluation_test"]["hardware"]


def test_count_events_matches_softspike_events(trained, tmp_path):
    _, out = cli(tmp_path, "train")
    report, _ = cli(tmp_path / "events", "events", "--weights", str(out / "weights.ckpt"))
    events = softspike.count_events(CONFIG, str(out / "weights.ckpt"), overrides=SMALL)
    assert events.spiking["counts"] == report["spiking"]["counts"]
    assert events.phase == report["phase"]


def test_load_config_applies_overrides_and_errors_name_the_key_or_file(tmp_path):
    config = softspike.load_config(CONFIG, ["population.neurons=7"])
    assert config["population"]["neurons"] == 7
    with pytest.raises(softspike.ConfigError, match="unknown key 'population.nerons'"):
        softspike.load_config(CONFIG, ["population.nerons=7"])
    with pytest.raises(softspike.ConfigError, match="no_such.json"):
        softspike.train(str(tmp_path / "no_such.json"))
    with pytest.raises(softspike.CheckpointError, match="none.ckpt"):
        softspike.evaluate(CONFIG, str(tmp_path / "none.ckpt"), SMALL)
