"""Loading, case blocks and validation split of the covid-ct-seg-png256 triplets."""

import os

import numpy as np
from PIL import Image

# Consecutive PNGs whose CT images correlate below this value start a new block.
# Within one scan, neighbouring slices correlate at 0.65..0.99 (median 0.96).
BLOCK_CORRELATION_THRESHOLD = 0.6
# Blocks shorter than this are thick-slice scans cut by a low correlation
# inside one case, so they are merged into the preceding block.
MIN_BLOCK_SLICES = 15
# Blocks whose index modulo 3 equals 2 form the validation set.
VALIDATION_BLOCK_MODULUS = 3
VALIDATION_BLOCK_REMAINDER = 2


def default_data_dir():
    root = os.environ.get("LUNGLENS_DATA",
                          os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data"))
    return os.path.join(root, "training", "covid-ct-seg-png256")


def load_triplets(data_dir):
    """Return ct, lungs and covid arrays of shape (N, 256, 256), uint8, masks as 0/1."""
    names = sorted(f for f in os.listdir(os.path.join(data_dir, "ct")) if f.endswith(".png"))
    if not names:
        raise FileNotFoundError(f"no PNG files in {data_dir}/ct")

    def read(folder, name):
        return np.asarray(Image.open(os.path.join(data_dir, folder, name)).convert("L"))

    ct = np.stack([read("ct", n) for n in names])
    lungs = np.stack([read("lungs", n) for n in names]) > 127
    covid = np.stack([read("covid", n) for n in names]) > 127
    return ct, lungs.astype(np.uint8), covid.astype(np.uint8), names


def neighbour_correlation(ct):
    """Pearson correlation of each slice with the next one."""
    flat = ct.reshape(len(ct), -1).astype(np.float64)
    flat = (flat - flat.mean(1, keepdims=True)) / (flat.std(1, keepdims=True) + 1e-6)
    return (flat[1:] * flat[:-1]).mean(1)


def find_case_blocks(ct):
    """Split slice indices into contiguous blocks that approximate the source cases.

    Returns a list of (start, stop) pairs, stop exclusive.
    """
    correlation = neighbour_correlation(ct)
    starts = [0] + [int(i) + 1 for i in np.where(correlation < BLOCK_CORRELATION_THRESHOLD)[0]]
    bounds = list(zip(starts, starts[1:] + [len(ct)]))

    merged = []
    for start, stop in bounds:
        if merged and stop - start < MIN_BLOCK_SLICES:
            merged[-1] = (merged[-1][0], stop)
        else:
            merged.append((start, stop))
    return merged


def split_blocks(blocks):
    """Return (training_blocks, validation_blocks)."""
    validation = [b for i, b in enumerate(blocks)
                  if i % VALIDATION_BLOCK_MODULUS == VALIDATION_BLOCK_REMAINDER]
    training = [b for b in blocks if b not in validation]
    return training, validation


def block_indices(blocks):
    return np.concatenate([np.arange(start, stop) for start, stop in blocks])
