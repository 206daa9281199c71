// socket() for the WebAssembly build, which has no socket layer
// (-sFILESYSTEM=0 leaves out Emscripten's SOCKFS).
//
// GDCM's UID generator (gdcm::UIDGenerator, through its bundled libuuid)
// opens a socket only to read a network card's hardware address, and falls
// back to random bits when socket() fails. Without this definition the link
// fails on the missing SOCKFS library. Every call fails with EAFNOSUPPORT.
#include <cerrno>

extern "C" long __syscall_socket(long /*domain*/, long /*type*/, long /*protocol*/, long, long, long) {
  return -EAFNOSUPPORT;
}
