#!/bin/sh
# manpage.sh PVHPROBE MANPAGE - does the man page document the program?
#
# Checks, each counted as one test:
#  - every option in `PVHPROBE --help` (long and short form) appears in the
#    SYNOPSIS as mdoc flag text (`.Fl c`, `Fl ajqv`, `Fl -cpu` or
#    `Fl \-cpu`; a long option also counts as there when its short letter
#    is), and has an `.It` entry of its own (it is described, not only
#    listed). The SYNOPSIS, not the whole page: anywhere in the page, the
#    `.It` entry itself would always satisfy the first check;
#  - the `dump` command is in the SYNOPSIS and in COMMANDS;
#  - every model that `PVHPROBE --list` prints has an `.It Cm NAME` entry;
#  - every exit status named in --help has an `.It N` entry;
#  - `mandoc -Tlint -W warning` prints nothing. Without mandoc this check is
#    skipped, except under CI=true, where it fails.
# The last line of output is "N passed, M failed"; the exit status is 1 if
# anything failed, 2 on a usage error.
set -u

if [ $# -ne 2 ]; then
	echo "usage: $0 PVHPROBE MANPAGE" >&2
	exit 2
fi
prog=$1
page=$2
. "$(dirname "$0")/../lib/tap.sh" # ok, bad, summary

if [ ! -r "$page" ]; then
	echo "FAIL: cannot read $page"
	echo "0 passed, 1 failed"
	exit 1
fi
help=$("$prog" --help 2>&1) || {
	echo "FAIL: $prog --help exited with status $?"
	echo "0 passed, 1 failed"
	exit 1
}

# Escape a string for use inside an extended regular expression.
ere() {
	printf '%s\n' "$1" | sed 's/[][\.*^$?+(){}|/]/\\&/g'
}

# Option lines of argp's --help: "  -c, --cpu=N   text", "      --list  text",
# "  -?, --help". Prints "SHORT LONG" per option, SHORT "-" when none.
options=$(printf '%s\n' "$help" | sed -n \
	-e 's/^  \(-[^ ,]\), --\([A-Za-z0-9][-A-Za-z0-9]*\).*/\1 \2/p' \
	-e 's/^      --\([A-Za-z0-9][-A-Za-z0-9]*\).*/- \1/p')
if [ -z "$options" ]; then
	bad "no options found in '$prog --help'"
fi

synopsis=$(sed -n '/^\.Sh SYNOPSIS/,/^\.Sh /p' "$page")
# mdoc spells a long option "Fl -name" or "Fl \-name", alone or after other
# Fl words on the line (".Op Fl j | -json"), followed by a blank, "=" or the
# line's end. Looked for in the SYNOPSIS.
flag_long() {
	printf '%s\n' "$synopsis" | grep -Eq "Fl( [^ ]+)* (\\\\)?-$(ere "$1")( |=|\$)"
}
# A short option in the SYNOPSIS: "Fl c", "Fl \&?", or a letter of "Fl ajqv".
flag_short() {
	s=$(ere "$1")
	[ "$1" = "?" ] && s='\\&\?'
	printf '%s\n' "$synopsis" | grep -Eq "Fl( [^ ]+)* [A-Za-z]*${s}[A-Za-z]*( |\$)"
}
# An .It entry naming the option.
item_long() {
	grep -Eq "^\.It .*Fl (\\\\)?-$(ere "$1")( |=|\$)" "$page"
}
item_short() {
	s=$(ere "$1")
	[ "$1" = "?" ] && s='\\&\?'
	grep -Eq "^\.It Fl ${s}( |\$)" "$page"
}

while read -r short long; do
	[ -n "$long" ] || continue
	c=${short#-}
	if flag_long "$long" || { [ "$short" != "-" ] && flag_short "$c"; }; then ok; else
		bad "--$long is not in the SYNOPSIS of $page as 'Fl -$long'${c:+ or 'Fl $c'}"
	fi
	if item_long "$long"; then ok; else bad "--$long has no .It entry in $page"; fi
	[ "$short" != "-" ] || continue
	if flag_short "$c"; then ok; else bad "$short (--$long) is not in the SYNOPSIS of $page as 'Fl $c'"; fi
	if item_short "$c"; then ok; else bad "$short (--$long) has no .It entry in $page"; fi
done <<EOF
$options
EOF

# The dump command: in the SYNOPSIS and in COMMANDS.
if printf '%s\n' "$help" | grep -q '\[OPTION\.\.\.\] dump'; then
	if sed -n '/^\.Sh SYNOPSIS/,/^\.Sh /p' "$page" | grep -q '^\.Cm dump$'; then ok; else bad "SYNOPSIS lacks '.Cm dump'"; fi
	if sed -n '/^\.Sh COMMANDS/,/^\.Sh /p' "$page" | grep -q '^\.It Cm dump$'; then ok; else bad "COMMANDS lacks '.It Cm dump'"; fi
fi

# Models from --list.
models=$("$prog" --list 2>/dev/null | sed -n '/^models:/,$p' | sed -n 's/^  \([^ ]*\) .*/\1/p')
[ -n "$models" ] || bad "'$prog --list' printed no models"
for m in $models; do
	if sed -n '/^\.Sh MODELS/,/^\.Sh /p' "$page" | grep -Eq "^\.It Cm $(ere "$m")\$"; then
		ok
	else
		bad "model $m has no '.It Cm $m' in MODELS"
	fi
done

# Exit statuses named in --help ("Exit status: 0 success; 1 ...; 2 ...").
codes=$(printf '%s\n' "$help" | tr '\n' ' ' | sed -n 's/.*Exit status: \(.*\)/\1/p' |
	tr ';' '\n' | sed -n 's/^ *\([0-9][0-9]*\) .*/\1/p')
[ -n "$codes" ] || bad "no exit statuses found in '$prog --help'"
for c in $codes; do
	if sed -n '/^\.Sh EXIT STATUS/,/^\.Sh /p' "$page" | grep -q "^\.It $c\$"; then
		ok
	else
		bad "exit status $c has no '.It $c' in EXIT STATUS"
	fi
done

# mandoc lint.
if command -v mandoc >/dev/null 2>&1; then
	lint=$(mandoc -Tlint -W warning "$page" 2>&1)
	if [ -z "$lint" ]; then
		ok
	else
		bad "mandoc -Tlint -W warning $page:"
		printf '%s\n' "$lint"
	fi
elif [ "${CI:-}" = true ]; then
	bad "mandoc is not installed (CI=true requires the lint check)"
else
	echo "skip: mandoc not installed, lint not checked"
fi

summary
