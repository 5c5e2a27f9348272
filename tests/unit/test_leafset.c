/* test_leafset.c - the leaf set (src/core/leafset.c): put, find, replace,
 * the LEAFSET_MAX cap, growth, and leafset_sorted()'s order (render_leaves.c) checked
 * against qsort on tables of keys and on many pseudo-random ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_libc.h"
#include "render.h"
#include "core/leafset.h"

struct key {
	uint32_t leaf, subleaf;
};

static int key_cmp(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	if (x->leaf != y->leaf)
		return x->leaf < y->leaf ? -1 : 1;
	if (x->subleaf != y->subleaf)
		return x->subleaf < y->subleaf ? -1 : 1;
	return 0;
}

struct put {
	struct key k;
	uint32_t i; /* the index of the put */
};

static int put_cmp(const void *a, const void *b)
{
	const struct put *x = a, *y = b;
	int c = key_cmp(&x->k, &y->k);
	return c ? c : x->i < y->i ? -1 : x->i > y->i;
}

/* Puts keys[0..n) (eax = the index of the put, so that a replaced key
 * shows its last value), then checks leafset_sorted() against qsort of the
 * same puts: the distinct keys in order, each holding its last put's value,
 * and replaced set on every put but a key's first. */
static void check_sorted(const char *name, const struct key *keys, size_t n)
{
	struct put *puts = malloc((n ? n : 1) * sizeof(*puts));
	bool *first = calloc(n ? n : 1, sizeof(*first));
	assert_non_null(puts);
	assert_non_null(first);
	for (size_t i = 0; i < n; i++)
		puts[i] = (struct put){ keys[i], (uint32_t)i };
	qsort(puts, n, sizeof(*puts), put_cmp);
	size_t nwant = 0; /* puts[0..nwant): each key's last put, in order */
	for (size_t i = 0; i < n; i++) {
		bool new_key = i == 0 || key_cmp(&puts[i].k, &puts[i - 1].k) != 0;
		if (new_key)
			first[puts[i].i] = true;
		if (new_key || nwant == 0)
			puts[nwant++] = puts[i];
		else
			puts[nwant - 1] = puts[i];
	}

	struct leafset s;
	leafset_init(&s, &alloc_libc);
	for (size_t i = 0; i < n; i++) {
		struct leaf_entry e = { .leaf = keys[i].leaf, .subleaf = keys[i].subleaf, .r = { (uint32_t)i, 0, 0, 0 } };
		bool rep;
		assert_int_equal(leafset_put(&s, &e, &rep), 0);
		if (rep == first[i])
			fail_msg("%s: put %zu (%#x/%#x): replaced=%d", name, i, keys[i].leaf, keys[i].subleaf, rep);
	}
	if (s.n != nwant)
		fail_msg("%s: %zu entries, want %zu", name, s.n, nwant);
	const struct leaf_entry **out = malloc((nwant ? nwant : 1) * sizeof(*out));
	assert_non_null(out);
	leafset_sorted(&s, out);
	for (size_t k = 0; k < nwant; k++) {
		const struct put *w = &puts[k];
		if (out[k]->leaf != w->k.leaf || out[k]->subleaf != w->k.subleaf)
			fail_msg("%s: sorted[%zu] = %#x/%#x, want %#x/%#x", name, k, out[k]->leaf, out[k]->subleaf,
				 w->k.leaf, w->k.subleaf);
		if (out[k]->r.eax != w->i)
			fail_msg("%s: %#x/%#x holds put %u, want the last put %u", name, w->k.leaf, w->k.subleaf,
				 out[k]->r.eax, w->i);
	}
	free(out);
	free(first);
	free(puts);
	leafset_free(&s);
}

#define K(l, s) { (l), (s) }
struct sort_case {
	const char *name;
	size_t n;
	struct key keys[16];
};

static const struct sort_case sort_cases[] = {
	{ "empty", 0, { K(0, 0) } },
	{ "one", 1, { K(0x40000000, 0) } },
	{ "two in order", 2, { K(0, 0), K(1, 0) } },
	{ "two reversed", 2, { K(1, 0), K(0, 0) } },
	{ "subleaves reversed", 4, { K(7, 3), K(7, 2), K(7, 1), K(7, 0) } },
	{ "leaf before subleaf", 4, { K(2, 0), K(1, 9), K(1, 0), K(0, 0xffffffff) } },
	{ "extremes", 5,
	  { K(0xffffffff, 0xffffffff), K(0, 0), K(0xffffffff, 0), K(0, 0xffffffff), K(0x80000000, 0x80000000) } },
	{ "hypervisor bases", 8,
	  { K(0x4000ff00, 0), K(0x40000100, 0), K(0x40000000, 0), K(0x40000200, 0), K(0x40000001, 0), K(0x40000101, 0),
	    K(0x4000fe00, 0), K(0x40000002, 0) } },
	{ "all equal leaf, shuffled subleaves", 9,
	  { K(0xd, 4), K(0xd, 0), K(0xd, 8), K(0xd, 2), K(0xd, 6), K(0xd, 1), K(0xd, 7), K(0xd, 3), K(0xd, 5) } },
	{ "duplicates replaced", 7, { K(1, 0), K(0, 0), K(1, 0), K(2, 0), K(0, 0), K(1, 0), K(0, 1) } },
	{ "one key many times", 6, { K(5, 5), K(5, 5), K(5, 5), K(5, 5), K(5, 5), K(5, 5) } },
	{ "already sorted", 10,
	  { K(0, 0), K(1, 0), K(2, 0), K(4, 0), K(4, 1), K(7, 0), K(0xd, 0), K(0xd, 1), K(0x80000000, 0),
	    K(0x80000008, 0) } },
	{ "reverse sorted", 10,
	  { K(0x80000008, 0), K(0x80000000, 0), K(0xd, 1), K(0xd, 0), K(7, 0), K(4, 1), K(4, 0), K(2, 0), K(1, 0),
	    K(0, 0) } },
	{ "sign bit in the key", 4, { K(0x7fffffff, 0), K(0x80000000, 0), K(1, 0x80000000), K(1, 0x7fffffff) } },
};

static void test_sorted_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(sort_cases); i++)
		check_sorted(sort_cases[i].name, sort_cases[i].keys, sort_cases[i].n);
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t rand32(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 32);
}

/* Many entries, with duplicates: sizes around the heap's and the set's
 * powers of two, and a dump's worth. */
static void test_sorted_many(void **state)
{
	(void)state;
	static const size_t sizes[] = { 3, 31, 32, 33, 255, 256, 257, 511, 512, 513, 1000, 4097, 20000 };
	for (size_t k = 0; k < ARRAY_SIZE(sizes); k++) {
		size_t n = sizes[k];
		struct key *keys = malloc(n * sizeof(*keys));
		assert_non_null(keys);
		for (size_t i = 0; i < n; i++) {
			/* a narrow range, so that keys repeat */
			keys[i].leaf = 0x40000000u + (rand32() % (uint32_t)(n / 2 + 1)) * 0x100u;
			keys[i].subleaf = rand32() % 3;
		}
		char name[32];
		snprintf(name, sizeof(name), "random %zu", n);
		check_sorted(name, keys, n);
		free(keys);
	}
}

/* A replaced key keeps its place and the count; the new value wins. */
static void test_replace(void **state)
{
	(void)state;
	struct leafset s;
	leafset_init(&s, &alloc_libc);
	for (uint32_t i = 0; i < 10; i++) {
		struct leaf_entry e = { .leaf = i, .r = { i, 0, 0, 0 }, .recorded = true };
		assert_int_equal(leafset_put(&s, &e, NULL), 0);
	}
	struct leaf_entry e = { .leaf = 3, .r = { 33, 1, 2, 3 }, .recorded = false };
	bool rep = false;
	assert_int_equal(leafset_put(&s, &e, &rep), 0);
	assert_true(rep);
	assert_int_equal(s.n, 10);
	assert_int_equal(s.v[3].leaf, 3); /* insertion order kept */
	const struct leaf_entry *f = leafset_find(&s, 3, 0);
	assert_ptr_equal(f, &s.v[3]);
	assert_int_equal(f->r.eax, 33);
	assert_int_equal(f->r.edx, 3);
	assert_false(f->recorded);
	e.subleaf = 1; /* another subleaf of the same leaf: a new key */
	assert_int_equal(leafset_put(&s, &e, &rep), 0);
	assert_false(rep);
	assert_int_equal(s.n, 11);
	leafset_free(&s);
}

/* LEAFSET_MAX entries fit, one more is refused with the set unchanged, and
 * replacing a key of the full set still works. */
static void test_cap(void **state)
{
	(void)state;
	struct leafset s;
	leafset_init(&s, &alloc_libc);
	int r = 0;
	for (uint32_t i = 0; i < LEAFSET_MAX && r == 0; i++) {
		struct leaf_entry e = { .leaf = i, .r = { i, 0, 0, 0 } };
		r = leafset_put(&s, &e, NULL);
	}
	assert_int_equal(r, 0);
	assert_int_equal(s.n, LEAFSET_MAX);
	struct leaf_entry extra = { .leaf = LEAFSET_MAX };
	bool rep = true;
	assert_int_equal(leafset_put(&s, &extra, &rep), -E2BIG);
	assert_false(rep);
	assert_int_equal(s.n, LEAFSET_MAX);
	assert_null(leafset_find(&s, LEAFSET_MAX, 0));
	struct leaf_entry again = { .leaf = 7, .r = { 77, 0, 0, 0 } };
	assert_int_equal(leafset_put(&s, &again, &rep), 0);
	assert_true(rep);
	assert_int_equal(leafset_find(&s, 7, 0)->r.eax, 77);
	assert_int_equal(leafset_find(&s, LEAFSET_MAX - 1, 0)->r.eax, LEAFSET_MAX - 1);
	leafset_free(&s);
}

/* An allocator that counts, and fails after a budget of allocations. */
struct counting {
	int allocs, left;
};
static void *counting_resize(void *ctx, void *p, size_t n)
{
	struct counting *c = ctx;
	if (n == 0) {
		free(p);
		return NULL;
	}
	if (c->left == 0)
		return NULL;
	c->left--;
	c->allocs++;
	return realloc(p, n);
}

/* The set grows (entries from 256, slots from 512, both doubling) with
 * every entry still found, the load under one half; reserve() sizes it in
 * one go; a failing allocator gives -ENOMEM and leaves the set as it was. */
static void test_growth(void **state)
{
	(void)state;
	struct counting c = { .left = -1 };
	const struct core_alloc a = { counting_resize, &c };
	struct leafset s;
	leafset_init(&s, &a);
	assert_null(leafset_find(&s, 0, 0)); /* empty, no slots yet */
	for (uint32_t i = 0; i < 3000; i++) {
		struct leaf_entry e = { .leaf = 0x40000000u + i * 0x100u, .subleaf = i & 1, .r = { i, 0, 0, 0 } };
		assert_int_equal(leafset_put(&s, &e, NULL), 0);
		assert_true(s.n <= s.cap);
		assert_true(s.n * 2 <= s.nslots);
		assert_int_equal(s.nslots & (s.nslots - 1), 0);
	}
	for (uint32_t i = 0; i < 3000; i++) {
		const struct leaf_entry *e = leafset_find(&s, 0x40000000u + i * 0x100u, i & 1);
		assert_non_null(e);
		assert_int_equal(e->r.eax, i);
		assert_null(leafset_find(&s, 0x40000000u + i * 0x100u, !(i & 1)));
	}
	assert_int_equal(s.cap, 4096);
	assert_int_equal(s.nslots, 8192);
	leafset_clear(&s);
	assert_int_equal(s.n, 0);
	assert_null(leafset_find(&s, 0x40000000u, 0));
	leafset_free(&s);

	/* reserve: no allocation while filling up to the reserved size */
	leafset_init(&s, &a);
	leafset_reserve(&s, 2000);
	assert_int_equal(s.cap, 2000);
	assert_true(s.nslots >= 2 * 2001);
	int before = c.allocs;
	for (uint32_t i = 0; i < 2000; i++) {
		struct leaf_entry e = { .leaf = i };
		assert_int_equal(leafset_put(&s, &e, NULL), 0);
	}
	assert_int_equal(c.allocs, before);
	leafset_free(&s);

	/* out of memory: the first entry array, and a later growth */
	leafset_init(&s, &a);
	c.left = 1; /* the slots, not the entries */
	struct leaf_entry e0 = { .leaf = 1 };
	assert_int_equal(leafset_put(&s, &e0, NULL), -ENOMEM);
	assert_int_equal(s.n, 0);
	assert_null(leafset_find(&s, 1, 0));
	leafset_free(&s);
	leafset_init(&s, &a);
	c.left = 2;
	for (uint32_t i = 0; i < 256; i++) {
		struct leaf_entry e = { .leaf = i };
		assert_int_equal(leafset_put(&s, &e, NULL), 0);
	}
	struct leaf_entry e256 = { .leaf = 256 };
	assert_int_equal(leafset_put(&s, &e256, NULL), -ENOMEM);
	assert_int_equal(s.n, 256);
	assert_null(leafset_find(&s, 256, 0));
	assert_non_null(leafset_find(&s, 255, 0));
	leafset_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sorted_table),
		cmocka_unit_test(test_sorted_many),
		cmocka_unit_test(test_replace),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_growth),
	};
	return cmocka_run_group_tests_name("leafset", tests, NULL, NULL);
}
