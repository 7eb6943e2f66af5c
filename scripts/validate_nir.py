#!/usr/bin/env python3
"""Checks a NIR file against NIR's HDF5 layout with h5py, independently of softspike's own reader.

usage: scripts/validate_nir.py FILE.nir

The layout is the one neuromorphs/NIR writes and reads (nir/serialization.py): a root dataset `version` (a
variable-length UTF-8 string), a group `node` with `type` "NIRGraph", `nodes/<name>/` one group per node with
its `type` and its parameters, and `edges` an E x 2 dataset of variable-length strings. For every node type
softspike exports it checks the parameter names NIR's reader takes, their dtypes and their shapes, and along
every edge that the sizes meet. Exit 0 and "ok" when the file holds; exit 1 with every problem otherwise.
"""
import sys

import h5py
import numpy as np

# The parameters NIR's reader takes for each node type (nir/serialization.py read_node), required then optional.
PARAMETERS = {
    "Input": (["shape"], []),
    "Output": (["shape"], []),
    "Affine": (["weight", "bias"], []),
    "Linear": (["weight"], []),
    "Scale": (["scale"], []),
    "LI": (["tau", "r", "v_leak"], []),
    "LIF": (["tau", "r", "v_leak", "v_threshold"], ["v_reset"]),
    "IF": (["r", "v_threshold"], ["v_reset"]),
    "CubaLIF": (["tau_mem", "tau_syn", "r", "v_leak", "v_threshold", "w_in"], ["v_reset"]),
    "Delay": (["delay"], []),
    "Threshold": (["threshold"], []),
}
NEURONS = {"LI", "LIF", "IF", "CubaLIF", "Delay", "Scale", "Threshold"}


def is_vlen_string(dataset):
    return h5py.check_string_dtype(dataset.dtype) is not None


def main(path):
    problems = []
    f = h5py.File(path, "r")
    if "version" not in f or not is_vlen_string(f["version"]) or f["version"].shape != ():
        problems.append("/version: expected a scalar variable-length string")
    node = f.get("node")
    if not isinstance(node, h5py.Group):
        print(path + ": /node: missing group")
        return 1
    if node.get("type") is None or node["type"][()] != b"NIRGraph":
        problems.append("/node/type: expected b'NIRGraph'")
    nodes = node.get("nodes")
    if not isinstance(nodes, h5py.Group):
        print(path + ": /node/nodes: missing group")
        return 1
    sizes_in, sizes_out = {}, {}
    for name, n in nodes.items():
        where = "/node/nodes/" + name
        if "type" not in n or not is_vlen_string(n["type"]):
            problems.append(where + "/type: expected a variable-length string")
            continue
        kind = n["type"][()].decode("utf8")
        if kind not in PARAMETERS:
            problems.append(where + ": type " + kind + " is not one softspike exports")
            continue
        required, optional = PARAMETERS[kind]
        for key in required:
            if key not in n:
                problems.append(where + "/" + key + ": missing (NIR's " + kind + " needs it)")
        for key in n.keys():
            if key in ("type", "metadata"):
                continue
            if key not in required and key not in optional:
                problems.append(where + "/" + key + ": not a parameter of NIR's " + kind)
                continue
            d = n[key]
            if key == "shape":
                if d.dtype.kind not in "iu" or d.ndim != 1:
                    problems.append(where + "/shape: expected a 1-d integer array")
            elif d.dtype != np.float32:
                problems.append(where + "/" + key + ": expected float32, found " + str(d.dtype))
        if "metadata" in n:
            for key, d in n["metadata"].items():
                if not isinstance(d, h5py.Dataset):
                    problems.append(where + "/metadata/" + key + ": expected a dataset")
        if any(k not in n for k in required):
            continue
        if kind in ("Input", "Output"):
            size = int(np.prod(n["shape"][()]))
            sizes_in[name] = sizes_out[name] = size
        elif kind in ("Affine", "Linear"):
            w = n["weight"]
            if w.ndim != 2:
                problems.append(where + "/weight: expected 2-d (out, in)")
                continue
            sizes_out[name], sizes_in[name] = w.shape
            if kind == "Affine" and n["bias"].shape != (w.shape[0],):
                problems.append(where + "/bias: expected shape (" + str(w.shape[0]) + ",)")
        elif kind in NEURONS:
            shapes = {n[k].shape for k in required + optional if k in n}
            if len(shapes) != 1:
                problems.append(where + ": parameters of different shapes " + str(sorted(shapes)))
                continue
            size = int(np.prod(shapes.pop()))
            sizes_in[name] = sizes_out[name] = size
    edges = node.get("edges")
    if edges is None or not is_vlen_string(edges) or edges.ndim != 2 or edges.shape[1] != 2:
        problems.append("/node/edges: expected an E x 2 array of variable-length strings")
    else:
        for a, b in edges[()]:
            a, b = a.decode("utf8"), b.decode("utf8")
            for end in (a, b):
                if end not in nodes:
                    problems.append("/node/edges: " + end + " is no node")
            if a in sizes_out and b in sizes_in and sizes_out[a] != sizes_in[b]:
                problems.append("/node/edges: " + a + " -> " + b + ": " + str(sizes_out[a]) + " values into " +
                                str(sizes_in[b]))
    kinds = [n["type"][()] for n in nodes.values() if "type" in n]
    if kinds.count(b"Input") != 1 or kinds.count(b"Output") != 1:
        problems.append("/node/nodes: expected one Input and one Output node")
    if problems:
        for p in problems:
            print(path + ": " + p)
        return 1
    print(path + ": ok (" + str(len(nodes)) + " nodes, " + str(edges.shape[0]) + " edges)")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
