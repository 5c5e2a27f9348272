/* main.c - pvhprobe: which PVH boot path would a kernel take here, and why. */
#include "cli.h"

int main(int argc, char **argv)
{
	struct options o;
	cli_parse(argc, argv, &o);
	return pvhprobe_run(&o);
}
