#ifndef CCELIM_PROCESS_SHIMS_H
#define CCELIM_PROCESS_SHIMS_H

/// Asks the kernel to send `signal` to this process when its parent dies (Linux prctl
/// PR_SET_PDEATHSIG; Swift cannot call the variadic prctl itself). Returns 0, or -1 with errno
/// set; on systems without it, returns -1 with errno ENOSYS.
int ccelim_set_parent_death_signal(int signal);

#endif
