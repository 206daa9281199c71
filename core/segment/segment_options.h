// Thresholds and sizes of the lung segmenter. Each default is explained where
// it is declared; HU values refer to calibrated CT (air -1000 HU, water 0 HU).
#pragma once

namespace lunglens {

struct SegmentOptions {
  // --- Body and lung air ---

  // Tissue threshold of the body outline: fat is about -100 HU, so -500 HU
  // keeps all tissue and drops air, blankets and most of the table foam.
  float body_threshold_hu = -500.0f;

  // Voxels below this inside the body are lung air candidates. -400 HU is
  // about halfway between aerated lung (about -850 HU) and soft tissue
  // (about +40 HU), so the mask edge sits at the partial-volume midpoint.
  float lung_air_max_hu = -400.0f;

  // Diffuse GGO can leave whole lung regions above lung_air_max_hu. Voxels
  // below dense_lung_max_hu farther than dense_lung_clearance_mm (in plane)
  // from voxels at or above it join the lung candidates. -200 HU stays below
  // fat (about -100 HU), so mediastinal and pleural fat do not join, and the
  // clearance keeps out the partial-volume rims next to tissue.
  float dense_lung_max_hu = -200.0f;
  double dense_lung_clearance_mm = 1.5;

  // An air component is gas (bowel, stomach, air pockets between skin folds,
  // an isolated trachea), not aerated lung, when more than gas_max_fraction
  // of its voxels lie below gas_hu. Aerated lung is about -850 HU with only a
  // few voxels below -950 HU; even severe emphysema stays well under 70 %.
  float gas_hu = -950.0f;
  double gas_max_fraction = 0.7;

  // Bowel gas (colon, stomach) lies in the anterior abdomen, partly mixed
  // with stool and thin walls, so fewer of its voxels reach -950 HU. A lung
  // always reaches the posterior half of the body (the lower lobes are
  // dorsal), and an aerated lung part that stays anterior, beside a
  // consolidated dorsal lung, has lung density. So a component that stays in
  // the anterior half of the body is gas when more than
  // anterior_gas_max_fraction of it lies below anterior_gas_hu. Measured on
  // single CT slices: colon gas 55-85 % below -900 HU, aerated lung
  // (COVID-19 and normal) at most 16 %.
  float anterior_gas_hu = -900.0f;
  double anterior_gas_max_fraction = 0.4;

  // Minimum size of a lung component: min_lung_area_mm2 times the scanned
  // craniocaudal extent, capped at min_lung_volume_ml. So a single 5 mm
  // slice needs 2.5 mL (500 mm^2), a whole chest 30 mL.
  double min_lung_area_mm2 = 500.0;
  double min_lung_volume_ml = 30.0;

  // --- Ribcage ---

  // The lungs fill the ribcage: per axial slice, the convex hull of the bone
  // inside the body (cortical bone is above 200 HU; contrast-filled vessels
  // and calcifications also exceed it but lie inside the ribcage anyway).
  // The hull is trusted only when the slice shows at least
  // ribcage_min_bone_mm2 of bone and the hull covers at least
  // ribcage_min_body_fraction of the body area; apex and base slices with a
  // few rib fragments, and phantoms without bone, fall back to the air
  // threshold alone.
  float bone_min_hu = 200.0f;
  double ribcage_min_bone_mm2 = 1000.0;
  double ribcage_min_body_fraction = 0.4;

  // Where the body is wider than the scan field, the tissue at the edge of
  // the reconstruction circle reads above bone_min_hu (truncation artefact).
  // Bone within this distance of padding, along its row or column, is not
  // used for the hull.
  double ribcage_padding_margin_mm = 15.0;

  // An air component with more than this fraction of its voxels (counted on
  // slices with a trusted hull) outside the ribcage hull is not lung: an air
  // pocket between arm and chest wall, or between skin folds.
  double ribcage_outside_max_fraction = 0.5;

  // --- Airway ---

  // Lumen threshold for tracking the trachea and main bronchi: below aerated
  // lung (about -850 HU), above air (-1000 HU).
  float airway_lumen_max_hu = -900.0f;

  // Cross-section limits of a trachea seed: an adult trachea is 13-25 mm wide.
  double trachea_min_area_mm2 = 50.0;
  double trachea_max_area_mm2 = 700.0;
  double trachea_max_offset_mm = 30.0;  // Lateral distance of its centre from the body midline.

  // Tracking continues this far below the carina along each main bronchus,
  // unless the lumen leaks into the lung first.
  double bronchus_length_mm = 30.0;

  // --- Pleura ---

  // In-plane closing radius of each lung, so the mask follows the pleura over
  // dense lesions at the lung surface rather than the air threshold.
  double pleural_closing_radius_mm = 8.0;

  // A voxel added by the closing stays only when lung lies within
  // enclosure_ray_mm in at least min_enclosing_directions of 8 in-plane
  // directions. The heart and mediastinum border lung on one side only.
  double enclosure_ray_mm = 40.0;
  int min_enclosing_directions = 5;

  // A dense lesion on the costal pleura bites into the air mask, often wider
  // than any in-plane closing can bridge, but only over a few centimetres of
  // height. So gaps of up to costal_gap_mm between lung voxels of the same
  // craniocaudal column join the lung, where they lie within
  // chest_wall_depth_mm of the body surface in their slice. That depth keeps
  // the hila, the heart and the liver dome out (in the synthetic phantom
  // the hila lie 65 mm or more below the skin, the deepest point of the
  // dependent consolidation 55 mm).
  double costal_gap_mm = 60.0;
  double chest_wall_depth_mm = 60.0;

  // An in-plane hole of a lung is not filled when more than half of it, and
  // at least this area, lies on tissue outside the lung in the adjacent slice
  // (or on such a hole): a dome of the diaphragm or the aorta bulging into
  // the lung. 150 mm^2 is a disc of about 14 mm, wider than the lobar
  // arteries (up to about 12 mm across, see consolidation_core_radius_mm).
  double bulge_min_area_mm2 = 150.0;

  // Upper limit of what the closing may add: above it lies bone (ribs, spine).
  float pleural_max_hu = 200.0f;

  // --- Lesions ---

  // GGO from ggo_min_hu up to consolidation_min_hu, consolidation from there
  // to consolidation_max_hu. These are the usual ranges of COVID-19
  // quantitative CT (GGO about -750..-300 HU, consolidation about -300 HU up to
  // soft tissue). Above +150 HU lie calcification and contrast-filled vessels.
  float ggo_min_hu = -750.0f;
  float consolidation_min_hu = -300.0f;
  float consolidation_max_hu = 150.0f;

  // Dependent-density correction: per lung and per 10 mm band along the
  // anterior-posterior axis, the GGO threshold rises to the 25th percentile of
  // aerated lung (below -500 HU) plus dependent_margin_hu, but never above
  // ggo_min_hu_limit, so a gravity-dependent density gradient in normal lung is
  // not counted while GGO (typically -700 HU and above) is.
  float dependent_margin_hu = 100.0f;
  float ggo_min_hu_limit = -650.0f;
  double dependent_band_mm = 10.0;

  // In-plane opening radius that removes the partial-volume rims of vessels,
  // airway walls and the pleura (up to about 5 mm across) from the GGO
  // mask, and the minimum lesion size.
  double vessel_radius_mm = 2.5;
  double min_lesion_ml = 0.05;

  // A GGO component is partial volume of the diaphragm dome, the apex or
  // another surface lying almost in the slice plane, not GGO, when more than
  // partial_volume_max_fraction of its voxels have tissue outside the lung
  // within partial_volume_depth_mm above or below them. Tissue means at least
  // consolidation_min_hu, and the depth reaches at least the adjacent slice.
  // A real GGO lesion touches the diaphragm only with its lowest layer.
  double partial_volume_depth_mm = 3.0;
  double partial_volume_max_fraction = 0.5;

  // Consolidation has the density of blood, so it must contain a 3D ball of
  // this radius: wider than intrapulmonary vessels (lobar arteries are up to
  // about 12 mm across) and than the blobs where vessels converge, which are
  // wide in plane but thin along another axis. Its edge within
  // consolidation_margin_mm of such a core (and at least the adjacent
  // slices) belongs to it. A wider margin takes in the vessels that touch
  // the consolidation.
  double consolidation_core_radius_mm = 7.0;
  double consolidation_margin_mm = 2.0;
};

}  // namespace lunglens
