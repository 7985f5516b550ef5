// Each function returns one HDF5 macro's value. The macros that name types and property
// classes call H5open() first, so the library is initialised on first use either way.
#include "CHDF5Shims.h"

hid_t ccelim_h5p_default(void) { return H5P_DEFAULT; }
hid_t ccelim_h5s_all(void) { return H5S_ALL; }
hid_t ccelim_h5e_default(void) { return H5E_DEFAULT; }
hsize_t ccelim_h5s_unlimited(void) { return H5S_UNLIMITED; }

unsigned ccelim_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
unsigned ccelim_h5f_acc_rdwr(void) { return H5F_ACC_RDWR; }
unsigned ccelim_h5f_acc_trunc(void) { return H5F_ACC_TRUNC; }
unsigned ccelim_h5f_acc_swmr_write(void) { return H5F_ACC_SWMR_WRITE; }
unsigned ccelim_h5f_acc_swmr_read(void) { return H5F_ACC_SWMR_READ; }

unsigned ccelim_h5f_obj_all(void) { return H5F_OBJ_ALL; }
unsigned ccelim_h5f_obj_local(void) { return H5F_OBJ_LOCAL; }

H5F_libver_t ccelim_h5f_libver_latest(void) { return H5F_LIBVER_LATEST; }

hid_t ccelim_h5p_file_access(void) { return H5P_FILE_ACCESS; }
hid_t ccelim_h5p_dataset_create(void) { return H5P_DATASET_CREATE; }

hid_t ccelim_h5t_native_float(void) { return H5T_NATIVE_FLOAT; }
hid_t ccelim_h5t_native_double(void) { return H5T_NATIVE_DOUBLE; }
hid_t ccelim_h5t_native_int32(void) { return H5T_NATIVE_INT32; }
hid_t ccelim_h5t_native_int64(void) { return H5T_NATIVE_INT64; }

hid_t ccelim_h5t_ieee_f32le(void) { return H5T_IEEE_F32LE; }
hid_t ccelim_h5t_ieee_f64le(void) { return H5T_IEEE_F64LE; }
hid_t ccelim_h5t_std_i32le(void) { return H5T_STD_I32LE; }
hid_t ccelim_h5t_std_i64le(void) { return H5T_STD_I64LE; }

hid_t ccelim_h5t_c_s1(void) { return H5T_C_S1; }
size_t ccelim_h5t_variable(void) { return H5T_VARIABLE; }

H5Z_filter_t ccelim_h5z_filter_fletcher32(void) { return H5Z_FILTER_FLETCHER32; }

// HDF5 installs an exit hook (H5_term_library) when it initialises, and that hook closes every
// open id, including the id of a file whose H5Fclose failed, which HDF5 has already freed:
// SIGSEGV at exit after a full disk. H5dont_atexit only works before initialisation, and the
// access-flag macros above initialise the library, so it runs when the program is loaded. The
// Swift wrapper closes healthy files at exit itself (HDF5Library).
__attribute__((constructor)) static void ccelim_h5_no_exit_hook(void) { H5dont_atexit(); }
