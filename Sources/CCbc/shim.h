// COIN-OR CBC's C interface (Debian: coinor-libcbc-dev, installed by Ops/install-deps). Only the
// Bounds module's CbcSolver imports this.
#include <coin/Cbc_C_Interface.h>
