# Compiler flags shared by every lunglens target.
add_library(lunglens_flags INTERFACE)
target_compile_options(lunglens_flags INTERFACE -Wall -Wextra -Wpedantic)

if(EMSCRIPTEN)
  # GDCM throws C++ exceptions; without -fexceptions a throw aborts the whole
  # module instead of becoming a per-file error.
  target_compile_options(lunglens_flags INTERFACE -msimd128 -fexceptions)
  target_link_options(lunglens_flags INTERFACE -fexceptions)
  if(LUNGLENS_WASM_THREADS)
    target_compile_options(lunglens_flags INTERFACE -pthread)
    target_link_options(lunglens_flags INTERFACE -pthread)
  endif()
else()
  find_package(Threads REQUIRED)
  target_link_libraries(lunglens_flags INTERFACE Threads::Threads)
endif()
