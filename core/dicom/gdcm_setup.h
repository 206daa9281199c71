// One-time GDCM set-up shared by every reader in the core.
#pragma once

namespace lunglens {

// Loads GDCM's global dictionaries and silences its console messages (the
// core never prints). Safe to call from any thread; the work happens once.
// Call it on the calling thread before any parallel_for that creates GDCM
// readers, so the dictionaries are never first touched from two threads.
void ensure_gdcm_initialised();

}  // namespace lunglens
