// CBLAS: the C BLAS interface of OpenBLAS, found through pkg-config (openblas).
// openblas_set_num_threads lets a program choose the thread count at run time.
#include <cblas.h>
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
