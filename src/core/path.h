/* path.h - the two paths a PVH entry can take: the one vocabulary the
 * models predict in and the evidence observes in (evidence.h needs this
 * and nothing else of the models). */
#ifndef PVHPROBE_CORE_PATH_H
#define PVHPROBE_CORE_PATH_H

#include "base.h"

enum pvh_path {
	PATH_XEN,
	PATH_GENERIC,
	_PATH_MAX,
	_PATH_INVALID = -1,
};

/* Names both ways (strtab.h, table in model.c); pvh_path_from_name()
 * gives _PATH_INVALID for an unknown name. */
const char *pvh_path_name(enum pvh_path p);
enum pvh_path pvh_path_from_name(const char *s);

#endif
