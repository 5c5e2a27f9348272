/* alloc_libc.c - the core's allocator (core/base.h) backed by libc. */
#include "alloc_libc.h"

#include <errno.h>
#include <stdlib.h>

/* The core returns its own error numbers (core/base.h); the hosted program
 * hands them to strerror(): they must be libc's. */
_Static_assert(CORE_ENXIO == ENXIO && CORE_E2BIG == E2BIG && CORE_ENOMEM == ENOMEM && CORE_EFAULT == EFAULT &&
		       CORE_EINVAL == EINVAL,
	       "core/base.h's error numbers differ from <errno.h>");

static void *libc_resize(void *ctx, void *p, size_t n)
{
	(void)ctx;
	if (n == 0) {
		free(p);
		return NULL;
	}
	return realloc(p, n);
}

const struct core_alloc alloc_libc = { .resize = libc_resize };
