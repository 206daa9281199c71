#include "phantom/phantom_anatomy.h"

#include <algorithm>
#include <cmath>

#include "phantom/phantom_random.h"

namespace lunglens::phantom {
namespace {

// Seeds of the fixed tissue textures. The anatomy is the same for every
// PhantomOptions::seed, which only drives the image noise.
constexpr std::uint32_t kLungTextureSeed = 11u;
constexpr std::uint32_t kBoneTextureSeed = 23u;
constexpr std::uint32_t kLesionTextureSeed = 37u;

// Chest wall layers, as depth below the skin along the ray from the body axis (mm).
constexpr double kFatDepthMm = 12.0;     // Subcutaneous fat: 0 .. 12 mm.
constexpr double kMuscleDepthMm = 22.0;  // Pectoral / back muscle: 12 .. 22 mm.
constexpr double kCavityDepthMm = 32.0;  // Ribs and intercostal muscle: 22 .. 32 mm.
constexpr double kRibDepthMm = 27.0;     // Centre of the rib band.

constexpr float kFatHu = -100.0f;
constexpr float kMuscleHu = 50.0f;
constexpr float kSoftTissueHu = 30.0f;
constexpr float kLiverHu = 60.0f;
constexpr float kBowelHu = 40.0f;

struct BodySize {
  double semi_x_mm;
  double semi_y_mm;
};

// Body cross-section: 344 x 244 mm up to z = +40 mm, narrowing towards the
// thoracic inlet.
BodySize body_size(double z) {
  const double t = std::clamp((z - 40.0) / 110.0, 0.0, 1.0);
  const double taper = t * t;
  return {172.0 - 22.0 * taper, 122.0 - 14.0 * taper};
}

// Dome-shaped diaphragm under each lung: a paraboloid per side, the right
// dome higher (liver). Points below it belong to the abdomen.
double diaphragm_z(double x, double y) {
  const bool right = x < 0.0;
  const double top = right ? -66.0 : -75.0;
  const double dome_x = right ? -65.0 : 65.0;
  const double dome_y = -5.0;
  const double rho2 = (x - dome_x) * (x - dome_x) + (y - dome_y) * (y - dome_y);
  return top - rho2 / (2.0 * 60.0);
}

// Upper limit of each lung: a posterior apex at z = +138 mm, falling off
// anteriorly and laterally.
double apex_z(double x, double y) {
  const double dx = std::abs(x) - 55.0;
  const double dy = y - 10.0;
  return 138.0 - dx * dx / (2.0 * 38.0) - dy * dy / (2.0 * 60.0);
}

// Heart: ellipsoid above its centre, elliptic cylinder below it down to the
// diaphragm. Returns the normalised radius (1 on the surface).
constexpr Vec3 kHeartCentre{38.0, -28.0, -48.0};
constexpr Vec3 kHeartSemi{70.0, 52.0, 50.0};

double heart_radius(double x, double y, double z) {
  const double u = (x - kHeartCentre[0]) / kHeartSemi[0];
  const double v = (y - kHeartCentre[1]) / kHeartSemi[1];
  const double w = z > kHeartCentre[2] ? (z - kHeartCentre[2]) / kHeartSemi[2] : 0.0;
  return std::sqrt(u * u + v * v + w * w);
}

// Mediastinal column from the thoracic inlet to the diaphragm (trachea,
// esophagus, great vessels and their fat), behind the anterior junction.
bool in_column(double x, double y) {
  const double u = x / 22.0;
  const double v = (y - 24.0) / 48.0;
  return u * u + v * v <= 1.0;
}

// Half thickness of the tissue septum between the lungs at the anterior
// junction, where nothing else separates them.
// NOTE: labels are sampled at voxel centres, so on grids with more than 2 mm
// between columns the septum can fall between centres and the lungs touch.
constexpr double kSeptumHalfMm = 1.0;

// Thoracic spine: vertebral body, posterior arch around the canal, spinous
// and transverse processes. Returns true and the HU when p is bone or canal.
constexpr double kVertebraY = 58.0;
constexpr double kVertebraRadius = 18.0;
constexpr double kCanalY = 86.0;

bool sample_spine(double x, double y, double z, float& hu) {
  const double dx = x;
  const double dy = y - kVertebraY;
  const double body_r = std::sqrt(dx * dx + dy * dy);
  if (body_r <= kVertebraRadius) {
    // Intervertebral discs every 26 mm, 6 mm thick.
    const double phase = std::fmod(z + 1300.0, 26.0);
    if (phase < 3.0 || phase > 23.0) {
      hu = 90.0f;
    } else if (body_r > kVertebraRadius - 2.0) {
      hu = 700.0f;  // Cortical rim.
    } else {
      hu = 320.0f + 60.0f * texture_noise(x, y, z, 5.0, kBoneTextureSeed);
    }
    return true;
  }

  const double cy = y - kCanalY;
  const double canal_r = std::sqrt(x * x + cy * cy);
  if (canal_r <= 8.0) {
    hu = 15.0f;  // Spinal canal (CSF and cord).
    return true;
  }
  if (canal_r <= 13.0 && y > kVertebraY + 12.0) {
    hu = 550.0f;  // Pedicles and laminae.
    return true;
  }
  if (std::abs(x) <= 4.0 && y > kCanalY && y <= 110.0) {
    hu = 550.0f;  // Spinous process.
    return true;
  }
  // Transverse processes, pointing posterolaterally from the arch.
  const double ax = std::abs(x);
  const double t = std::clamp(((ax - 12.0) * 20.0 + (y - 82.0) * 10.0) / 500.0, 0.0, 1.0);
  const double px = ax - (12.0 + 20.0 * t);
  const double py = y - (82.0 + 10.0 * t);
  if (px * px + py * py <= 4.5 * 4.5) {
    hu = 550.0f;
    return true;
  }
  return false;
}

// Region kept free of lung around the spine: the bones above plus a 4 mm
// margin of paravertebral soft tissue.
bool in_paravertebral(double x, double y) {
  const double dy = y - kVertebraY;
  if (x * x + dy * dy <= (kVertebraRadius + 4.0) * (kVertebraRadius + 4.0)) return true;
  if (std::abs(x) <= 24.0 && y >= kVertebraY) return true;
  return std::abs(x) <= 38.0 && y >= kCanalY - 11.0;  // Contains the transverse processes.
}

// Twelve ribs per side as elliptic tubes in the rib band. A rib rises
// posteriorly: its z falls by 42 mm from the spine to its anterior end.
// cos_phi is the cosine of the angle from the posterior midline.
bool sample_rib(double z, double depth, double cos_phi, float& hu) {
  if (cos_phi > 0.94 || cos_phi < -0.83) return false;
  const double drop = 42.0 * (1.0 - cos_phi) / 2.0;
  const double n = std::round((128.0 - drop - z) / 24.0);
  if (n < 0.0 || n > 11.0) return false;
  const double rib_z = 128.0 - drop - 24.0 * n;
  const double u = (depth - kRibDepthMm) / 4.5;
  const double v = (z - rib_z) / 6.5;
  const double q = u * u + v * v;
  if (q > 1.0) return false;
  if (cos_phi < -0.65) {
    hu = 150.0f;  // Costal cartilage.
  } else {
    hu = q > 0.45 ? 750.0f : 250.0f;  // Cortex around marrow.
  }
  return true;
}

bool sample_sternum(double x, double y, double z, double depth, float& hu) {
  if (y >= 0.0 || z < -90.0 || z > 95.0) return false;
  const double u = x / 15.0;
  const double v = (depth - kRibDepthMm) / 5.0;
  const double q = u * u + v * v;
  if (q > 1.0) return false;
  hu = q > 0.5 ? 650.0f : 300.0f;
  return true;
}

// Patient table: a curved plate (400 HU skins around a 220 HU core), 8 mm
// below the back at the midline and rising towards its edges.
bool sample_table(double x, double y, TableSide side, float& hu) {
  if (std::abs(x) > 215.0) return false;
  const double depth_axis = side == TableSide::posterior ? y : -y;
  const double top = 130.0 - x * x / (2.0 * 700.0);
  const double below = depth_axis - top;
  if (below < 0.0 || below > 14.0) return false;
  hu = (below < 2.5 || below > 11.5) ? 400.0f : 220.0f;
  return true;
}

float lung_parenchyma_hu(double x, double y, double z) {
  // Slightly denser posteriorly, as in a supine scan (about +/- 10 HU).
  const float gradient = static_cast<float>(0.11 * y);
  return -852.0f + gradient + 22.0f * texture_noise(x, y, z, 9.0, kLungTextureSeed);
}

BaseSample soft(float hu) { return {PhantomLabel::body, hu}; }

// Cavity content: abdomen, paravertebral tissue, heart, mediastinum, septum or lung.
BaseSample sample_cavity(double x, double y, double z) {
  if (in_paravertebral(x, y)) return soft(kSoftTissueHu);

  if (z < diaphragm_z(x, y)) {
    // Gastric fundus gas under the left dome.
    const double gx = x - 70.0, gy = y + 20.0, gz = z + 108.0;
    if (gx * gx + gy * gy + gz * gz <= 22.0 * 22.0) return soft(kAirHu);
    return soft(x < 20.0 ? kLiverHu : kBowelHu);
  }

  const double heart_r = heart_radius(x, y, z);
  const double heart_margin = 3.0 / kHeartSemi[1];
  if (heart_r <= 1.0 - heart_margin) return soft(kBloodHu);
  if (heart_r <= 1.0 + heart_margin) return soft(-90.0f);  // Epicardial and pericardial fat.

  if (in_column(x, y)) return soft(kMediastinalFatHu);
  if (std::abs(x) <= kSeptumHalfMm) return soft(20.0f);
  if (z > apex_z(x, y)) return soft(kSoftTissueHu);

  return {x < 0.0 ? PhantomLabel::right_lung : PhantomLabel::left_lung, lung_parenchyma_hu(x, y, z)};
}

}  // namespace

BaseSample sample_base(double x, double y, double z, TableSide table_side) {
  const BodySize size = body_size(z);
  const double qx = x / size.semi_x_mm;
  const double qy = y / size.semi_y_mm;
  const double q = std::sqrt(qx * qx + qy * qy);

  float hu = 0.0f;
  if (q > 1.0) {
    if (sample_table(x, y, table_side, hu)) return {PhantomLabel::table, hu};
    return {PhantomLabel::outside, kAirHu};
  }

  if (sample_spine(x, y, z, hu)) return soft(hu);

  // Depth below the skin along the ray from the body axis: exact for circles,
  // close for this mildly elliptic cross-section.
  const double r = std::sqrt(x * x + y * y);
  const double depth = q > 0.0 ? r / q - r : size.semi_y_mm;
  if (depth < kFatDepthMm) return soft(kFatHu);
  if (depth < kMuscleDepthMm) return soft(kMuscleHu);
  if (depth < kCavityDepthMm) {
    const double cos_phi = r > 0.0 ? y / r : 1.0;
    if (sample_sternum(x, y, z, depth, hu)) return soft(hu);
    if (sample_rib(z, depth, cos_phi, hu)) return soft(hu);
    return soft(kMuscleHu);
  }
  return sample_cavity(x, y, z);
}

PhantomLabel lung_side(double x, double y, double z) {
  const PhantomLabel label = sample_base(x, y, z, TableSide::posterior).label;
  if (label == PhantomLabel::right_lung || label == PhantomLabel::left_lung) return label;
  return PhantomLabel::outside;
}

double squared_distance_to_axis(const Tube& tube, const Vec3& p) {
  const Vec3 ab{tube.b[0] - tube.a[0], tube.b[1] - tube.a[1], tube.b[2] - tube.a[2]};
  const Vec3 ap{p[0] - tube.a[0], p[1] - tube.a[1], p[2] - tube.a[2]};
  const double length2 = dot(ab, ab);
  const double t = length2 > 0.0 ? std::clamp(dot(ap, ab) / length2, 0.0, 1.0) : 0.0;
  const Vec3 d{ap[0] - t * ab[0], ap[1] - t * ab[1], ap[2] - t * ab[2]};
  return dot(d, d);
}

namespace {

void add_path(std::vector<Tube>& tubes, const std::vector<Vec3>& points, double radius_mm) {
  for (std::size_t n = 1; n < points.size(); ++n) tubes.push_back({points[n - 1], points[n], radius_mm, 0.0});
}

std::vector<Tube> make_mediastinal_tubes() {
  std::vector<Tube> tubes;

  // Aorta: ascending, arch to the left of the trachea, descending beside the spine.
  add_path(tubes, {{-6, -22, -14}, {-6, -22, 50}}, 14.0);
  add_path(tubes, {{-6, -22, 50}, {-2, -24, 66}, {8, -18, 78}, {20, -4, 82}, {27, 12, 80}, {29, 28, 72}, {27, 40, 58}},
           13.0);
  add_path(tubes, {{27, 40, 58}, {27, 40, -170}}, 12.0);

  // Great vessels leaving the arch, and the superior vena cava.
  add_path(tubes, {{0, -24, 68}, {-14, -8, 170}}, 6.5);
  add_path(tubes, {{10, -16, 78}, {16, -2, 170}}, 4.5);
  add_path(tubes, {{22, -2, 82}, {42, 8, 170}}, 5.0);
  add_path(tubes, {{-30, -12, 170}, {-30, -12, -20}}, 9.0);

  // Esophagus behind the trachea, turning left into the stomach.
  add_path(tubes, {{4, 30, 170}, {6, 28, -100}, {30, 5, -125}}, 8.0);

  // Pulmonary trunk and the right and left pulmonary arteries to the hila.
  add_path(tubes, {{12, -40, -12}, {10, -22, 12}}, 13.0);
  add_path(tubes, {{10, -22, 12}, {-40, -6, 8}}, 9.5);
  add_path(tubes, {{10, -22, 12}, {38, -4, 20}}, 9.0);
  return tubes;
}

std::vector<Tube> make_airway_tubes() {
  return {
      {{0, 10, 170}, {0, 10, 32}, 11.0, 8.5},   // Trachea down to the carina at z = +32 mm.
      {{0, 10, 32}, {-34, 14, 6}, 8.0, 6.0},    // Right main bronchus: shorter and steeper.
      {{0, 10, 32}, {42, 20, 10}, 7.0, 5.2},    // Left main bronchus.
  };
}

}  // namespace

const std::vector<Tube>& mediastinal_tubes() {
  static const std::vector<Tube> tubes = make_mediastinal_tubes();
  return tubes;
}

const std::vector<Tube>& airway_tubes() {
  static const std::vector<Tube> tubes = make_airway_tubes();
  return tubes;
}

std::vector<Lesion> lesions_for_load(double lesion_load) {
  if (lesion_load <= 0.0) return {};
  const double scale = std::cbrt(lesion_load);
  auto lesion = [scale](LesionKind kind, Vec3 centre, Vec3 radii, std::uint32_t seed) {
    return Lesion{kind, centre, {radii[0] * scale, radii[1] * scale, radii[2] * scale}, seed};
  };

  // Bilateral, peripheral and posterior, as in COVID-19 pneumonia. The right
  // lower-lobe consolidation is centred on the posterior pleura (dependent).
  return {
      lesion(LesionKind::ground_glass, {-100, -25, 60}, {26, 24, 30}, 101u),
      lesion(LesionKind::ground_glass, {-95, 45, -30}, {30, 28, 34}, 102u),
      lesion(LesionKind::ground_glass, {100, 48, -45}, {28, 26, 30}, 103u),
      lesion(LesionKind::ground_glass, {85, -35, 55}, {20, 18, 22}, 104u),
      lesion(LesionKind::consolidation, {-60, 80, -62}, {26, 20, 24}, 105u),
      lesion(LesionKind::consolidation, {105, 52, -45}, {12, 10, 14}, 106u),
  };
}

bool lesion_contains(const Lesion& lesion, const Vec3& p) {
  double sum = 0.0;
  for (int a = 0; a < 3; ++a) {
    const double u = (p[a] - lesion.centre_mm[a]) / lesion.radii_mm[a];
    sum += u * u;
  }
  if (sum > 1.4) return false;
  // A lobulated boundary: the ellipsoid level set shifted by smooth noise.
  const float wobble = value_noise(p[0] / 9.0, p[1] / 9.0, p[2] / 9.0, lesion.shape_seed);
  return sum + 0.35 * wobble <= 1.0;
}

float lesion_hu(const Lesion& lesion, const Vec3& p) {
  const float t = texture_noise(p[0], p[1], p[2], 6.0, kLesionTextureSeed + lesion.shape_seed);
  if (lesion.kind == LesionKind::ground_glass) return std::clamp(-560.0f + 90.0f * t, -680.0f, -420.0f);
  return std::clamp(-25.0f + 35.0f * t, -90.0f, 40.0f);
}

}  // namespace lunglens::phantom
