// Quantification of a lung segmentation: per lung and for both lungs the lung
// volume, GGO and consolidation volume and percent, mean lung density, HU
// histogram and density bands, and per craniocaudal zone the involvement and
// a 0-5 score (total 0-30).
#pragma once

#include "quantify/lung_quantification.h"
#include "segment/lung_labels.h"
#include "volume/volume.h"

namespace lunglens {

// Quantifies `segmentation` on the grid of `volume`. Work is linear in the
// voxel count and split over slices with parallel_for; the numbers do not
// depend on the thread count.
//
// Rejected (ok false, diagnostic invalid_argument naming the fault): grids of
// different size or placement, buffers whose length is not the voxel count,
// lung labels other than LungLabel values, lesion labels other than
// LesionLabel values. A segmentation with lungs_found false gives ok false
// with an error. Warnings: lesion labels outside a lung (ignored), lung
// voxels that are padding (left out of the density statistics), an empty
// lung. An empty `lesions` vector means no lesion was labelled.
LungQuantification quantify(const HuVolume& volume, const LungSegmentation& segmentation);

}  // namespace lunglens
