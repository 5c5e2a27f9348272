/* models.h - the model functions, one file each. */
#ifndef PVHPROBE_MODELS_H
#define PVHPROBE_MODELS_H

#include "model.h"

void model_freebsd_run(struct leaftab *t, struct model_result *m);
void model_freebsd_14_run(struct leaftab *t, struct model_result *m);
void model_freebsd_legacy_run(struct leaftab *t, struct model_result *m);
void model_linux_run(struct leaftab *t, struct model_result *m);
void model_linux_5_0_run(struct leaftab *t, struct model_result *m);
void model_linux_4_11_run(struct leaftab *t, struct model_result *m);
void model_netbsd_run(struct leaftab *t, struct model_result *m);

/* Linux's generic PVH path (5.0 and later, the same before and after
 * XSA-466): model_linux.c. */
void linux_generic_path(struct leaftab *t, struct model_result *m);

#endif
