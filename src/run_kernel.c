/* run_kernel.c - `pvhprobe kernel FILE...` (being written; see kimage.h). */
#include "cli.h"

#include <stdio.h>

int run_kernel(const struct options *o)
{
	(void)o;
	fprintf(stderr, "pvhprobe: kernel: not built yet\n");
	return EXIT_USAGE;
}
