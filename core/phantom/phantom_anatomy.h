// Analytic anatomy of the chest phantom in LPS millimetres (+x patient left,
// +y posterior, +z head). The grid centre is (0, 0, 0), the body axis is the
// z axis, the lung apices reach z = +138 mm and the costophrenic recesses
// about z = -143 mm. Every shape here is a pure function of position, so the
// phantom can be sampled on any grid.
#pragma once

#include <cstdint>
#include <vector>

#include "phantom/chest_phantom.h"
#include "volume/geometry.h"

namespace lunglens::phantom {

// Label and HU of the base shapes (everything except tubes and lesions) at a point.
struct BaseSample {
  PhantomLabel label = PhantomLabel::outside;
  float hu = -1000.0f;
};

// Side of the patient the table lies on. It moves only the table.
enum class TableSide { posterior, anterior };

// Returns the label and HU of body, table, bones, heart, mediastinum, abdomen
// and textured lung parenchyma at an LPS point (mm).
BaseSample sample_base(double x, double y, double z, TableSide table_side);

// Returns right_lung, left_lung or outside: whether the point lies in a lung
// by the base shapes alone (tubes carved later are not considered).
PhantomLabel lung_side(double x, double y, double z);

// A straight tube between two points (a capsule), radius in mm.
struct Tube {
  Vec3 a{};
  Vec3 b{};
  double radius_mm = 0.0;
  double lumen_radius_mm = 0.0;  // Airways only: the air-filled lumen inside the wall.
};

// Returns the squared distance (mm^2) from p to the tube axis segment.
double squared_distance_to_axis(const Tube& tube, const Vec3& p);

// Aorta (ascending, arch, descending), great vessels, superior vena cava,
// esophagus and the pulmonary arteries up to the hila. They are painted at
// +40 HU with a 3 mm fat margin carved out of the lungs.
const std::vector<Tube>& mediastinal_tubes();

// Trachea (entering from above the volume) and the two main bronchi from the
// carina into each lung, with lumen and wall radii.
const std::vector<Tube>& airway_tubes();

// Margin of mediastinal fat between a mediastinal tube and the lung, in mm.
inline constexpr double kMediastinalMarginMm = 3.0;

enum class LesionKind { ground_glass, consolidation };

// A lesion: an ellipsoid with a noisy boundary, restricted to lung voxels.
struct Lesion {
  LesionKind kind = LesionKind::ground_glass;
  Vec3 centre_mm{};
  Vec3 radii_mm{};
  std::uint32_t shape_seed = 0;
};

// Returns the lesions for a lesion load. Radii scale with the cube root of the
// load, so lesion volumes grow about linearly with it. Load 0 gives none.
std::vector<Lesion> lesions_for_load(double lesion_load);

// Returns true when p lies inside the lesion's noisy ellipsoid.
bool lesion_contains(const Lesion& lesion, const Vec3& p);

// Returns the HU texture of a lesion at p, before image noise.
float lesion_hu(const Lesion& lesion, const Vec3& p);

// HU of the materials the tubes and vessels paint.
inline constexpr float kBloodHu = 40.0f;
inline constexpr float kAirwayWallHu = 50.0f;
inline constexpr float kAirHu = -1000.0f;
inline constexpr float kMediastinalFatHu = -80.0f;

}  // namespace lunglens::phantom
