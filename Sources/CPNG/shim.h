// CPNG: the C API of libpng, found through pkg-config (libpng).
#include <png.h>
