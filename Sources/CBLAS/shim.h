// OpenBLAS's CBLAS interface (Debian: libopenblas-dev). Only the NeuralNet module imports this.
#include <cblas.h>
