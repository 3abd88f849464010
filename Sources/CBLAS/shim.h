// CBLAS: the C BLAS interface of OpenBLAS, found through pkg-config (openblas).
// openblas_set_num_threads lets a program choose the thread count at run time;
// openblas_get_corename names the kernels OpenBLAS chose for the processor.
#include <cblas.h>
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char *openblas_get_corename(void);
