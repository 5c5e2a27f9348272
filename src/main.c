/* main.c - pvhprobe: which PVH boot path would a kernel take here, and why. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <unistd.h>

#include "cli.h"
#include "run.h"

int main(int argc, char **argv)
{
	struct options o;
	cli_parse(argc, argv, &o);
	/* jansson's object hash is seeded at random because JSON reports are
	 * untrusted input (hash flooding). Only runs that may read one need
	 * that: -i and compare; the others build objects from pvhprobe's own
	 * keys and skip the getrandom() (or /dev/urandom) it costs. */
	size_t seed = 1;
	if ((o.ninputs || o.cmd == CMD_COMPARE) &&
	    getrandom(&seed, sizeof(seed), GRND_NONBLOCK) != (ssize_t)sizeof(seed))
		seed = 0; /* jansson seeds itself */
	json_object_seed(seed);
	/* A report is written in one piece: with a buffer it fits in, when
	 * stdout is no terminal, that is one write(). */
	static char outbuf[64 * 1024];
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	int rc = pvhprobe_run(&o);
	free(o.inputs);
	return run_close_output(rc);
}
