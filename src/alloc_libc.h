/* alloc_libc.h - the core's allocator backed by malloc, for the hosted
 * program: leaf sets of dumps and of live runs grow through it. */
#ifndef PVHPROBE_ALLOC_LIBC_H
#define PVHPROBE_ALLOC_LIBC_H

#include "core/base.h"

extern const struct core_alloc alloc_libc;

#endif
