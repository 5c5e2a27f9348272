/* version.h - pvhprobe's version, defined here only: --version, the JSON
 * reports and the probe guest read it; the Makefile reads it for the
 * package, and tests/cli/version.sh checks debian/changelog against it. */
#ifndef PVHPROBE_VERSION_H
#define PVHPROBE_VERSION_H

#define PVHPROBE_VERSION "0.4.0"

#endif
