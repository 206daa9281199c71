"""Count the floating-point operations of one 256x256 slice through each model.

Counts 2 FLOPs per multiply-accumulate of every convolution and transposed
convolution (the other layers add well under 5 %) and writes the figure into
<model>/metrics.json as "flops_per_slice".
Usage: /usr/bin/python3 models/count_flops.py lung lesion
"""

import json
import os
import sys

import torch
from torch import nn

from train import SliceSegmenter


def count_flops(widths):
    model = SliceSegmenter(widths).eval()
    total = 0

    def hook(module, inputs, output):
        nonlocal total
        kernel = module.kernel_size[0] * module.kernel_size[1]
        if isinstance(module, nn.ConvTranspose2d):
            # Each input pixel spreads over kernel outputs for every output channel.
            macs = inputs[0].numel() * module.out_channels * kernel
        else:
            macs = output.numel() * module.in_channels * kernel
        total += 2 * macs

    for module in model.modules():
        if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
            module.register_forward_hook(hook)
    with torch.no_grad():
        model(torch.zeros(1, 1, 256, 256))
    return total


def main():
    for folder in sys.argv[1:]:
        path = os.path.join(folder, "metrics.json")
        with open(path) as source:
            metrics = json.load(source)
        widths = [int(w) for w in metrics["architecture"].split("widths [")[1].split("]")[0].split(",")]
        metrics["flops_per_slice"] = count_flops(widths)
        with open(path, "w") as out:
            json.dump(metrics, out, indent=2)
        print(f"{folder}: {metrics['flops_per_slice'] / 1e9:.3f} GFLOP per slice")


if __name__ == "__main__":
    main()
