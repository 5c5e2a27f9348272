/* strtab.h - one enum, one name table, both directions.
 *
 * In the manner of systemd's DEFINE_STRING_TABLE_LOOKUP (src/basic/
 * string-table.h): each enum has a designated-initialiser table of names
 * indexed by its values, and this one pair of helpers gives the name of a
 * value and the value of a name, for the CLI, the renderers and the readers
 * alike. */
#ifndef PVHPROBE_CORE_STRTAB_H
#define PVHPROBE_CORE_STRTAB_H

#include "base.h"

/* names[v], or "unknown" for a value outside the table or without a name. */
const char *strtab_name(const char *const *names, size_t n, int v);

/* The index of s in names, or -1 (NULL s too). */
int strtab_find(const char *const *names, size_t n, const char *s);

/* Defines TYPE's NAME_name() and NAME_from_name() over a names[] table;
 * NAME_from_name() returns the enum's _INVALID (-1) for an unknown name. */
#define DEFINE_STRTAB(name, type, table)                                              \
	const char *name##_name(type v)                                               \
	{                                                                             \
		return strtab_name(table, ARRAY_SIZE(table), (int)v);                 \
	}                                                                             \
	type name##_from_name(const char *s)                                          \
	{                                                                             \
		return (type)strtab_find(table, ARRAY_SIZE(table), s);                \
	}

#endif
