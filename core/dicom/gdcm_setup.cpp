#include "dicom/gdcm_setup.h"

#include <mutex>

#include <gdcmGlobal.h>
#include <gdcmTrace.h>

namespace lunglens {

void ensure_gdcm_initialised() {
  static std::once_flag once;
  std::call_once(once, [] {
    gdcm::Trace::SetDebug(false);
    gdcm::Trace::SetWarning(false);
    gdcm::Trace::SetError(false);

    const gdcm::Global& global = gdcm::Global::GetInstance();
    (void)global.GetDicts();
  });
}

}  // namespace lunglens
