"""Train, validate and export one lunglens segmentation model.

Usage: /usr/bin/python3 models/train.py --task lung|lesion --out models/<name>
Writes <out>/<name>.onnx, <out>/metrics.json and <out>/checkpoint.pt. With
--evaluate-only it exports and validates an existing checkpoint again.
"""

import argparse
import json
import math
import os
import platform
import random
import time

import numpy as np
import torch
from torch import nn

import clahe
import dataset
import evaluation
from unet import UNet, parameter_count

MODEL_GRID = 128     # Side of the U-Net grid (pixels); the exported graph pools 256 -> 128 itself.


class SliceSegmenter(nn.Module):
    """U-Net on a 2x2-average-pooled 256x256 slice, logits upsampled back to 256x256."""

    def __init__(self, widths):
        super().__init__()
        self.unet = UNet(widths)

    def forward(self, x):
        logits = self.unet(nn.functional.avg_pool2d(x, 2))
        return nn.functional.interpolate(logits, scale_factor=2, mode="bilinear", align_corners=False)


class ExportedSegmenter(nn.Module):
    """Adds the sigmoid so that the ONNX graph returns probabilities."""

    def __init__(self, segmenter):
        super().__init__()
        self.segmenter = segmenter

    def forward(self, x):
        return torch.sigmoid(self.segmenter(x))


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", choices=["lung", "lesion"], required=True)
    parser.add_argument("--out", required=True, help="output folder, for example models/lung")
    parser.add_argument("--widths", default="16,32,64,128", help="channels per U-Net level")
    parser.add_argument("--iterations", type=int, default=800, help="optimiser steps")
    parser.add_argument("--batch", type=int, default=8, help="slices per step")
    parser.add_argument("--learning-rate", type=float, default=2e-3)
    parser.add_argument("--seed", type=int, default=20201)
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    parser.add_argument("--recall-weight", type=float, default=0.5,
                        help="Tversky weight of missed target pixels (0.5: soft Dice; more favours recall)")
    parser.add_argument("--data", default=dataset.default_data_dir())
    parser.add_argument("--evaluate-only", action="store_true",
                        help="skip training: export and validate <out>/checkpoint.pt again")
    return parser.parse_args()


def random_affine(batch_size, generator):
    """Return (batch, 2, 3) affine matrices: flips, rotation +-15 deg, scale 0.75..1.3, shift +-8 %."""
    matrices = []
    for _ in range(batch_size):
        angle = math.radians(generator.uniform(-15, 15))
        scale = math.exp(generator.uniform(math.log(0.75), math.log(1.3)))
        flip_x = -1.0 if generator.random() < 0.5 else 1.0
        flip_y = -1.0 if generator.random() < 0.5 else 1.0
        cos, sin = math.cos(angle) / scale, math.sin(angle) / scale
        matrices.append([[cos * flip_x, -sin, generator.uniform(-0.08, 0.08)],
                         [sin, cos * flip_y, generator.uniform(-0.08, 0.08)]])
    return torch.tensor(matrices, dtype=torch.float32)


def reclahe(image_uint8, generator):
    """Distort an enhanced slice with a random gamma, then enhance it again with the inference CLAHE."""
    gamma = math.exp(generator.uniform(math.log(0.5), math.log(2.0)))
    distorted = np.round(255.0 * (image_uint8 / 255.0) ** gamma).astype(np.int64)
    return clahe.clahe_uint8(distorted)


def augment_intensity(images, generator):
    out = []
    for image in images:
        gamma = math.exp(generator.uniform(math.log(0.6), math.log(1.6)))
        contrast = generator.uniform(0.7, 1.4)
        brightness = generator.uniform(-0.08, 0.08)
        noise = generator.uniform(0.0, 0.04)
        image = image.clamp(0, 1) ** gamma
        image = (image - image.mean()) * contrast + image.mean() + brightness
        image = image + noise * torch.randn_like(image)
        out.append(image.clamp(0, 1))
    return torch.stack(out)


def make_batch(indices, ct, target, generator):
    images = []
    for i in indices:
        image = ct[i]
        if generator.random() < 0.4:
            image = reclahe(image, generator)
        images.append(image.astype(np.float32) / 255.0)

    images = torch.from_numpy(np.stack(images))[:, None]
    masks = torch.from_numpy(target[indices].astype(np.float32))[:, None]
    grid = nn.functional.affine_grid(random_affine(len(indices), generator), images.shape,
                                     align_corners=False)
    images = nn.functional.grid_sample(images, grid, mode="bilinear", padding_mode="border",
                                       align_corners=False)
    masks = nn.functional.grid_sample(masks, grid, mode="bilinear", padding_mode="zeros",
                                      align_corners=False)
    return augment_intensity(images, generator), masks


def overlap_bce_loss(logits, target, recall_weight):
    """Binary cross-entropy plus the Tversky loss; recall_weight 0.5 makes the Tversky index the soft Dice."""
    bce = nn.functional.binary_cross_entropy_with_logits(logits, target)
    probability = torch.sigmoid(logits)
    true_positive = (probability * target).sum()
    missed = ((1 - probability) * target).sum()
    false_positive = (probability * (1 - target)).sum()
    tversky = (true_positive + 0.5) / (true_positive + recall_weight * missed +
                                       (1 - recall_weight) * false_positive + 0.5)
    return bce + (1 - tversky)


def train(model, args, ct, target, training_indices, generator, log_line):
    """Train `model` in place; return the wall time in seconds."""
    optimiser = torch.optim.Adam(model.parameters(), lr=args.learning_rate)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=args.learning_rate,
                                                   total_steps=args.iterations, pct_start=0.1)
    started = time.time()
    running = 0.0
    model.train()
    for step in range(1, args.iterations + 1):
        indices = [int(training_indices[generator.randrange(len(training_indices))])
                   for _ in range(args.batch)]
        images, masks = make_batch(indices, ct, target, generator)
        loss = overlap_bce_loss(model(images), masks, args.recall_weight)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        schedule.step()
        running += loss.item()
        if step % 20 == 0:
            elapsed = time.time() - started
            log_line(f"step {step}/{args.iterations} loss {running / 20:.4f} "
                     f"{elapsed / step:.2f} s/step elapsed {elapsed / 60:.1f} min")
            running = 0.0
    return time.time() - started


def main():
    args = parse_arguments()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    generator = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    name = os.path.basename(os.path.normpath(args.out))
    log = open(os.path.join(args.out, "evaluation.log" if args.evaluate_only else "training.log"), "w")

    def log_line(text):
        print(text, flush=True)
        log.write(text + "\n")
        log.flush()

    ct, lungs, covid, names = dataset.load_triplets(args.data)
    blocks = dataset.find_case_blocks(ct)
    training_blocks, validation_blocks = dataset.split_blocks(blocks)
    training_indices = dataset.block_indices(training_blocks)
    target = lungs if args.task == "lung" else covid
    log_line(f"{len(ct)} slices, {len(blocks)} blocks, training {len(training_indices)} slices, "
             f"validation blocks {validation_blocks}")

    checkpoint_path = os.path.join(args.out, "checkpoint.pt")
    metrics_path = os.path.join(args.out, "metrics.json")
    if args.evaluate_only:
        checkpoint = torch.load(checkpoint_path)
        widths = checkpoint["widths"]
        model = SliceSegmenter(widths)
        model.load_state_dict(checkpoint["state"])
        with open(metrics_path) as source:
            previous_metrics = json.load(source)
    else:
        widths = [int(w) for w in args.widths.split(",")]
        model = SliceSegmenter(widths)
        log_line(f"task {args.task}, widths {widths}, {parameter_count(model)} parameters")
        training_seconds = train(model, args, ct, target, training_indices, generator, log_line)
        previous_metrics = None
        torch.save({"widths": widths, "state": model.state_dict(), "step": args.iterations}, checkpoint_path)

    # torch.onnx.export restores the training mode of the module it exports
    # when it returns, so eval() comes after it: BatchNorm must use its running statistics.
    exported = ExportedSegmenter(model)
    onnx_path = os.path.join(args.out, f"{name}.onnx")
    torch.onnx.export(exported, torch.zeros(1, 1, 256, 256), onnx_path, opset_version=13,
                      input_names=["ct"], output_names=["probability"],
                      dynamic_axes={"ct": {0: "batch"}, "probability": {0: "batch"}},
                      training=torch.onnx.TrainingMode.EVAL)
    exported.eval()

    validation = evaluation.evaluate_single_model(exported, args.task, ct, lungs, covid,
                                                  validation_blocks, log_line)
    if previous_metrics is not None:
        # Training facts stay as the training run recorded them.
        metrics = dict(previous_metrics, **validation)
    else:
        metrics = dict(validation, **{
            "task": args.task,
            "architecture": f"2D U-Net, widths {widths}, input 256x256 average-pooled to "
                            f"{MODEL_GRID}x{MODEL_GRID}, bilinear upsampled logits, sigmoid",
            "parameters": parameter_count(model),
            "iterations": args.iterations,
            "batch": args.batch,
            "learning_rate": args.learning_rate,
            "recall_weight": args.recall_weight,
            "seed": args.seed,
            "training_seconds": round(training_seconds, 1),
            "training_slices": int(len(training_indices)),
            "blocks": blocks,
            "validation_blocks": validation_blocks,
            "torch": torch.__version__,
            "machine": platform.processor() or platform.machine(),
        })
    with open(metrics_path, "w") as out:
        json.dump(metrics, out, indent=2)
    log_line(f"wrote {onnx_path} and metrics.json")


if __name__ == "__main__":
    main()
