"""Measure whether the lesion model detects diffuse ground-glass opacity (GGO).

Diffuse GGO raises the density of a whole lung while its vessels stay visible.
The training PNGs were min-max normalised and CLAHE-enhanced per slice, which
removes most of the absolute density. This probe adds a uniform HU offset to
every lung voxel of a scan without pneumonia and records what reaches the
model and what it predicts. A model that saw diffuse GGO would mark more of the
lung as the offset grows.

Steps: the native CLI loads the series as HU and segments it (classical
engine), then for three axial slices (at 25, 50 and 75 % of the lung's
craniocaudal extent) and each offset: the lung voxels get the offset, the
slice is resampled to the 256 x 256 model grid (a 2 x 2 mean, which is what
the core's bilinear resampling gives for a square 512 x 512 slice), and the
model input is built with clahe.py, which gives the core's bytes.

Usage: /usr/bin/python3 models/probe_diffuse_ggo.py [--series FOLDER]
Writes models/probe_diffuse_ggo.json. Needs build/native (scripts/build.sh native).
"""

import argparse
import json
import os
import struct
import subprocess
import tempfile

import numpy as np
import torch

import clahe
import dataset
from evaluate_pipeline import load_model

HERE = os.path.dirname(os.path.abspath(__file__))
OFFSETS_HU = [0, 150, 250, 350]
SLICE_FRACTIONS = [0.25, 0.5, 0.75]
LUNG_LABELS = [1, 2, 4, 5]   # masks.nii (core/report/mask_export.h): right, left lung, GGO, consolidation.


def read_label_nifti(path, size):
    """Return the uint8 labels of a NIfTI-1 file written by the CLI, shaped (k, j, i)."""
    with open(path, "rb") as source:
        header = source.read(348)
        datatype = struct.unpack_from("<h", header, 70)[0]
        offset = int(struct.unpack_from("<f", header, 108)[0])
    if datatype != 2:
        raise ValueError(f"{path}: NIfTI datatype {datatype}, expected 2 (uint8)")
    labels = np.fromfile(path, dtype=np.uint8, offset=offset)
    return labels.reshape(size[2], size[1], size[0])


def load_series(cli, series, scratch):
    """Return (HU volume (k, j, i) int16, labels (k, j, i)) of `series` from the native CLI."""
    raw = os.path.join(scratch, "hu.raw")
    geometry_path = os.path.join(scratch, "geometry.json")
    subprocess.run([cli, "load", series, "--raw", raw, "--geometry", geometry_path], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run([cli, "analyze", series, "--out", scratch, "--quiet"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(geometry_path) as source:
        geometry = json.load(source)
    size = geometry["size"]
    if size[0] != 512 or size[1] != 512:
        raise ValueError(f"{series}: {size[0]} x {size[1]} slices, the probe needs 512 x 512")
    hu = np.fromfile(raw, dtype=np.int16).reshape(size[2], size[1], size[0])
    return hu, read_label_nifti(os.path.join(scratch, "masks.nii"), size)


def to_grid(image):
    """Return the 2 x 2 mean of a 512 x 512 image (256 x 256, float)."""
    return image.reshape(256, 2, 256, 2).mean(axis=(1, 3))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", default=os.path.join(dataset.default_data_dir(), "..", "..", "ct", "LIDC-IDRI-0001"))
    parser.add_argument("--cli", default=os.path.join(HERE, "..", "build", "native", "examples", "cli", "lunglens"))
    parser.add_argument("--lesion", default=os.path.join(HERE, "lesion"), help="folder of the lesion model")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    series = os.path.normpath(args.series)

    with tempfile.TemporaryDirectory(prefix="lunglens-probe-") as scratch:
        hu, labels = load_series(args.cli, series, scratch)
    lungs = np.isin(labels, LUNG_LABELS)
    lung_slices = np.flatnonzero(lungs.any(axis=(1, 2)))
    if len(lung_slices) == 0:
        raise SystemExit(f"{series}: the classical engine found no lung")
    model = load_model(args.lesion)

    rows = []
    for fraction in SLICE_FRACTIONS:
        k = int(lung_slices[0] + fraction * (lung_slices[-1] - lung_slices[0]))
        lung = lungs[k]
        lung_grid = to_grid(lung.astype(np.float64)) >= 0.5
        for offset in OFFSETS_HU:
            shifted = hu[k].astype(np.int64)
            shifted[lung] += offset
            grid_hu = np.floor(to_grid(shifted.astype(np.float64)) + 0.5).astype(np.int64)
            windowed = clahe.window_to_uint8(grid_hu)
            model_input = clahe.hu_slice_to_model_input(grid_hu)
            with torch.no_grad():
                probability = model(torch.from_numpy(model_input[None, None]))[0, 0].numpy()
            rows.append({
                "slice": k,
                "offset_hu": offset,
                "lung_mean_hu": round(float(shifted[lung].mean()), 1),
                "windowed_mean_in_lung": round(float(windowed[lung_grid].mean()), 1),
                "model_input_mean_in_lung": round(float(255 * model_input[lung_grid].mean()), 1),
                "predicted_infection_percent_of_lung": round(float(100 * (probability[lung_grid] >= 0.5).mean()), 2),
            })
            print(rows[-1], flush=True)

    summary = []
    for offset in OFFSETS_HU:
        part = [row for row in rows if row["offset_hu"] == offset]
        summary.append({key: round(float(np.mean([row[key] for row in part])), 2) for key in part[0] if key != "slice"})
    result = {
        "series": os.path.basename(series),
        "method": "uniform HU offset added to every lung voxel (classical lung mask) of three axial slices; "
                  "2 x 2 mean to the model grid, HU window and CLAHE as in the core; lesion probability >= 0.5",
        "slices": [row["slice"] for row in rows if row["offset_hu"] == 0],
        "per_slice": rows,
        "mean_over_slices": summary,
    }
    with open(os.path.join(HERE, "probe_diffuse_ggo.json"), "w") as out:
        json.dump(result, out, indent=2)
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
