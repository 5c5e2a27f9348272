/* main.c - pvhprobe: which PVH boot path would a kernel take here, and why. */
#include <stdlib.h>

#include "cli.h"

int main(int argc, char **argv)
{
	struct options o;
	cli_parse(argc, argv, &o);
	int rc = pvhprobe_run(&o);
	free(o.inputs);
	return rc;
}
