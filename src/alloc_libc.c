/* alloc_libc.c - the core's allocator (core/base.h) backed by libc. */
#include "alloc_libc.h"

#include <stdlib.h>

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
