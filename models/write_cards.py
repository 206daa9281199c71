"""Write the model cards models/lung/README.md and models/lesion/README.md
from metrics.json, pipeline_metrics.json and, when present, transfer_metrics.json.
Usage: /usr/bin/python3 models/write_cards.py
"""

import json
import os
import textwrap

HERE = os.path.dirname(os.path.abspath(__file__))

TITLES = {
    "lung": "lunglens lung model (`lung.onnx`)",
    "lesion": "lunglens lesion model (`lesion.onnx`)",
}

PURPOSE = {
    "lung": (
        "Segments both lungs (parenchyma including vessels, infection and consolidation) on "
        "axial chest CT slices. The training masks have both lungs as one label, so the model "
        "has one output; the core splits it into right and left lung in patient coordinates "
        "(see Post-processing). There is no lobe output: the training data has no lobe labels."),
    "lesion": (
        "Segments COVID-19 infection (ground-glass opacity and consolidation together) on axial "
        "chest CT slices. The training data has one infection label, so the core splits the "
        "predicted infection into GGO and consolidation by HU thresholds (see Post-processing)."),
}

PREPROCESSING = """\
The published training PNGs are not in HU: each slice was min-max normalised and
contrast-enhanced with CLAHE (clip limit about 7) before it was saved. At inference the
core rebuilds that kind of image from HU (`core/segment/neural_input.cpp`, identical to
`models/clahe.py`, checked byte for byte by `tests/segment/neural_input_test.cpp`):

1. Resample the axial slice bilinearly onto a 256 x 256 grid that covers a square field of
   view of max(columns x column spacing, rows x row spacing), centred on the slice; samples
   outside the slice read -1024 HU.
2. Round to whole HU, clip to [-1024, 1024] HU and map linearly onto 0..255.
3. CLAHE: 8 x 8 tiles, clip limit 7 (OpenCV's definition), OpenCV's redistribution and
   bilinear blending of tile lookup tables, with integer rounding.
4. Divide by 255. The ONNX graph itself average-pools 2 x 2 to 128 x 128, runs the U-Net,
   upsamples the logits bilinearly to 256 x 256 and applies a sigmoid.

Training sees the PNGs as they are, plus strong intensity augmentation: gamma 0.6-1.6,
contrast 0.7-1.4, brightness +-0.08 and Gaussian noise up to 0.04. For 40 % of the
samples a random gamma (0.5-2.0) is followed by the inference CLAHE above, so the model
also sees that CLAHE's output. Geometric augmentation: flips on both axes (half of the
training cases are stored upside down), rotation +-15 degrees, scale 0.75-1.3, shift +-8 %.
"""

POSTPROCESSING = {
    "lung": """\
`core/segment/neural_output.cpp`: probabilities are interpolated bilinearly to every CT
voxel and thresholded at 0.5; padding voxels are never lung. A 3D face-connected component
is kept when four tests pass: its largest axial cross-section is at least 1500 mm2, its
volume at least 10 % of the largest component's, at least 10 % of its voxels lie below
-500 HU, and at most 30 % lie below -950 HU. Without a kept component the engine reports
"no lung found". The density
tests exist because the model, trained only on slices that show lung, marks soft tissue
and bowel of the upper abdomen as lung. The area and density limits were set after
looking at the covid-slices predictions (see Transfer), so those images are not an
independent test of these limits. Severe emphysema (more than 30 % of a lung below
-950 HU) would be rejected as gas; no emphysema scan was tested.
Right/left: LPS +x is the patient's left. The midline is the midpoint of the kept lung's
x extent, or the scan centre when at least 90 % of the lung lies on one side of the scan
centre (one lung in view). A component with at least 90 % of its voxels on one side of
the midline goes wholly to that side, and other components are cut at the midline.
There is no airway label: trachea and main bronchi
count as lung wherever the model includes them.
""",
    "lesion": """\
`core/segment/neural_output.cpp`: probabilities are interpolated bilinearly to every CT
voxel and thresholded at 0.5, then kept only inside the post-processed lung mask. Kept
voxels from -750 HU up to -300 HU are GGO, from -300 HU up to 150 HU consolidation (the
usual COVID-19 quantitative CT ranges, as the classical engine uses them); voxels outside
-750..150 HU are not counted. These thresholds are a documented rule, not learned: the
training data does not separate GGO from consolidation.
""",
}

DATA = """\
`covid-ct-seg-png256`: 1614 slices (256 x 256, 8-bit) with lung and infection masks from
the 20 cases of Ma et al., "COVID-19 CT Lung and Infection Segmentation Dataset" (Zenodo
3757476), as prepared by a public MIT-licensed repository. Every slice contains infection
(mean infection share of the lung about 13 %).

Licence terms: the dataset is CC BY 4.0, but its 10 Radiopaedia cases carry CC BY-NC-SA
terms. These weights were trained on both halves, so treat them as CC BY-NC-SA 4.0:
attribution to Ma et al. and Radiopaedia contributors, non-commercial use, share alike.
"""

FAILURE_MODES = {
    "lung": """\
- Trained on slices that all contain COVID-19 infection, from 20 patients; other diseases
  (effusion, large masses, post-surgical lungs) are unseen.
- The training CLAHE was applied to images of unknown HU scaling, and the inference window
  is a choice; very unusual reconstruction kernels or contrast phases may shift the result.
- Where the two lungs touch, the cut at the midline can miss the true boundary between
  them by several millimetres.
- 2D model: each slice is segmented on its own, so there is no 3D consistency beyond the
  connected-component filter.
""",
    "lesion": """\
- Trained on 20 patients only, so findings unlike theirs (for example dependent
  atelectasis, fibrosis or tumours) may be marked as infection; this is untested.
- The GGO/consolidation split is an HU rule, so dense GGO counts as consolidation and
  partial-volume voxels at vessels can move between the classes.
DIFFUSE_GGO
- The recall-weighted loss that reduced this underestimation raised the infection share on
  the LIDC series without pneumonia (see Transfer), still under the 2 % target.
- On covid-slices, the prior exam of A002304 (19001231-076.dcm, no reference) gets about
  the share of the first A046441 image; without reference masks for these images it is
  unknown which share is closer to the truth.
- Every training slice contains infection, so the model has seen few normal lungs; the
  transfer checks above measure the false-positive share on scans without pneumonia. Per
  zone it reaches 2.9-4.9 % in the lower zones of LIDC-IDRI-0001 and -0002 (dependent
  density), which scores 1 per zone (6/30 on LIDC-IDRI-0001). The report then carries the
  warning `within_normal_level` whenever no neural zone scores more than 1.
""",
}


def loss_name(recall_weight):
    if recall_weight == 0.5:
        return "soft Dice"
    return (f"Tversky loss (weight {recall_weight} on missed target pixels, "
            f"{1 - recall_weight:.1f} on false positives)")


def load(name):
    path = os.path.join(HERE, name)
    if not os.path.exists(path):
        return None
    with open(path) as source:
        return json.load(source)


def ci(values):
    return f"{values[0]:.3f}-{values[1]:.3f}"


def validation_section(name, metrics, pipeline):
    validation = metrics["validation"]
    lines = [
        f"Dice on the validation blocks (pooled over all validation voxels): "
        f"**{validation['dice_pooled']:.3f}** (95 % bootstrap CI over blocks {ci(validation['dice_ci95_bootstrap_blocks'])}).",
        "",
        "| validation block (PNG indices) | Dice |",
        "|---|---|",
    ]
    for block in validation["per_block"]:
        lines.append(f"| {block['slices'][0]}-{block['slices'][1] - 1} | {block['dice']:.3f} |")
    references = ", ".join(f"{r['png_index']:04d}.png {r['dice']:.3f}" for r in validation["reference_slices"])
    lines += ["", f"Per-slice Dice of held-out reference slices, which `tests/node/neural_models.test.mjs` "
              f"reproduces through onnxruntime-web within 0.01: {references}."]
    if name == "lesion":
        lines += ["", "The lesion Dice figures above keep the prediction inside the reference lung mask."]
    if name == "lung" and pipeline:
        # Robustness to consolidation: the lung Dice of the block with the most infection.
        blocks = pipeline["involvement"]["per_block"]
        worst = max(range(len(blocks)), key=lambda b: blocks[b]["involvement_percent_reference"])
        lines += ["", f"The most affected validation block ({blocks[worst]['slices'][0]}-{blocks[worst]['slices'][1] - 1}, "
                  f"infection {blocks[worst]['involvement_percent_reference']:.1f} % of the reference lung) has lung Dice "
                  f"{validation['per_block'][worst]['dice']:.3f}."]
    if pipeline:
        infection = pipeline["infection_inside_predicted_lung"]
        involvement = pipeline["involvement"]
        lines += [
            "",
            "Both models together (`models/evaluate_pipeline.py`, infection kept inside the predicted lung):",
            "",
            f"- lung Dice {pipeline['lung']['dice_pooled']:.3f} (CI {ci(pipeline['lung']['dice_ci95_bootstrap_blocks'])})",
            f"- infection Dice {infection['dice_pooled']:.3f} (CI {ci(infection['dice_ci95_bootstrap_blocks'])})",
            f"- involvement (infection % of lung) error per block: mean absolute "
            f"{involvement['mean_absolute_error_points']:.2f} points "
            f"(CI {ci(involvement['mean_absolute_error_ci95_bootstrap_blocks'])}), maximum "
            f"{involvement['max_absolute_error_points']:.2f} points",
            "",
            "| block | involvement predicted (%) | reference (%) | error (points) |",
            "|---|---|---|---|",
        ]
        for block in involvement["per_block"]:
            lines.append(f"| {block['slices'][0]}-{block['slices'][1] - 1} | {block['involvement_percent_predicted']:.2f} "
                         f"| {block['involvement_percent_reference']:.2f} | {block['involvement_error_points']:+.2f} |")
    if pipeline:
        lung_dice = pipeline["lung"]["dice_pooled"]
        infection_dice = pipeline["infection_inside_predicted_lung"]["dice_pooled"]
        error = pipeline["involvement"]["mean_absolute_error_points"]
        met = lambda ok: "met" if ok else "NOT met"
        lines += ["", "Targets: lung Dice >= 0.95 "
                  f"({met(lung_dice >= 0.95)}: {lung_dice:.3f}), infection Dice >= 0.75 "
                  f"({met(infection_dice >= 0.75)}: {infection_dice:.3f}), involvement error <= 5 points "
                  f"({met(error <= 5)}: mean {error:.1f}). These figures come from the PNG grid without the "
                  "core's density tests, which only remove non-lung components."]
    return "\n".join(lines)


def transfer_section(name, transfer):
    if not transfer:
        return "Not measured yet: run `node models/measure_transfer.mjs` after building the WebAssembly core."
    lines = [
        f"Measured {transfer['measured_at'][:10]} with `node models/measure_transfer.mjs` (WebAssembly core + "
        "onnxruntime-web, the same code path as the browser).",
        "",
        "| series (no pneumonia) | lung Dice vs classical | right | left | neural lung volume (mL) | classical lung volume (mL) | predicted infection (% of lung) |",
        "|---|---|---|---|---|---|---|",
    ]
    for series in transfer["series"]:
        lines.append(f"| {series['series']} | {series['lung_dice_vs_classical']:.3f} | {series['right_lung_dice_vs_classical']:.3f} "
                     f"| {series['left_lung_dice_vs_classical']:.3f} | {series['lung_volume_ml']} | {series.get('classical_lung_volume_ml', '-')} "
                     f"| {series['infection_percent_of_lung']} |")
    lines += ["", "| covid-slices image | lung found | infection (% of lung) |", "|---|---|---|"]
    for image in transfer["covid_slices"]:
        share = image["infection_percent_of_lung"]
        lines.append(f"| {image['image']} | {'yes' if image['lungs_found'] else 'no'} | {'-' if share is None else share} |")
    lidc_max = max(series["infection_percent_of_lung"] for series in transfer["series"])
    abdominal = [i for i in transfer["covid_slices"] if i["image"].split("/")[0] in ("A027284", "A058062", "A062055")]
    affected = [i["infection_percent_of_lung"] or 0 for i in transfer["covid_slices"] if i["image"].startswith("A046441")]
    met = lambda ok: "met" if ok else "NOT met"
    lines += ["", f"Targets: infection share under 2 % on LIDC ({met(lidc_max < 2)}: at most {lidc_max} %); "
              f"A046441 clearly affected ({met(min(affected) >= 10)}: {', '.join(str(a) for a in affected)} %); "
              "A027284, A058062 and A062055 (abdominal slices) without lung "
              f"({met(not any(i['lungs_found'] for i in abdominal))}). "
              "The lung Dice against the classical engine compares two methods, not a method with a reference, "
              "and where their lung masks differ was not examined."]
    return "\n".join(lines)


def diffuse_ggo_section(pipeline, probe):
    """Return the failure-mode bullet on diffuse GGO, with the numbers of the probe when it ran."""
    worst = max(pipeline["involvement"]["per_block"], key=lambda b: abs(b["involvement_error_points"]))
    start, stop = worst["slices"]
    text = (f"- It underestimates involvement in the most affected validation blocks, by "
            f"{-worst['involvement_error_points']:.0f} points where the reference is "
            f"{worst['involvement_percent_reference']:.0f} % (block {start}-{stop - 1}). That case has diffuse GGO "
            "over almost all of both lungs. The training images were CLAHE-enhanced per slice, which removes most "
            "of the absolute density that sets diffuse GGO apart from normal lung, so the model misses it.")
    if probe:
        low, high = probe["mean_over_slices"][0], probe["mean_over_slices"][-1]
        text += (f" `models/probe_diffuse_ggo.py` adds {high['offset_hu']:.0f} HU to every lung voxel of three "
                 f"slices of {probe['series']} (mean lung density {low['lung_mean_hu']:.0f} -> "
                 f"{high['lung_mean_hu']:.0f} HU): the windowed input inside the lung rises by "
                 f"{high['windowed_mean_in_lung'] - low['windowed_mean_in_lung']:.0f} grey levels, the model input "
                 f"after CLAHE by {high['model_input_mean_in_lung'] - low['model_input_mean_in_lung']:.0f}, and the "
                 f"predicted infection goes from {low['predicted_infection_percent_of_lung']:.1f} to "
                 f"{high['predicted_infection_percent_of_lung']:.1f} % of the lung.")
    text += (" Treat high neural involvement figures as lower bounds, and compare them with the classical "
             "engine, which measures density in HU. Closing this gap needs training scans in HU.")
    return "\n  ".join(textwrap.wrap(text, 88)) + "\n"


def card(name):
    metrics = load(os.path.join(name, "metrics.json"))
    pipeline = load("pipeline_metrics.json")
    transfer = load("transfer_metrics.json")
    blocks = ", ".join(f"{start}-{stop - 1}" for start, stop in metrics["blocks"])
    validation_blocks = ", ".join(f"{start}-{stop - 1}" for start, stop in metrics["validation_blocks"])
    sections = [
        f"# {TITLES[name]}",
        "",
        PURPOSE[name],
        "",
        "## Architecture",
        "",
        f"{metrics['architecture']}; {metrics['parameters']} parameters; "
        f"{metrics.get('flops_per_slice', 0) / 1e9:.3f} GFLOP per 256 x 256 slice "
        "(2 per multiply-accumulate of the convolutions). ONNX opset 13, input `ct` "
        "[batch, 1, 256, 256] float32 in 0..1, output `probability` [batch, 1, 256, 256]. "
        "float32 weights, not quantised: the file is already about 1 MB or less.",
        "",
        "## Input preprocessing",
        "",
        PREPROCESSING,
        "## Post-processing",
        "",
        POSTPROCESSING[name],
        "## Training data and licence",
        "",
        DATA,
        "## Training",
        "",
        f"`models/train.sh` (one command; PyTorch {metrics['torch']} CPU). Seed {metrics['seed']}, "
        f"{metrics['iterations']} Adam steps of {metrics['batch']} slices, one-cycle learning rate up to "
        f"{metrics['learning_rate']}, loss binary cross-entropy + {loss_name(metrics.get('recall_weight', 0.5))}. "
        f"{metrics['training_slices']} training slices; training took {metrics['training_seconds'] / 60:.1f} min "
        "on 2 CPU cores shared with other jobs. The log is `training.log`, the numbers `metrics.json` "
        "(`evaluation.log` when `train.py --evaluate-only` validated the checkpoint again), the "
        "PyTorch weights `checkpoint.pt`. The lung model's 500 steps were fixed by the training-time "
        "budget of this machine. Two runs of its command on one machine (AMD EPYC, 2 cores, "
        "2026-12-05) gave byte-identical weights (validation Dice 0.965), while the earlier "
        "weights from an Intel Xeon had 0.966: the CPU and the thread count change the rounding. "
        "The lesion model trained for 700 steps (validation Dice 0.600), then 1400 steps (0.652), "
        "both with the soft Dice loss. The 1400-step model underestimated the infection, so the "
        "kept weights trained for 2000 steps with the Tversky loss (weight 0.7 on missed infection). "
        "The validation blocks took part in these choices.",
        "",
        "## Validation split",
        "",
        "Consecutive PNG numbers mostly come from the same case, so random slices would leak "
        "neighbours of training slices into validation. Case blocks were found from the data. A "
        "new block starts where the Pearson correlation between neighbouring CT images drops below "
        "0.6, while within one scan neighbours correlate at 0.65-0.99 (median 0.96). Blocks shorter "
        "than 15 slices are merged into the preceding one, because they are thick-slice scans where "
        f"one low correlation cut a case. This gives {len(metrics['blocks'])} blocks for the 20 cases: {blocks}. "
        "Every third block (index 2, 5, 8, ...) is validation and never seen in training: "
        f"{validation_blocks}. Confidence intervals are 2000 bootstrap resamples of the validation blocks.",
        "",
        "## Metrics",
        "",
        validation_section(name, metrics, pipeline),
        "",
        "## Transfer to real DICOM",
        "",
        transfer_section(name, transfer),
        "",
        "## Known failure modes",
        "",
        FAILURE_MODES[name].replace("DIFFUSE_GGO\n", diffuse_ggo_section(pipeline, load("probe_diffuse_ggo.json"))),
    ]
    with open(os.path.join(HERE, name, "README.md"), "w") as out:
        out.write("\n".join(sections))


if __name__ == "__main__":
    for model in ("lung", "lesion"):
        card(model)
