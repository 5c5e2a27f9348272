/* bundle.h - bug-report bundles: one directory holding a CPUID dump
 * (cpuid.txt) and every evidence file pvhprobe read, laid out as under /,
 * so that `pvhprobe -i DIR` replays both. */
#ifndef PVHPROBE_BUNDLE_H
#define PVHPROBE_BUNDLE_H

#include "core/base.h"

#include <stddef.h>

#include "report.h"
#include "evidence_sysroot.h"

#define BUNDLE_DUMP "cpuid.txt"

/* Writes the bundle. Returns 0 or -errno with msg set. */
_warn_unused_result_ int bundle_write(const char *dir, const struct report *r, const struct sysroot *s, char *msg, size_t msglen);

/* If path is a bundle directory, sets *dump to DIR/cpuid.txt (malloc'd) and
 * returns 1; 0 if it is not a directory; -errno on error. */
_warn_unused_result_ int bundle_detect(const char *path, char **dump);

#endif
