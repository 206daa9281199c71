"""HU-to-model-input transform shared with core/segment/neural_input.cpp.

The training PNGs were min-max normalised per slice and contrast-enhanced with
CLAHE (clip limit about 7) before they were published, so their HU values are
lost. At inference the same kind of image is rebuilt from HU: clip to the
window below, map linearly to 0..255, then apply the CLAHE implemented here.
Every step uses integer arithmetic so that this file and the C++ port give
bit-identical bytes.
"""

import numpy as np

WINDOW_MIN_HU = -1024
WINDOW_MAX_HU = 1024
TILE_GRID = 8            # Tiles per axis, as the OpenCV default.
CLIP_LIMIT = 7.0         # Relative clip limit, as OpenCV: bins hold at most clip * tile_area / 256.
GRID_SIZE = 256          # Side of the square grid on which CLAHE runs (pixels).


def window_to_uint8(hu):
    """Map HU to 0..255: values are clipped to the window, then rounded half up."""
    clipped = np.clip(np.asarray(hu, dtype=np.int64), WINDOW_MIN_HU, WINDOW_MAX_HU)
    span = WINDOW_MAX_HU - WINDOW_MIN_HU
    return ((clipped - WINDOW_MIN_HU) * 255 * 2 + span) // (2 * span)


def clahe_uint8(image):
    """Apply contrast-limited adaptive histogram equalisation to a 256x256 uint8 image.

    The algorithm follows OpenCV's CLAHE but rounds with integers instead of
    floats. The excess above the clip limit is spread evenly over all bins and
    the remainder one count per bin at a fixed step. Tile lookup tables are
    blended bilinearly between tile centres.
    """
    image = np.asarray(image)
    if image.shape != (GRID_SIZE, GRID_SIZE):
        raise ValueError(f"CLAHE expects a {GRID_SIZE}x{GRID_SIZE} image, got {image.shape}")
    tile = GRID_SIZE // TILE_GRID
    tile_area = tile * tile
    clip = max(int(CLIP_LIMIT * tile_area / 256), 1)

    tiles = image.astype(np.int64).reshape(TILE_GRID, tile, TILE_GRID, tile).transpose(0, 2, 1, 3)
    tiles = tiles.reshape(TILE_GRID * TILE_GRID, tile_area)
    offsets = np.arange(TILE_GRID * TILE_GRID)[:, None] * 256
    hist = np.bincount((tiles + offsets).ravel(), minlength=256 * TILE_GRID * TILE_GRID)
    hist = hist.reshape(TILE_GRID * TILE_GRID, 256)

    excess = np.maximum(hist - clip, 0).sum(axis=1)
    hist = np.minimum(hist, clip) + (excess // 256)[:, None]
    residual = excess % 256
    for t in range(hist.shape[0]):
        if residual[t] > 0:
            step = max(256 // residual[t], 1)
            bins = np.arange(0, 256, step)[: residual[t]]
            hist[t, bins] += 1

    lut = (np.cumsum(hist, axis=1) * 255 * 2 + tile_area) // (2 * tile_area)
    lut = np.minimum(lut, 255).reshape(TILE_GRID, TILE_GRID, 256)

    # The centre of pixel x (at x + 0.5) lies (2x + 1 - tile) / (2 tile) tiles
    # past the first tile centre, so the blend weights are exact multiples of 1 / (2 tile).
    position = 2 * np.arange(GRID_SIZE) + 1 - tile
    low = np.floor_divide(position, 2 * tile)
    weight = position - low * 2 * tile
    low_index = np.clip(low, 0, TILE_GRID - 1)
    high_index = np.clip(low + 1, 0, TILE_GRID - 1)
    scale = 2 * tile

    values = image.astype(np.int64)
    wy = weight[:, None]
    wx = weight[None, :]
    y0 = low_index[:, None]
    y1 = high_index[:, None]
    x0 = low_index[None, :]
    x1 = high_index[None, :]
    blended = (lut[y0, x0, values] * (scale - wx) * (scale - wy)
               + lut[y0, x1, values] * wx * (scale - wy)
               + lut[y1, x0, values] * (scale - wx) * wy
               + lut[y1, x1, values] * wx * wy)
    total = scale * scale
    return ((blended * 2 + total) // (2 * total)).astype(np.uint8)


def hu_slice_to_model_input(hu_256):
    """Return the float32 model input (0..1) of one HU slice already resampled to 256x256."""
    return clahe_uint8(window_to_uint8(hu_256)).astype(np.float32) / 255.0
