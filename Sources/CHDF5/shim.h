// HDF5's C API (Debian: libhdf5-dev, serial build; headers under /usr/include/hdf5/serial).
// Only the HDF5 wrapper module imports this.
#include <hdf5.h>
