#!/bin/sh
# run.sh [-j N] [--limit N] [--only FILE] - mutation testing of the models
# and the scan (tests/mutate/mutate.py has the mutation operators and how a
# mutant is judged). Runs in copies of the tree under a temporary
# directory, 2 jobs by default; the checkout is not written. Takes minutes:
# not part of make check. Results: tests/mutate/RESULTS.md.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
exec "${PYTHON:-python3}" "$HERE/mutate.py" run "$@"
