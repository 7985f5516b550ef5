// libzmq's C API (Debian: libzmq3-dev). Only the ZeroMQ wrapper module imports this.
#include <zmq.h>
