"""Validation metrics on held-out case blocks: Dice with bootstrap CIs and involvement error."""

import numpy as np
import torch

BOOTSTRAP_SAMPLES = 2000
BOOTSTRAP_SEED = 7
THRESHOLD = 0.5
REFERENCE_SLICES_PER_BLOCK = 2


def predict(model, ct, indices, batch=16):
    """Return uint8 0/1 masks of shape (len(indices), 256, 256) at probability >= 0.5."""
    out = []
    with torch.no_grad():
        for k in range(0, len(indices), batch):
            chunk = torch.from_numpy(ct[indices[k:k + batch]].astype(np.float32) / 255.0)[:, None]
            out.append((model(chunk)[:, 0].numpy() >= THRESHOLD).astype(np.uint8))
    return np.concatenate(out)


def dice(prediction, truth):
    total = int(prediction.sum()) + int(truth.sum())
    if total == 0:
        return 1.0
    return 2.0 * int((prediction & truth).sum()) / total


def bootstrap_pooled_dice(intersections, totals):
    """Return the 95 % percentile interval of pooled Dice over blocks resampled with replacement."""
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    intersections = np.asarray(intersections, dtype=np.float64)
    totals = np.asarray(totals, dtype=np.float64)
    picks = rng.integers(0, len(totals), size=(BOOTSTRAP_SAMPLES, len(totals)))
    values = 2 * intersections[picks].sum(1) / totals[picks].sum(1)
    return [float(np.percentile(values, 2.5)), float(np.percentile(values, 97.5))]


def bootstrap_mean(values):
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    values = np.asarray(values, dtype=np.float64)
    picks = rng.integers(0, len(values), size=(BOOTSTRAP_SAMPLES, len(values)))
    means = values[picks].mean(1)
    return [float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))]


def dice_summary(predictions, truths, blocks):
    """Pooled Dice over all blocks, per-block Dice and the bootstrap CI over blocks."""
    intersections, totals, per_block = [], [], []
    for (start, stop), prediction, truth in zip(blocks, predictions, truths):
        intersection = int((prediction & truth).sum())
        total = int(prediction.sum()) + int(truth.sum())
        intersections.append(intersection)
        totals.append(total)
        per_block.append({"slices": [start, stop], "dice": 2 * intersection / max(total, 1)})
    return {
        "dice_pooled": 2 * sum(intersections) / max(sum(totals), 1),
        "dice_ci95_bootstrap_blocks": bootstrap_pooled_dice(intersections, totals),
        "per_block": per_block,
    }


def reference_slices(model, ct, truth, blocks, restrict=None):
    """Per-slice Dice on a few fixed held-out slices, for the Node onnxruntime-web test."""
    refs = []
    for start, stop in blocks:
        for fraction in (0.35, 0.65):
            index = start + int(fraction * (stop - start))
            prediction = predict(model, ct, np.array([index]))[0]
            if restrict is not None:
                prediction = prediction & restrict[index]
            refs.append({"png_index": int(index), "dice": dice(prediction, truth[index])})
    return refs


def evaluate_single_model(model, task, ct, lungs, covid, blocks, log_line):
    truth = lungs if task == "lung" else covid
    predictions, truths = [], []
    for start, stop in blocks:
        indices = np.arange(start, stop)
        prediction = predict(model, ct, indices)
        if task == "lesion":
            # The pipeline keeps infection only inside the predicted lung. Here the reference lung replaces it.
            prediction = prediction & lungs[indices]
        predictions.append(prediction)
        truths.append(truth[indices])

    summary = dice_summary(predictions, truths, blocks)
    log_line(f"{task} validation Dice {summary['dice_pooled']:.4f} "
             f"CI95 {summary['dice_ci95_bootstrap_blocks']}")
    summary["reference_slices"] = reference_slices(
        model, ct, truth, blocks, restrict=lungs if task == "lesion" else None)
    summary["threshold"] = THRESHOLD
    return {"validation": summary}
