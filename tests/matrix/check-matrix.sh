#!/bin/sh
# check-matrix.sh PVHPROBE [SHARED_DUMPS] - is docs/matrix.md up to date?
#
# Regenerates the matrix (make-matrix.sh) into a temporary file and compares
# it with docs/matrix.md. With SHARED_DUMPS (default ../shared/dumps)
# present the whole file must match. Without it the real-capture rows
# cannot be regenerated: everything but the rows between
# <!-- matrix:shared --> and <!-- /matrix:shared --> must match (the
# hand-built rows, the column list and the text), and the shared rows are
# reported as skipped. Exit 0 when current, 1 when stale ("make matrix"
# rewrites it).
set -u
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: $0 PVHPROBE [SHARED_DUMPS]" >&2
	exit 2
fi
PVHPROBE=$1
SHARED=${2:-../shared/dumps}
HERE=$(cd "$(dirname "$0")" && pwd)
DOC=$HERE/../../docs/matrix.md
TMP=$(mktemp -d "${TMPDIR:-/tmp}/pvhprobe-matrix-check.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM HUP

if ! sh "$HERE/make-matrix.sh" "$PVHPROBE" "$SHARED" >"$TMP/new.md"; then
	echo "not ok - make-matrix.sh failed"
	exit 1
fi
# without_shared FILE: FILE with the shared section's rows left out.
without_shared() {
	sed '/^<!-- matrix:shared -->$/,/^<!-- \/matrix:shared -->$/{/^<!--/!d}' "$1"
}
if [ -d "$SHARED" ] && ls "$SHARED"/*.cpuid >/dev/null 2>&1; then
	a=$DOC b=$TMP/new.md what="docs/matrix.md"
else
	echo "SKIP: $SHARED is absent: the real-capture rows of docs/matrix.md are not checked"
	without_shared "$DOC" >"$TMP/old.part"
	without_shared "$TMP/new.md" >"$TMP/new.part"
	a=$TMP/old.part b=$TMP/new.part what="docs/matrix.md (all but the real-capture rows)"
fi
if diff -u "$a" "$b" >"$TMP/diff"; then
	echo "ok - $what is up to date"
	exit 0
fi
echo "not ok - $what is stale: run 'make matrix' and commit it"
sed 's/^/#   /' "$TMP/diff" | head -40
exit 1
