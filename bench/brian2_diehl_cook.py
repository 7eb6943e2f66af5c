#!/usr/bin/env python3
"""The Brian2 anchor of the speed benchmark: a Diehl & Cook (2015)-style network in Brian2's cpp_standalone device.

784 Poisson inputs at intensity/4 Hz (pixel values 0-255) for 350 ms per image, then 150 ms of rest, dt 0.5 ms;
N excitatory LIF neurons with adaptive thresholds, N inhibitory neurons (excitatory -> inhibitory one to one,
inhibitory -> every other excitatory neuron), pair STDP with traces on the input synapses. Prints one JSON line:
synaptic events (spikes delivered through a synapse, counted from the spike monitors), compile and run seconds,
events per second of run time. Usage: brian2_diehl_cook.py N IMAGES [DATA_DIR]
"""
import gzip
import json
import os
import sys
import tempfile
import time

import numpy as np
import brian2 as b2


def load_images(directory, count):
    with gzip.open(os.path.join(directory, "train-images-idx3-ubyte.gz")) as f:
        data = np.frombuffer(f.read(), np.uint8, offset=16)
    return data.reshape(-1, 784)[:count].astype(np.float64)


def main():
    n = int(sys.argv[1])
    images = int(sys.argv[2])
    directory = sys.argv[3] if len(sys.argv) > 3 else "/usr/share/datasets/fashion-mnist"
    pixels = load_images(directory, images)
    build_dir = tempfile.mkdtemp(prefix="brian2_dc_")
    b2.set_device("cpp_standalone", directory=build_dir, build_on_run=False)
    b2.prefs.devices.cpp_standalone.openmp_threads = 0  # single-threaded: two OpenMP threads were slower
    b2.defaultclock.dt = 0.5 * b2.ms

    # Rates in slots of 50 ms: 7 slots of the image (350 ms), 3 of rest (150 ms).
    slots = np.zeros((images * 10, 784))
    for i in range(images):
        slots[i * 10:i * 10 + 7] = pixels[i] / 4.0
    input_rates = b2.TimedArray(slots * b2.Hz, dt=50 * b2.ms)
    inputs = b2.PoissonGroup(784, rates="input_rates(t, i)")

    exc = b2.NeuronGroup(
        n,
        """dv/dt = ((-65*mV - v) + ge*(0*mV - v) + gi*(-100*mV - v)) / (100*ms) : volt (unless refractory)
           dge/dt = -ge / (1*ms) : 1
           dgi/dt = -gi / (2*ms) : 1
           dtheta/dt = -theta / (1e7*ms) : volt""",
        threshold="v > theta - 52*mV",
        reset="v = -65*mV; theta += 0.05*mV",
        refractory=5 * b2.ms,
        method="euler",
    )
    exc.v = -65 * b2.mV
    exc.theta = 20 * b2.mV
    inh = b2.NeuronGroup(
        n,
        """dv/dt = ((-60*mV - v) + ge*(0*mV - v)) / (10*ms) : volt (unless refractory)
           dge/dt = -ge / (1*ms) : 1""",
        threshold="v > -40*mV",
        reset="v = -45*mV",
        refractory=2 * b2.ms,
        method="euler",
    )
    inh.v = -60 * b2.mV

    stdp = b2.Synapses(
        inputs,
        exc,
        """w : 1
           dapre/dt = -apre / (20*ms) : 1 (event-driven)
           dapost/dt = -apost / (20*ms) : 1 (event-driven)""",
        on_pre="ge += w; apre = 1.0; w = clip(w - 0.0001*apost, 0, 1)",
        on_post="apost = 1.0; w = clip(w + 0.01*apre, 0, 1)",
    )
    stdp.connect()
    stdp.w = "0.3 * rand()"
    to_inh = b2.Synapses(exc, inh, on_pre="ge += 10.4")
    to_inh.connect(j="i")
    lateral = b2.Synapses(inh, exc, on_pre="gi += 17.0")
    lateral.connect(condition="i != j")

    spikes_in = b2.SpikeMonitor(inputs, record=False)
    spikes_exc = b2.SpikeMonitor(exc, record=False)
    spikes_inh = b2.SpikeMonitor(inh, record=False)
    b2.run(images * 500 * b2.ms)

    start = time.perf_counter()
    b2.device.build(directory=build_dir, compile=True, run=False)
    compile_seconds = time.perf_counter() - start
    start = time.perf_counter()
    b2.device.run(directory=build_dir, with_output=False, run_args=[])
    run_seconds = time.perf_counter() - start

    n_in = int(spikes_in.num_spikes)
    n_exc = int(spikes_exc.num_spikes)
    n_inh = int(spikes_inh.num_spikes)
    events = n_in * n + n_exc + n_inh * (n - 1)
    print(json.dumps({
        "simulator": "brian2 " + b2.__version__ + " cpp_standalone, 1 thread",
        "neurons": n, "images": images,
        "input_spikes": n_in, "excitatory_spikes": n_exc, "inhibitory_spikes": n_inh,
        "synaptic_events": events, "compile_seconds": compile_seconds, "run_seconds": run_seconds,
        "synaptic_events_per_second": events / run_seconds, "images_per_second": images / run_seconds,
    }))


if __name__ == "__main__":
    main()
