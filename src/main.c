/* main.c - pvhprobe: which PVH boot path would a kernel take here, and why. */
#include <jansson.h>
#include <stdlib.h>
#include <sys/random.h>

#include "cli.h"

int main(int argc, char **argv)
{
	/* jansson seeds its hash function (JSON reports are untrusted input)
	 * from /dev/urandom: three system calls on the first object. One
	 * getrandom() does the same; 0 lets jansson seed itself as before. */
	size_t seed = 0;
	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) == (ssize_t)sizeof(seed))
		json_object_seed(seed);
	struct options o;
	cli_parse(argc, argv, &o);
	int rc = pvhprobe_run(&o);
	free(o.inputs);
	return rc;
}
