// Visual-style CT severity score computed from measured involvement: each
// zone gets 0-5 points from the percent of its lung volume that is GGO or
// consolidation, and the total over the 6 zones (3 per lung) is 0-30.
// Bins for a fractional percent p (exact, no rounding first):
//   p < 0.5        -> 0
//   0.5 <= p < 5   -> 1
//   5 <= p <= 25   -> 2
//   25 < p <= 50   -> 3
//   50 < p <= 75   -> 4
//   p > 75         -> 5
// so 4.99 % scores 1, 5 % and 25 % score 2, 25.5 % scores 3, 75 % scores 4
// and 75.01 % scores 5. This is the 0-5 per-region scale common in COVID-19
// CT reporting, applied to craniocaudal zones instead of lobes. Its bin 0 is
// "no involvement", but a measurement does not read exactly 0 % on normal
// lungs. On LIDC-IDRI-0001 and -0002 (no pneumonia) the classical engine finds
// 0.0-0.44 % per zone (partial volume at the lung surface, streak artefacts,
// nodules), so involvement under kScoreFloorPercent scores 0.
#pragma once

#include <string_view>

namespace lunglens {

inline constexpr int kMaxZoneScore = 5;
inline constexpr int kMaxTotalScore = 30;
inline constexpr double kScoreFloorPercent = 0.5;

// Returns the 0-5 zone score for an involvement percent in [0, 100].
// Values outside the range are clamped; NaN scores 0.
int zone_score_from_percent(double percent);

// Returns the rule above as one line, for the report's method section.
std::string_view zone_score_rule();

}  // namespace lunglens
