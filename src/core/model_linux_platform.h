/* linux_platform.h - Linux's hypervisor classification (used by the linux
 * model for the hypervisor that kernel believes in). */
#ifndef PVHPROBE_LINUX_PLATFORM_H
#define PVHPROBE_LINUX_PLATFORM_H

#include "model.h"

/* Sets m->hypervisor, m->hypervisor_base and m->platform; traces. */
void linux_detect_platform(struct leaftab *t, struct model_result *m);

#endif
