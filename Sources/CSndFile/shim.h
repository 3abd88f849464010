// CSndFile: the C API of sndfile, found through pkg-config (sndfile).
#include <sndfile.h>
