# bash completion for pvhprobe(1)                          -*- shell-script -*-
#
# Installed as bash-completion/completions/pvhprobe (loaded on demand by
# bash-completion 2). The options follow the argp table in src/cli.c;
# tests/cli/completions.sh checks that every option `pvhprobe --help` prints,
# every model `pvhprobe --list` prints and every format appears here.

# COMPREPLY=($(compgen ...)) is the bash-completion idiom.
# shellcheck disable=SC2207

# The CPU numbers in /sys/devices/system/cpu/online ("0-3,5,7-8"), one a line.
_pvhprobe_cpus()
{
    local online range lo hi
    [[ -r /sys/devices/system/cpu/online ]] || return 0
    read -r online </sys/devices/system/cpu/online || return 0
    local IFS=,
    for range in $online; do
        if [[ $range == *-* ]]; then
            lo=${range%-*} hi=${range#*-}
            for ((; lo <= hi; lo++)); do
                printf '%s\n' "$lo"
            done
        else
            printf '%s\n' "$range"
        fi
    done
}

_pvhprobe()
{
    local cur prev words cword split
    _init_completion -s || return

    case $prev in
        -'?' | --help | --usage | -V | --version | --list)
            return
            ;;
        -i | --input)
            # A dump file, a bundle directory (dump --sysroot-out), or - for stdin.
            _filedir
            [[ $cur == - || -z $cur ]] && COMPREPLY+=(-)
            return
            ;;
        --sysroot | --sysroot-out)
            _filedir -d
            return
            ;;
        -c | --cpu)
            local IFS=$'\n'
            COMPREPLY=($(compgen -W "$(_pvhprobe_cpus)" -- "$cur"))
            return
            ;;
        --source)
            COMPREPLY=($(compgen -W 'insn dev xen-pv' -- "$cur"))
            return
            ;;
        -m | --model)
            # A comma-separated list: complete the name after the last comma,
            # leaving out the names already given.
            local done_='' m models=''
            [[ $cur == *,* ]] && done_=${cur%,*},
            for m in freebsd freebsd-14.0 freebsd-legacy linux linux-5.0 linux-4.11 netbsd all; do
                [[ ,$done_ == *,$m,* ]] || models+=" $m"
            done
            COMPREPLY=($(compgen -P "$done_" -W "$models" -- "${cur##*,}"))
            return
            ;;
        --expect)
            COMPREPLY=($(compgen -W 'xen generic observed' -- "$cur"))
            return
            ;;
        -f | --format)
            COMPREPLY=($(compgen -W 'text json env prometheus' -- "$cur"))
            return
            ;;
    esac

    $split && return

    # The command, if one was given (skipping options and their arguments).
    local i cmd=
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            -i | --input | -c | --cpu | --source | --sysroot | --sysroot-out | -m | --model | \
                --expect | -f | --format | --timeout | --capture)
                ((i++))
                ;;
            -*) ;;
            *)
                cmd=${words[i]}
                break
                ;;
        esac
    done

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W '-a --all-cpus -c --cpu= -i --input= --source= --sysroot=
            --sysroot-out= --expect= -m --model= -f --format= -j --json --list
            -q --quiet --timing --timeout= --capture= -v --verbose -? --help --usage -V --version' -- "$cur"))
        [[ ${COMPREPLY-} == *= ]] && compopt -o nospace
        return
    fi

    case $cmd in
        '')
            COMPREPLY=($(compgen -W 'dump compare kernel boot' -- "$cur"))
            ;;
        compare)
            # Two dumps, reports or bundle directories; - is this machine.
            _filedir
            [[ $cur == - || -z $cur ]] && COMPREPLY+=(-)
            ;;
        kernel)
            # Kernel images: ELF files (vmlinux, FreeBSD kernel) or bzImage.
            _filedir
            ;;
        boot)
            # After --: the VMM command and its arguments.
            if [[ " ${words[*]:0:cword} " == *" -- "* ]]; then
                _command_offset $((i + 2))
            else
                COMPREPLY=($(compgen -W '-- --timeout= --capture=' -- "$cur"))
            fi
            ;;
        dump) ;;
    esac
} &&
    complete -F _pvhprobe pvhprobe

# ex: filetype=sh
