# Locates (or builds once into the cache) the static GDCM libraries for the
# current toolchain and defines the imported target lunglens::gdcm.
if(NOT LUNGLENS_GDCM_PREFIX)
  execute_process(
    COMMAND bash "${PROJECT_SOURCE_DIR}/scripts/build-gdcm.sh" ${LUNGLENS_VARIANT}
    OUTPUT_VARIABLE gdcm_prefix
    OUTPUT_STRIP_TRAILING_WHITESPACE
    RESULT_VARIABLE gdcm_result)
  if(NOT gdcm_result EQUAL 0)
    message(FATAL_ERROR "scripts/build-gdcm.sh ${LUNGLENS_VARIANT} failed (exit ${gdcm_result}); see its messages above")
  endif()
  set(LUNGLENS_GDCM_PREFIX "${gdcm_prefix}" CACHE PATH "GDCM prefix" FORCE)
endif()
message(STATUS "lunglens: GDCM from ${LUNGLENS_GDCM_PREFIX}")

# Order matters for static linking: users before the libraries they use.
set(lunglens_gdcm_libraries
  gdcmMSFF gdcmIOD gdcmDSED gdcmDICT gdcmCommon
  gdcmjpeg8 gdcmjpeg12 gdcmjpeg16 gdcmopenjp2 gdcmcharls
  gdcmexpat gdcmzlib gdcmuuid)

add_library(lunglens_gdcm INTERFACE)
add_library(lunglens::gdcm ALIAS lunglens_gdcm)
target_include_directories(lunglens_gdcm SYSTEM INTERFACE "${LUNGLENS_GDCM_PREFIX}/include")
set(gdcm_library_files "")
foreach(library IN LISTS lunglens_gdcm_libraries)
  set(file "${LUNGLENS_GDCM_PREFIX}/lib/lib${library}.a")
  if(NOT EXISTS "${file}")
    message(FATAL_ERROR "GDCM library ${file} is missing; delete ${LUNGLENS_GDCM_PREFIX} and configure again")
  endif()
  list(APPEND gdcm_library_files "${file}")
endforeach()
# The GDCM libraries reference each other in cycles (DSED <-> Common), so the
# group is listed inside a linker group where the linker supports it.
if(EMSCRIPTEN)
  target_link_libraries(lunglens_gdcm INTERFACE ${gdcm_library_files} ${gdcm_library_files})
else()
  target_link_libraries(lunglens_gdcm INTERFACE -Wl,--start-group ${gdcm_library_files} -Wl,--end-group dl pthread)
endif()

# The CharLS headers inside GDCM, for decoding JPEG-LS without gdcm::ImageReader
# (core/dicom/pixel_decoder.cpp). GDCM does not install them, so they are taken
# from the unpacked source next to the cache; without them that path is left out.
file(READ "${LUNGLENS_GDCM_PREFIX}/.complete" lunglens_gdcm_version)
string(STRIP "${lunglens_gdcm_version}" lunglens_gdcm_version)
get_filename_component(lunglens_gdcm_cache "${LUNGLENS_GDCM_PREFIX}" DIRECTORY)
set(LUNGLENS_CHARLS_INCLUDE "${lunglens_gdcm_cache}/src/gdcm-${lunglens_gdcm_version}/Utilities/gdcmcharls")
if(EXISTS "${LUNGLENS_CHARLS_INCLUDE}/charls.h" AND EXISTS "${LUNGLENS_CHARLS_INCLUDE}/publictypes.h")
  message(STATUS "lunglens: CharLS headers from ${LUNGLENS_CHARLS_INCLUDE}")
else()
  message(WARNING "lunglens: no CharLS headers at ${LUNGLENS_CHARLS_INCLUDE}; JPEG-LS goes through gdcm::ImageReader")
  set(LUNGLENS_CHARLS_INCLUDE "")
endif()
