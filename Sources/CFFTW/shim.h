// CFFTW: the C API of fftw3f, found through pkg-config (fftw3f).
#include <fftw3.h>
