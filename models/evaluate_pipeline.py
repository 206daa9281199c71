"""Evaluate the lung and lesion models together on the validation blocks.

Writes pipeline_metrics.json: infection Dice with the infection kept inside
the predicted lung (as the core's post-processing does) and the error of the
involvement percent (infection volume / lung volume x 100) per block.
Usage: /usr/bin/python3 models/evaluate_pipeline.py --lung lung --lesion lesion
"""

import argparse
import json
import os

import numpy as np
import torch

import dataset
import evaluation
from train import ExportedSegmenter, SliceSegmenter


def load_model(folder):
    checkpoint = torch.load(os.path.join(folder, "checkpoint.pt"))
    model = SliceSegmenter(checkpoint["widths"])
    model.load_state_dict(checkpoint["state"])
    model.eval()
    return ExportedSegmenter(model)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lung", required=True, help="folder of the lung model")
    parser.add_argument("--lesion", required=True, help="folder of the lesion model")
    parser.add_argument("--data", default=dataset.default_data_dir())
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    ct, lungs, covid, _ = dataset.load_triplets(args.data)
    _, validation_blocks = dataset.split_blocks(dataset.find_case_blocks(ct))
    lung_model = load_model(args.lung)
    lesion_model = load_model(args.lesion)

    lung_predictions, infection_predictions, lung_truths, infection_truths = [], [], [], []
    per_block = []
    for start, stop in validation_blocks:
        indices = np.arange(start, stop)
        lung = evaluation.predict(lung_model, ct, indices)
        infection = evaluation.predict(lesion_model, ct, indices) & lung
        lung_predictions.append(lung)
        infection_predictions.append(infection)
        lung_truths.append(lungs[indices])
        infection_truths.append(covid[indices] & lungs[indices])

        predicted_percent = 100.0 * infection.sum() / max(int(lung.sum()), 1)
        true_percent = 100.0 * infection_truths[-1].sum() / max(int(lungs[indices].sum()), 1)
        per_block.append({"slices": [start, stop],
                          "involvement_percent_predicted": round(float(predicted_percent), 2),
                          "involvement_percent_reference": round(float(true_percent), 2),
                          "involvement_error_points": round(float(predicted_percent - true_percent), 2)})

    errors = [abs(b["involvement_error_points"]) for b in per_block]
    metrics = {
        "validation_blocks": validation_blocks,
        "lung": evaluation.dice_summary(lung_predictions, lung_truths, validation_blocks),
        "infection_inside_predicted_lung": evaluation.dice_summary(
            infection_predictions, infection_truths, validation_blocks),
        "involvement": {
            "per_block": per_block,
            "mean_absolute_error_points": float(np.mean(errors)),
            "max_absolute_error_points": float(np.max(errors)),
            "mean_absolute_error_ci95_bootstrap_blocks": evaluation.bootstrap_mean(errors),
        },
    }
    with open("pipeline_metrics.json", "w") as out:
        json.dump(metrics, out, indent=2)
    print(json.dumps({k: v for k, v in metrics.items() if k != "validation_blocks"}, indent=1)[:3000])


if __name__ == "__main__":
    main()
