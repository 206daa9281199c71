#include "quantify/severity_score.h"

namespace lunglens {

int zone_score_from_percent(double percent) {
  if (!(percent >= kScoreFloorPercent)) return 0;
  if (percent < 5.0) return 1;
  if (percent <= 25.0) return 2;
  if (percent <= 50.0) return 3;
  if (percent <= 75.0) return 4;
  return 5;
}

std::string_view zone_score_rule() {
  return "involvement p of the zone's lung volume: p < 0.5 % -> 0 (the level measured on normal lungs); "
         "0.5 <= p < 5 % -> 1; "
         "5 <= p <= 25 % -> 2; 25 < p <= 50 % -> 3; 50 < p <= 75 % -> 4; p > 75 % -> 5";
}

}  // namespace lunglens
