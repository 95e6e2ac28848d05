// The one C shim of the project: libpq's public API.
#ifndef CANDLESTACK_CLIBPQ_SHIM_H
#define CANDLESTACK_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
