// HDF5 constants that Swift cannot import. Most of them are macros that expand to a call
// (`H5OPEN H5T_NATIVE_FLOAT_g`) or to an expression Clang's importer drops, so each is
// re-exported here as a plain function. Only the HDF5 Swift module uses this.
#ifndef CCELIM_CHDF5_SHIMS_H
#define CCELIM_CHDF5_SHIMS_H

#include <hdf5.h>

// Default/selection sentinels.
hid_t ccelim_h5p_default(void);
hid_t ccelim_h5s_all(void);
hid_t ccelim_h5e_default(void);
hsize_t ccelim_h5s_unlimited(void);

// File access flags (H5Fcreate/H5Fopen).
unsigned ccelim_h5f_acc_rdonly(void);
unsigned ccelim_h5f_acc_rdwr(void);
unsigned ccelim_h5f_acc_trunc(void);
unsigned ccelim_h5f_acc_swmr_write(void);
unsigned ccelim_h5f_acc_swmr_read(void);

// H5Fget_obj_count selectors.
unsigned ccelim_h5f_obj_all(void);
unsigned ccelim_h5f_obj_local(void);

// Library-version bounds for SWMR-capable files.
H5F_libver_t ccelim_h5f_libver_latest(void);

// Property-list classes.
hid_t ccelim_h5p_file_access(void);
hid_t ccelim_h5p_dataset_create(void);

// In-memory (native) types: the layout Swift values have in memory.
hid_t ccelim_h5t_native_float(void);
hid_t ccelim_h5t_native_double(void);
hid_t ccelim_h5t_native_int32(void);
hid_t ccelim_h5t_native_int64(void);

// On-disk types: explicit little-endian IEEE/two's-complement, so files do not depend on the
// writer's architecture.
hid_t ccelim_h5t_ieee_f32le(void);
hid_t ccelim_h5t_ieee_f64le(void);
hid_t ccelim_h5t_std_i32le(void);
hid_t ccelim_h5t_std_i64le(void);

// C string base type (copied and sized/made variable-length by the wrapper).
hid_t ccelim_h5t_c_s1(void);
size_t ccelim_h5t_variable(void);

// The filter id of the Fletcher-32 checksum (H5Pset_fletcher32 sets it; reads report it).
H5Z_filter_t ccelim_h5z_filter_fletcher32(void);

#endif
