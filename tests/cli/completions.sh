#!/bin/sh
# completions.sh PVHPROBE [COMPLETIONS_DIR] - do the shell completions cover
# the program, and do the shells accept them?
#
# COMPLETIONS_DIR defaults to the completions/ directory of this checkout
# (pvhprobe.bash, _pvhprobe, pvhprobe.fish). Checks, each counted as one test:
#  - every option in `PVHPROBE --help`, long and short form, appears in each
#    of the three files (bash: the word; zsh: the word in an _arguments spec;
#    fish: `-l NAME` / `-s C`);
#  - every model `PVHPROBE --list` prints, and `all`, appears in each file;
#    so does every value of --format, --source and --expect (as the usage
#    error for a bad value lists them) and every command of the usage lines;
#  - bash parses and loads the file (with bash-completion's main script when
#    installed), and _pvhprobe completes `pvhprobe --format=`,
#    `pvhprobe --format `, --model lists, --expect, --source, options,
#    commands, files after `kernel` and -i, directories after --sysroot;
#  - zsh loads _pvhprobe after compinit and, driven through zsh/zpty,
#    completes some of the same lines;
#  - fish loads pvhprobe.fish and `complete -C` completes them.
# A shell that is not installed (zsh, fish, bash-completion) is skipped with
# a note, except under CI=true, where it fails.
# The last line of output is "N passed, M failed"; the exit status is 1 if
# anything failed, 2 on a usage error.
set -u

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: $0 PVHPROBE [COMPLETIONS_DIR]" >&2
	exit 2
fi
prog=$1
dir=${2:-$(dirname "$0")/../../completions}
# Absolute paths: the completion tests run in a scratch directory.
case $prog in
*/*) prog=$(cd "$(dirname "$prog")" && pwd)/$(basename "$prog") ;;
esac
dir=$(cd "$dir" 2>/dev/null && pwd) || {
	echo "FAIL: no completions directory $dir"
	echo "0 passed, 1 failed"
	exit 1
}
bashf=$dir/pvhprobe.bash
zshf=$dir/_pvhprobe
fishf=$dir/pvhprobe.fish
# ok, bad, missing (a failure under CI, else a note), summary
CI_REQUIRES="every shell must be installed"
SKIP_HINT="install zsh, fish and bash-completion to run them"
. "$(dirname "$0")/../lib/tap.sh"

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

help=$("$prog" --help 2>&1) || {
	echo "FAIL: $prog --help exited with status $?"
	echo "0 passed, 1 failed"
	exit 1
}
list=$("$prog" --list 2>&1) || {
	echo "FAIL: $prog --list exited with status $?"
	echo "0 passed, 1 failed"
	exit 1
}
for f in "$bashf" "$zshf" "$fishf"; do
	if [ -r "$f" ]; then ok; else bad "cannot read $f"; fi
done

# Escape a string for use inside an extended regular expression.
ere() {
	printf '%s\n' "$1" | sed 's/[][\.*^$?+(){}|/]/\\&/g'
}

# --- coverage ---------------------------------------------------------------

# Option lines of argp's --help: "  -c, --cpu=N   text", "      --list  text",
# "  -?, --help". Prints "SHORT LONG" per option, SHORT "-" when none.
options=$(printf '%s\n' "$help" | sed -n \
	-e 's/^  -\([^ ,]\), --\([A-Za-z0-9][-A-Za-z0-9]*\).*/\1 \2/p' \
	-e 's/^      --\([A-Za-z0-9][-A-Za-z0-9]*\).*/- \1/p')
if [ -z "$options" ]; then
	bad "no options found in '$prog --help'"
fi
# Models: the indented lines after "models:" in --list.
models=$(printf '%s\n' "$list" | sed -n '/^models:/,/^[^ ]/s/^  \([^ ][^ ]*\).*/\1/p')
if [ -z "$models" ]; then
	bad "no models found in '$prog --list'"
fi
models="$models all"
# The values of --format, --source and --expect, as the program's own usage
# error lists them: "pvhprobe: --format: expected text, json or env, got '@'".
values=
for o in format source expect; do
	v=$("$prog" "--$o=@" 2>&1 | sed -n "s/.*--$o: expected \(.*\), got .*/\1/p" |
		sed -e 's/,/ /g' -e 's/ or / /g')
	if [ -z "$v" ]; then
		bad "no values for --$o in the usage error of '$prog --$o=@'"
	fi
	values="$values $v"
done
# Commands: "  or:  pvhprobe [OPTION...] dump".
commands=$(printf '%s\n' "$help" |
	sed -n 's/^ *or: *[^ ]* \[OPTION\.\.\.\] \([a-z][-a-z]*\).*/\1/p')
if [ -z "$commands" ]; then
	bad "no commands found in '$prog --help' (\"or:  pvhprobe [OPTION...] CMD\")"
fi

# has FILE ERE: does a line of FILE match?
has() {
	grep -Eq -- "$2" "$1" 2>/dev/null
}
# A word: not preceded or followed by a name character.
word() {
	printf '(^|[^-A-Za-z0-9_.])%s([^-A-Za-z0-9_.]|$)' "$(ere "$1")"
}

printf '%s\n' "$options" | while read -r s l; do
	# bash: "--cpu=" or "--list" as a word of the compgen list or a case pattern.
	has "$bashf" "(^|[^-A-Za-z0-9])--$(ere "$l")([^-A-Za-z0-9]|\$)" ||
		echo "FAIL: --$l is not in $bashf"
	# zsh: {-c+,--cpu=} or '--list[...]' or '(- *)--usage[...]'.
	has "$zshf" "(^|[^-A-Za-z0-9])--$(ere "$l")([=+[},']|\$)" ||
		echo "FAIL: --$l is not in $zshf"
	# fish: "-l cpu".
	has "$fishf" "(-l|--long-option) +'?$(ere "$l")'?( |\$)" ||
		echo "FAIL: --$l is not in $fishf"
	[ "$s" = - ] && continue
	has "$bashf" "(^|[^-A-Za-z0-9])-$(ere "$s")([^-A-Za-z0-9]|\$)" ||
		echo "FAIL: -$s is not in $bashf"
	zs=$(ere "$s")
	[ "$s" = "?" ] && zs="(\\\\)?\\?"
	has "$zshf" "(^|[^-A-Za-z0-9])-$zs([+[},']|\$)" ||
		echo "FAIL: -$s is not in $zshf"
	has "$fishf" "(-s|--short-option) +'?$(ere "$s")'?( |\$)" ||
		echo "FAIL: -$s is not in $fishf"
done >"$tmp/opts.out"
cat "$tmp/opts.out"
nopt=$(printf '%s\n' "$options" | grep -c .)
nshort=$(printf '%s\n' "$options" | grep -vc '^- ')
nbad=$(grep -c . "$tmp/opts.out")
fail=$((fail + nbad))
pass=$((pass + 3 * (nopt + nshort) - nbad))

for w in $models $values $commands; do
	for f in "$bashf" "$zshf" "$fishf"; do
		if has "$f" "$(word "$w")"; then ok; else bad "'$w' is not in $f"; fi
	done
done

# --- bash -------------------------------------------------------------------

# The files the completion tests see: a dump, a kernel image, a directory.
mkdir "$tmp/cwd" "$tmp/cwd/sysroot.d" "$tmp/home"
: >"$tmp/cwd/dump.cpuid"
: >"$tmp/cwd/vmlinuz"

if bash -n "$bashf" 2>"$tmp/err" && [ ! -s "$tmp/err" ]; then
	ok
else
	bad "bash -n $bashf: $(head -c 400 "$tmp/err")"
fi
if bash --norc --noprofile -c '. "$1" && complete -p pvhprobe' sh "$bashf" \
	>"$tmp/out" 2>"$tmp/err" && [ ! -s "$tmp/err" ] && grep -q _pvhprobe "$tmp/out"; then
	ok
else
	bad "bash cannot load $bashf alone: $(head -c 400 "$tmp/err")"
fi

bcmain=${BASH_COMPLETION_SCRIPT:-}
if [ -z "$bcmain" ]; then
	for f in /usr/share/bash-completion/bash_completion \
		/usr/local/share/bash-completion/bash_completion /etc/bash_completion; do
		if [ -r "$f" ]; then
			bcmain=$f
			break
		fi
	done
fi

# bash_case EXPECTED WORD...: complete the last WORD (COMP_WORDS as bash splits
# them: "--format=" is "--format" "="); EXPECTED must be among COMPREPLY
# ("!X": X must not be).
bash_case() {
	exp=$1
	shift
	# The line, as typed: "=" joins its neighbours.
	line=
	prev=
	for w in "$@"; do
		if [ -z "$line" ]; then
			line=$w
		elif [ "$w" = = ] || [ "$prev" = = ]; then
			line="$line$w"
		else
			line="$line $w"
		fi
		prev=$w
	done
	(cd "$tmp/cwd" && HOME=$tmp/home bash --norc --noprofile -c '
		. "$1" || exit 10
		. "$2" || exit 11
		compopt() { :; }  # only valid inside a real completion
		COMP_LINE=$3
		COMP_POINT=${#COMP_LINE}
		shift 3
		COMP_WORDS=("$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMPREPLY=()
		_pvhprobe pvhprobe "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}"
	' sh "$bcmain" "$bashf" "$line" "$@") >"$tmp/out" 2>"$tmp/err"
	rc=$?
	case $exp in
	!*) if grep -qxF -- "${exp#!}" "$tmp/out"; then found=1; else found=0; fi ;;
	*) if grep -qxF -- "$exp" "$tmp/out"; then found=0; else found=1; fi ;;
	esac
	if [ $rc -eq 0 ] && [ $found -eq 0 ] && [ ! -s "$tmp/err" ]; then
		ok
	else
		bad "bash: '$line' completes to [$(tr '\n' ' ' <"$tmp/out")], expected ${exp}" \
			"(status $rc) $(head -c 400 "$tmp/err")"
	fi
}

if [ -z "$bcmain" ]; then
	missing "bash-completion is not installed: the bash completion is not exercised"
else
	if bash --norc --noprofile -c '. "$1" && . "$2" && complete -p pvhprobe' sh \
		"$bcmain" "$bashf" >"$tmp/out" 2>"$tmp/err" && [ ! -s "$tmp/err" ]; then
		ok
	else
		bad "bash cannot load $bashf with $bcmain: $(head -c 400 "$tmp/err")"
	fi
	bash_case json pvhprobe --format =
	bash_case json pvhprobe --format = j
	bash_case json pvhprobe --format ''
	bash_case env pvhprobe -f ''
	bash_case '!text' pvhprobe --format j
	bash_case freebsd-14.0 pvhprobe -m ''
	bash_case freebsd,linux pvhprobe --model = freebsd,li
	bash_case linux,all pvhprobe -m linux,
	bash_case '!linux,linux' pvhprobe -m linux,
	bash_case generic pvhprobe --expect ''
	bash_case observed pvhprobe --expect = o
	bash_case sysroot.d pvhprobe dump --sysroot-out ''
	bash_case dev pvhprobe --source = ''
	bash_case --list pvhprobe --li
	bash_case --sysroot= pvhprobe --sy
	bash_case --format= pvhprobe -j --fo
	bash_case dump pvhprobe ''
	bash_case kernel pvhprobe -i dump.cpuid -j ''
	bash_case '!dump' pvhprobe dump ''
	bash_case compare pvhprobe -j co
	bash_case dump.cpuid pvhprobe compare ''
	bash_case - pvhprobe compare dump.cpuid ''
	bash_case prometheus pvhprobe --format = p
	bash_case --all-cpus pvhprobe --al
	bash_case vmlinuz pvhprobe kernel ''
	bash_case vmlinuz pvhprobe -q kernel dump.cpuid ''
	bash_case dump.cpuid pvhprobe -i ''
	bash_case dump.cpuid pvhprobe --input = ''
	bash_case sysroot.d pvhprobe --sysroot ''
	bash_case '!vmlinuz' pvhprobe --sysroot ''
	if [ -r /sys/devices/system/cpu/online ]; then
		cpu0=$(sed 's/[-,].*//' /sys/devices/system/cpu/online)
		bash_case "$cpu0" pvhprobe --cpu ''
	fi
fi

# --- zsh --------------------------------------------------------------------

# zsh_case EXPECTED LINE: type LINE and two tabs into an interactive zsh on a
# pseudo-terminal; EXPECTED must show up (listed or inserted).
zsh_case() {
	(cd "$tmp/cwd" && HOME=$tmp/home timeout 20 zsh -f -c '
		zmodload zsh/zpty || exit 10
		zpty z "TERM=dumb PS1=\"> \" zsh -f -i" || exit 11
		zpty -w z "fpath=(${(q)1} \$fpath); autoload -Uz compinit; compinit -u -D;"\
" unsetopt beep; zstyle \":completion:*\" list-prompt \"\"; print READY\"\"MARK"
		zpty -r z out "*READYMARK*" || exit 12
		zpty -w -n z "$2"$'\''\t\t'\''
		sleep 0.5
		zpty -w -n z $'\''\C-e\C-u'\''
		zpty -w z "print DONE\"\"MARK"
		zpty -r z out "*DONEMARK*" || exit 13
		print -r -- "$out"
		zpty -d z
	' zsh "$(cd "$dir" && pwd)" "$1") >"$tmp/out" 2>"$tmp/err"
}
zsh_expect() {
	exp=$1
	line=$2
	zsh_case "$line"
	rc=$?
	# Drop the echo of the typed line itself before looking.
	if [ $rc -eq 0 ] && tr '\r' '\n' <"$tmp/out" | grep -v "^> $(ere "$line")\$" |
		grep -q -- "$(ere "$exp")"; then
		ok
	else
		bad "zsh: '$line' does not complete to $exp (status $rc):" \
			"$(tr '\r\n' '  ' <"$tmp/out" | cut -c1-400) $(head -c 400 "$tmp/err")"
	fi
}

if ! command -v zsh >/dev/null 2>&1; then
	missing "zsh is not installed"
else
	if HOME=$tmp/home zsh -f -c 'autoload -Uz compinit && compinit -u -D &&
		source "$1" && [[ $_comps[pvhprobe] == _pvhprobe ]]' zsh "$zshf" \
		>"$tmp/out" 2>"$tmp/err" && [ ! -s "$tmp/err" ]; then
		ok
	else
		bad "zsh cannot load $zshf: $(cat "$tmp/out" "$tmp/err" | head -c 400)"
	fi
	if zsh -c 'zmodload zsh/zpty' 2>/dev/null && command -v timeout >/dev/null 2>&1; then
		zsh_expect 'json' 'pvhprobe --format='
		zsh_expect 'observed' 'pvhprobe --expect '
		zsh_expect 'freebsd-legacy' 'pvhprobe -m linux,'
		zsh_expect 'kernel' 'pvhprobe '
		zsh_expect 'vmlinuz' 'pvhprobe kernel vml'
		zsh_expect 'dump.cpuid' 'pvhprobe compare du'
		zsh_expect 'prometheus' 'pvhprobe -f '
		zsh_expect '--sysroot' 'pvhprobe --sys'
	else
		missing "zsh/zpty or timeout(1) is not available: the zsh completion is not exercised"
	fi
fi

# --- fish -------------------------------------------------------------------

# fish_case EXPECTED LINE: `complete -C LINE` must offer EXPECTED ("!X": not X).
fish_case() {
	exp=$1
	line=$2
	(cd "$tmp/cwd" && HOME=$tmp/home XDG_CONFIG_HOME=$tmp/home/.config \
		XDG_DATA_HOME=$tmp/home/.local/share fish --no-config -c \
		'source $argv[1]; and complete -C $argv[2]' "$fishf" "$line") \
		>"$tmp/out" 2>"$tmp/err"
	rc=$?
	cut -f1 "$tmp/out" >"$tmp/words"
	case $exp in
	!*) if grep -qxF -- "${exp#!}" "$tmp/words"; then found=1; else found=0; fi ;;
	*) if grep -qxF -- "$exp" "$tmp/words"; then found=0; else found=1; fi ;;
	esac
	if [ $rc -eq 0 ] && [ $found -eq 0 ] && [ ! -s "$tmp/err" ]; then
		ok
	else
		bad "fish: '$line' completes to [$(tr '\n\t' '  ' <"$tmp/words")], expected $exp" \
			"(status $rc) $(head -c 400 "$tmp/err")"
	fi
}

if ! command -v fish >/dev/null 2>&1; then
	missing "fish is not installed"
else
	if HOME=$tmp/home XDG_CONFIG_HOME=$tmp/home/.config XDG_DATA_HOME=$tmp/home/.local/share \
		fish --no-config -c 'source $argv[1]; and complete -c pvhprobe | count' "$fishf" \
		>"$tmp/out" 2>"$tmp/err" && [ ! -s "$tmp/err" ]; then
		ok
	else
		bad "fish cannot load $fishf: $(cat "$tmp/out" "$tmp/err" | head -c 400)"
	fi
	fish_case --format=json 'pvhprobe --format='
	fish_case json 'pvhprobe --format '
	fish_case env 'pvhprobe -f e'
	fish_case freebsd,linux 'pvhprobe -m freebsd,li'
	fish_case --model=freebsd-14.0 'pvhprobe --model=freebsd-'
	fish_case xen 'pvhprobe --expect '
	fish_case observed 'pvhprobe --expect o'
	fish_case sysroot.d/ 'pvhprobe dump --sysroot-out '
	fish_case insn 'pvhprobe --source '
	fish_case --list 'pvhprobe --li'
	fish_case dump 'pvhprobe '
	fish_case kernel 'pvhprobe -i dump.cpuid -j '
	fish_case '!dump' 'pvhprobe dump '
	fish_case compare 'pvhprobe com'
	fish_case dump.cpuid 'pvhprobe compare - du'
	fish_case prometheus 'pvhprobe --format p'
	fish_case --all-cpus 'pvhprobe --al'
	fish_case vmlinuz 'pvhprobe kernel vml'
	fish_case dump.cpuid 'pvhprobe -i du'
	fish_case sysroot.d/ 'pvhprobe --sysroot sys'
fi

summary
