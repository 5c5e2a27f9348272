/* analyse.c - the analysis, the renderers and their invariants, shared by
 * the fuzzers (contract in analyse.h). */
#include "alloc_libc.h"
#include "analyse.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/leaftab.h"
#include "core/model.h"
#include "render.h"
#include "report.h"
#include "source.h"

#define FZ_FILE "fuzz-input"

void fz_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("INVARIANT VIOLATED: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}

size_t fz_env_size(const char *name, size_t def)
{
	const char *s = getenv(name);
	if (!s || !*s)
		return def;
	char *end;
	unsigned long long v = strtoull(s, &end, 0);
	if (*end)
		fz_fail("%s=%s: expected a number", name, s);
	return (size_t)v;
}

/* The rendered outputs of one report. */
struct outputs {
	char *text, *text_v, *env, *json, *dump;
	size_t ntext, ntext_v, nenv, njson, ndump;
};

static void outputs_free(struct outputs *o)
{
	free(o->text);
	free(o->text_v);
	free(o->env);
	free(o->json);
	free(o->dump);
	memset(o, 0, sizeof(*o));
}

static FILE *mem(char **buf, size_t *len)
{
	FILE *f = open_memstream(buf, len);
	if (!f)
		fz_fail("open_memstream: %s", strerror(errno));
	return f;
}

static void render_all(const struct report *r, struct outputs *out)
{
	const struct render_opts terse = { .verbose = false, .version = "fuzz" };
	const struct render_opts verbose = { .verbose = true, .version = "fuzz" };
	FILE *f;

	f = mem(&out->text, &out->ntext);
	render_text(f, r, &terse);
	fclose(f);
	f = mem(&out->text_v, &out->ntext_v);
	render_text(f, r, &verbose);
	fclose(f);
	f = mem(&out->env, &out->nenv);
	render_env(f, r, &verbose);
	fclose(f);
	f = mem(&out->json, &out->njson);
	if (render_json(f, r, &verbose) != 0)
		fz_fail("render_json() failed");
	fclose(f);
	f = mem(&out->dump, &out->ndump);
	render_dump(f, r);
	fclose(f);
}

/* ---- text ---- */

void fz_check_text(const char *what, const char *buf, size_t len)
{
	if (len == 0 || buf[len - 1] != '\n')
		fz_fail("%s output: %s", what, len ? "does not end with a newline" : "empty");
	unsigned line = 1;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];
		if (c == '\n') {
			line++;
			continue;
		}
		if (c < 0x20 || c >= 0x7f)
			fz_fail("%s output, line %u, offset %zu: raw byte 0x%02x", what, line, i, c);
	}
}

/* ---- env ---- */

static bool env_name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

#define ENV_NAMES_MAX 512

void fz_check_env(const char *buf, size_t len)
{
	if (len == 0 || buf[len - 1] != '\n')
		fz_fail("env output: %s", len ? "does not end with a newline" : "empty");
	if (memchr(buf, '\0', len))
		fz_fail("env output: NUL byte at offset %zu", (size_t)((const char *)memchr(buf, '\0', len) - buf));
	static const char *names[ENV_NAMES_MAX];
	static size_t namelen[ENV_NAMES_MAX];
	unsigned nnames = 0, line = 0;
	for (const char *p = buf, *end = buf + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl; /* buf ends with '\n': never NULL */
		line++;
		const char *q = p;
		if ((size_t)(le - q) < 9 || memcmp(q, "PVHPROBE_", 9) != 0)
			fz_fail("env line %u: does not start with PVHPROBE_: %.*s", line, (int)(le - p), p);
		q += 9;
		const char *name = q;
		while (q < le && env_name_char(*q))
			q++;
		if (q == name || q == le || *q != '=')
			fz_fail("env line %u: expected NAME= with NAME in [A-Z0-9_]+: %.*s", line, (int)(le - p), p);
		size_t nlen = (size_t)(q - name);
		for (unsigned i = 0; i < nnames; i++)
			if (namelen[i] == nlen && memcmp(names[i], name, nlen) == 0)
				fz_fail("env line %u: PVHPROBE_%.*s set twice", line, (int)nlen, name);
		if (nnames < ENV_NAMES_MAX) {
			names[nnames] = name;
			namelen[nnames++] = nlen;
		}
		q++;
		/* value := "'" [^']* ( "'\''" [^']* )* "'" */
		if (q == le || *q != '\'')
			fz_fail("env line %u: value does not start with a single quote: %.*s", line, (int)(le - p), p);
		q++;
		for (;;) {
			while (q < le && *q != '\'')
				q++;
			if (q == le)
				fz_fail("env line %u: unterminated single quote: %.*s", line, (int)(le - p), p);
			q++; /* the closing quote */
			if (q == le)
				break;
			if ((size_t)(le - q) >= 3 && q[0] == '\\' && q[1] == '\'' && q[2] == '\'') {
				q += 3;
				continue;
			}
			fz_fail("env line %u, column %zu: text after the closing quote: %.*s", line, (size_t)(q - p) + 1,
				(int)(le - p), p);
		}
		p = le + 1;
	}
}

/* ---- JSON ---- */

static void need_string(json_t *o, const char *key, const char *where)
{
	if (!json_is_string(json_object_get(o, key)))
		fz_fail("JSON %s: \"%s\" missing or not a string", where, key);
}

json_t *fz_check_json(const char *buf, size_t len, const char *schema)
{
	json_error_t je;
	json_t *doc = json_loadb(buf, len, JSON_ALLOW_NUL, &je);
	if (!doc)
		fz_fail("JSON output does not parse: line %d column %d: %s", je.line, je.column, je.text);
	if (!json_is_object(doc))
		fz_fail("JSON output: top level is not an object");
	json_t *sv = json_object_get(doc, "schema");
	if (!json_is_string(sv) || strcmp(json_string_value(sv), schema) != 0)
		fz_fail("JSON output: \"schema\" is not \"%s\"", schema);
	return doc;
}

static void check_json(const char *buf, size_t len, const struct report *r)
{
	json_t *doc = fz_check_json(buf, len, "pvhprobe/2");

	size_t i;
	json_t *v;
	char where[96];
	json_t *findings = json_object_get(doc, "findings");
	if (!json_is_array(findings) || json_array_size(findings) != r->nfindings)
		fz_fail("JSON findings: expected an array of %u", r->nfindings);
	json_array_foreach(findings, i, v) {
		snprintf(where, sizeof(where), "findings[%zu]", i);
		need_string(v, "id", where);
		need_string(v, "severity", where);
		need_string(v, "text", where);
	}
	json_t *models = json_object_get(doc, "models");
	if (!json_is_object(models) || json_object_size(models) != r->nmodels)
		fz_fail("JSON models: expected an object of %u models", r->nmodels);
	const char *key;
	json_object_foreach(models, key, v) {
		snprintf(where, sizeof(where), "models.%s", key);
		need_string(v, "reason", where);
		need_string(v, "path", where);
		need_string(v, "outcome", where);
		json_t *a = json_object_get(v, "trace"), *e;
		size_t k;
		if (!json_is_array(a)) /* check_json() is given the verbose document */
			fz_fail("JSON %s.trace: not an array (the document was rendered with -v)", where);
		json_array_foreach(a, k, e) {
			snprintf(where, sizeof(where), "models.%s.trace[%zu]", key, k);
			need_string(e, "text", where);
		}
		a = json_object_get(v, "hazards");
		if (!json_is_array(a))
			fz_fail("JSON models.%s.hazards: not an array", key);
		json_array_foreach(a, k, e) {
			snprintf(where, sizeof(where), "models.%s.hazards[%zu]", key, k);
			need_string(e, "text", where);
		}
		a = json_object_get(v, "conditions");
		if (!json_is_array(a))
			fz_fail("JSON models.%s.conditions: not an array", key);
		json_array_foreach(a, k, e) if (!json_is_string(e))
			fz_fail("JSON models.%s.conditions[%zu]: not a string", key, k);
	}
	json_t *hyps = json_object_get(doc, "hypervisors");
	if (!json_is_array(hyps) || json_array_size(hyps) != r->scan.nhyp)
		fz_fail("JSON hypervisors: expected an array of %u", r->scan.nhyp);
	json_array_foreach(hyps, i, v) {
		snprintf(where, sizeof(where), "hypervisors[%zu]", i);
		need_string(v, "signature", where);
		need_string(v, "signature_hex", where);
		need_string(v, "vendor", where);
		if (json_string_length(json_object_get(v, "signature_hex")) != 2 * CPUID_SIG_LEN)
			fz_fail("JSON %s.signature_hex: not %u hex digits", where, 2 * CPUID_SIG_LEN);
	}
	/* Every recorded leaf of the table, once: an object, a bare number, or
	 * a [first, last, ...] run of bases; unrecorded leaves are left out. */
	json_t *leaves = json_object_get(doc, "leaves");
	size_t recorded = 0, listed = 0;
	for (size_t k = 0; k < r->lt->cache.n; k++)
		recorded += r->lt->cache.v[k].recorded;
	json_array_foreach(leaves, i, v) {
		if (json_is_array(v)) {
			json_int_t first = json_integer_value(json_array_get(v, 0));
			json_int_t last = json_integer_value(json_array_get(v, 1));
			if ((json_array_size(v) != 2 && json_array_size(v) != 6) || first < 0 || last > UINT32_MAX ||
			    last <= first || !hv_is_base((uint32_t)first) || !hv_is_base((uint32_t)last))
				fz_fail("JSON leaves[%zu]: not a run of two or more bases", i);
			listed += (size_t)(last - first) / HV_BASE_STEP + 1;
		} else {
			listed++;
		}
	}
	if (!json_is_array(leaves) || listed != recorded)
		fz_fail("JSON leaves: %zu, the leaf table has %zu recorded", listed, recorded);
	json_t *stats = json_object_get(doc, "stats");
	json_t *dl = json_object_get(stats, "distinct_leaves"), *ex = json_object_get(stats, "cpuid_executions");
	if (!json_is_integer(dl) || (size_t)json_integer_value(dl) != r->lt->cache.n || !json_is_integer(ex) ||
	    (unsigned long)json_integer_value(ex) != r->lt->executions)
		fz_fail("JSON stats: disagree with the leaf table");
	json_decref(doc);
}

/* ---- analysis ---- */

static const struct model_desc *sel[REPORT_MODELS_MAX];
static bool named[REPORT_MODELS_MAX];

static unsigned select_models(const struct fz_opts *o)
{
	unsigned n;
	const struct model_desc *all = models_all(&n);
	if (n > REPORT_MODELS_MAX)
		fz_fail("%u models, REPORT_MODELS_MAX is %u", n, REPORT_MODELS_MAX);
	unsigned mask = o && o->model_mask ? o->model_mask : ~0u;
	unsigned k = 0;
	for (unsigned i = 0; i < n; i++) {
		if (!(mask >> i & 1))
			continue;
		named[k] = o && (o->named_mask >> i & 1);
		sel[k++] = &all[i];
	}
	if (k == 0) { /* a mask naming no existing model: all of them */
		for (unsigned i = 0; i < n; i++) {
			named[i] = false;
			sel[i] = &all[i];
		}
		k = n;
	}
	return k;
}

static void build(struct report *r, struct leaftab *lt, struct cpuid_source *src, const struct leafset *set,
		  int cpu, const struct dump *d, enum dump_format fmt, unsigned nsel)
{
	source_dump_open(src, set, cpu);
	lt_init(lt, src, &alloc_libc);
	struct report_source rs = { .kind = SOURCE_DUMP, .file = FZ_FILE, .format = fmt, .cpu = cpu, .dump = d };
	report_build(r, lt, &rs, sel, nsel, named, NULL, false); /* no evidence: a dump */
}

static void check_stats(const struct leaftab *lt, const struct fz_opts *o)
{
	if (lt->executions != lt->cache.n)
		fz_fail("stats: %lu source executions for %zu distinct leaves", lt->executions, lt->cache.n);
	if (lt->lookups < lt->executions)
		fz_fail("stats: %lu lookups < %lu executions", lt->lookups, lt->executions);
	if (lt->err)
		fz_fail("stats: source error %d at leaf %#x subleaf %#x", lt->err, lt->err_leaf, lt->err_subleaf);
	if (o && o->max_leaves && lt->cache.n > o->max_leaves) {
		/* Say which leaves beyond the bases: that shows the reader. */
		unsigned extra = 0, hvleaves = 0;
		for (size_t i = 0; i < lt->cache.n; i++) {
			const struct leaf_entry *e = &lt->cache.v[i];
			bool base = e->subleaf == 0 && hv_is_base(e->leaf);
			if (base)
				continue;
			extra++;
			hvleaves += e->leaf >= HV_BASE_FIRST && e->leaf <= HV_BASE_LAST + 0xff;
		}
		fz_fail("the analysis read %zu distinct leaves, more than the bound %zu (256 bases + %u other leaves, %u of them in hypervisor ranges past their base)",
			lt->cache.n, o->max_leaves, extra, hvleaves);
	}
}

/* Two analyses of the same leaves must decide the same. */
static void same_analysis(const char *how, const struct report *a, const struct report *b)
{
	if (a->lt->cache.n != b->lt->cache.n)
		fz_fail("%s replay: read %zu leaves, the original %zu", how, b->lt->cache.n, a->lt->cache.n);
	const struct cpuinfo *ca = &a->cpu, *cb = &b->cpu;
	if (ca->hypervisor_bit != cb->hypervisor_bit || ca->max_basic != cb->max_basic || ca->max_ext != cb->max_ext ||
	    memcmp(ca->vendor, cb->vendor, sizeof(ca->vendor)) != 0 || ca->brand_len != cb->brand_len ||
	    memcmp(ca->brand, cb->brand, ca->brand_len) != 0 || ca->identified != cb->identified ||
	    ca->family != cb->family || ca->model != cb->model || ca->stepping != cb->stepping)
		fz_fail("%s replay: CPU identity differs", how);
	const struct scan *sa = &a->scan, *sb = &b->scan;
	if (sa->n != sb->n || sa->nhyp != sb->nhyp || sa->not_recorded != sb->not_recorded)
		fz_fail("%s replay: scan differs (%u/%u/%u ranges/hypervisors/not recorded, the original %u/%u/%u)", how,
			sb->n, sb->nhyp, sb->not_recorded, sa->n, sa->nhyp, sa->not_recorded);
	for (unsigned i = 0; i < sa->n; i++) {
		const struct hv_range *x = &sa->ranges[i], *y = &sb->ranges[i];
		if (x->base != y->base || x->cls != y->cls || !regs_equal(&x->r, &y->r) || x->last_leaf != y->last_leaf ||
		    !x->details != !y->details || (x->details && x->details->n != y->details->n))
			fz_fail("%s replay: range %u (base %#x) differs", how, i, x->base);
	}
	if (a->nmodels != b->nmodels)
		fz_fail("%s replay: %u models, the original %u", how, b->nmodels, a->nmodels);
	for (unsigned i = 0; i < a->nmodels; i++) {
		const struct model_result *x = &a->models[i], *y = &b->models[i];
		const char *nm = x->desc->name;
		if (x->path != y->path || x->outcome != y->outcome || x->hypervisor != y->hypervisor ||
		    x->hypervisor_base != y->hypervisor_base || x->xen_base != y->xen_base || x->counted != y->counted)
			fz_fail("%s replay: model %s decides differently (%s/%s, the original %s/%s)", how, nm,
				pvh_path_name(y->path), outcome_name(y->outcome), pvh_path_name(x->path),
				outcome_name(x->outcome));
		if (strcmp(x->reason, y->reason) != 0)
			fz_fail("%s replay: model %s reason differs:\n  original: %s\n  replay:   %s", how, nm, x->reason,
				y->reason);
		if (x->ntrace != y->ntrace || x->nhazards != y->nhazards || x->nconditions != y->nconditions)
			fz_fail("%s replay: model %s trace/hazards/conditions counts differ", how, nm);
		for (unsigned k = 0; k < x->ntrace; k++)
			if (strcmp(x->trace[k].text, y->trace[k].text) != 0)
				fz_fail("%s replay: model %s trace step %u differs:\n  original: %s\n  replay:   %s", how, nm,
					k + 1, x->trace[k].text, y->trace[k].text);
	}
}

static struct report rep, rep2; /* large: static */

static void replay(const char *how, const char *buf, size_t len, const struct report *orig, unsigned nsel,
		   bool may_be_empty)
{
	struct dump d;
	char err[DUMP_ERRMSG];
	int rc = dump_parse(how, buf, len, &d, err, sizeof(err));
	if (rc != 0) {
		if (may_be_empty && strstr(err, "no CPUID leaves found"))
			return;
		fz_fail("%s replay: pvhprobe's own output does not parse: %s", how, err);
	}
	if (d.ncpus != 1)
		fz_fail("%s replay: %zu CPUs, expected 1", how, d.ncpus);
	/* A JSON report carries a capture's start_info facts; `pvhprobe dump`
	 * text carries leaves only, so it is replayed with the original's
	 * facts (what a user would pass the capture's facts with). */
	const struct dump *od = orig->src.dump;
	if (od && od->have_facts && !d.have_facts && strcmp(how, "dump") == 0) {
		d.have_facts = true;
		d.facts = od->facts;
	} else if (od && od->have_facts != d.have_facts) {
		fz_fail("%s replay: start_info facts %s, the original %s", how, d.have_facts ? "read" : "lost",
			od->have_facts ? "had them" : "had none");
	}
	struct cpuid_source src;
	struct leaftab lt;
	build(&rep2, &lt, &src, &d.cpus[0].leaves, d.cpus[0].id, &d, d.format, nsel);
	if (orig->src.cpu >= 0 && d.cpus[0].id != orig->src.cpu)
		fz_fail("%s replay: CPU %d, the original CPU %d", how, d.cpus[0].id, orig->src.cpu);
	same_analysis(how, orig, &rep2);
	lt_free(&lt);
	source_close(&src);
	dump_free(&d);
}

void fz_analyse(const struct leafset *set, int cpu, const struct dump *d, enum dump_format fmt,
		const struct fz_opts *o)
{
	unsigned nsel = select_models(o);
	struct cpuid_source src;
	struct leaftab lt;
	build(&rep, &lt, &src, set, cpu, d, fmt, nsel);
	check_stats(&lt, o);

	struct outputs out = { 0 };
	render_all(&rep, &out);
	fz_check_text("text", out.text, out.ntext);
	fz_check_text("text -v", out.text_v, out.ntext_v);
	fz_check_env(out.env, out.nenv);
	check_json(out.json, out.njson, &rep);
	fz_check_text("dump", out.dump, out.ndump);

	replay("json", out.json, out.njson, &rep, nsel, false);
	/* `pvhprobe dump` leaves out what the input never recorded; that only
	 * reads the same when those leaves were zero. */
	bool dump_faithful = true;
	size_t recorded = 0;
	for (size_t i = 0; i < lt.cache.n; i++) {
		const struct leaf_entry *e = &lt.cache.v[i];
		recorded += e->recorded;
		if (!e->recorded && !regs_zero(&e->r))
			dump_faithful = false;
	}
	if (dump_faithful)
		replay("dump", out.dump, out.ndump, &rep, nsel, recorded == 0);

	outputs_free(&out);
	lt_free(&lt);
	source_close(&src);
}
