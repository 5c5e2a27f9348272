/* models.h - the model functions, one file each. */
#ifndef PVHPROBE_MODELS_H
#define PVHPROBE_MODELS_H

#include "model.h"

void model_freebsd_run(struct leaftab *t, struct model_result *m);
void model_freebsd_14_run(struct leaftab *t, struct model_result *m);
void model_freebsd_legacy_run(struct leaftab *t, struct model_result *m);
void model_linux_run(struct leaftab *t, struct model_result *m);

#endif
