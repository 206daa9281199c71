// Intrapulmonary vessel trees of the phantom: pulmonary arteries from each
// hilum and pulmonary veins towards the heart, as recursively branching tubes
// of decreasing radius that stay inside their lung.
#pragma once

#include <vector>

#include "phantom/phantom_anatomy.h"

namespace lunglens::phantom {

// Returns every vessel segment of both lungs. The trees are fixed anatomy:
// built from a constant seed, the same for every PhantomOptions.
const std::vector<Tube>& vessel_tree();

}  // namespace lunglens::phantom
