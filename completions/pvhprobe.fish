# fish completion for pvhprobe(1). Installed as
# fish/vendor_completions.d/pvhprobe.fish. The options follow the argp table
# in src/cli.c; tests/cli/completions.sh checks that every option `pvhprobe
# --help` prints, every model `pvhprobe --list` prints and every format
# appears here.

# The command word (dump, kernel), if one was given: the first word that is
# neither an option nor the argument of one.
function __pvhprobe_command
    set -l words (commandline -opc)
    set -e words[1]
    set -l skip 0
    for w in $words
        if test $skip = 1
            set skip 0
            continue
        end
        switch $w
            case -i --input -c --cpu --source --sysroot --sysroot-out -m --model --expect -f --format --timeout --capture
                set skip 1
            case '-*'
            case '*'
                echo $w
                return 0
        end
    end
    return 1
end

function __pvhprobe_needs_command
    not __pvhprobe_command >/dev/null
end

function __pvhprobe_command_is
    set -l cmd (__pvhprobe_command)
    and test "$cmd" = $argv[1]
end

# CPU numbers from /sys/devices/system/cpu/online ("0-3,5,7-8").
function __pvhprobe_cpus
    test -r /sys/devices/system/cpu/online; or return
    for range in (string split , < /sys/devices/system/cpu/online)
        set -l ends (string split - $range)
        if test (count $ends) = 2
            printf '%s\tonline CPU\n' (seq $ends[1] $ends[2])
        else
            printf '%s\tonline CPU\n' $range
        end
    end
end

# A comma-separated list of models: complete the name after the last comma.
function __pvhprobe_models
    set -l token (commandline -ct | string replace -r -- '^(--model=|-m)' '')
    set -l done_ (string match -r -- '^.*,' $token; or echo)
    for m in freebsd\t'FreeBSD 15.0 and main' \
        freebsd-14.0\t'FreeBSD 14.0' \
        freebsd-legacy\t'FreeBSD 13.1 and earlier' \
        linux\t'Linux 6.13 and later, XSA-466 stable releases' \
        linux-5.0\t'Linux 5.0 to 6.12.5' \
        linux-4.11\t'Linux 4.11 to 4.20' \
        netbsd\t'NetBSD 11.0 and -current' \
        all\t'every model (default)'
        echo $done_[1]$m
    end
end

complete -c pvhprobe -f

# Commands
complete -c pvhprobe -n __pvhprobe_needs_command -a dump -d 'Print every leaf the report reads, in cpuid -r form'
complete -c pvhprobe -n __pvhprobe_needs_command -a compare -d 'What differs between two dumps, reports or bundles'
complete -c pvhprobe -n '__pvhprobe_command_is compare' -F -a - -d 'this machine'
complete -c pvhprobe -n __pvhprobe_needs_command -a kernel -d 'Can these kernel images be PVH-booted?'
complete -c pvhprobe -n '__pvhprobe_command_is kernel' -F

# Input
complete -c pvhprobe -s a -l all-cpus -d 'Also read the leaves on every CPU and report where they differ'
complete -c pvhprobe -s c -l cpu -x -a '(__pvhprobe_cpus)' -d 'Probe CPU N, or pick CPU N of a multi-CPU dump'
complete -c pvhprobe -s i -l input -r -F -d 'Analyse a recorded dump or bundle (- for stdin) instead of this CPU'
complete -c pvhprobe -l source -x -a 'insn\t"the CPUID instruction (default)" dev\t/dev/cpu/N/cpuid xen-pv\t"the view Xen gives a Xen PV guest"' -d 'Where live CPUID values come from'
complete -c pvhprobe -l sysroot -x -a '(__fish_complete_directories)' -d 'Read /sys, /proc and /dev under DIR'
complete -c pvhprobe -l sysroot-out -x -a '(__fish_complete_directories)' -d 'With dump: write a bug-report bundle to DIR'

# Analysis
complete -c pvhprobe -l expect -x -a 'xen\t"the Xen PVH path" generic\t"the generic PVH path" observed\t"the path this kernel took"' -d 'Exit 1 unless every selected model predicts PATH'
complete -c pvhprobe -s m -l model -x -a '(__pvhprobe_models)' -d 'Kernel model(s) to run, comma-separated'

# Output
complete -c pvhprobe -s f -l format -x -a 'text\t"human-readable report (default)" json\t"JSON report (schema pvhprobe/2)" env\t"PVHPROBE_* shell variables" prometheus\t"node_exporter textfile metrics"' -d 'Output format'
complete -c pvhprobe -s j -l json -d 'Same as --format=json'
complete -c pvhprobe -s v -l verbose -d 'Show decision traces, conditions, hazards and every decoded field'
complete -c pvhprobe -s q -l quiet -d 'Print nothing; only the exit status tells'
complete -c pvhprobe -l timeout -x -d 'With boot: stop the VMM after SEC seconds (default 30)'
complete -c pvhprobe -l capture -r -F -d 'With boot: also save the raw console output to FILE'
complete -c pvhprobe -n __pvhprobe_needs_command -a boot -d 'Run a VMM that boots pvhprobe.elf and report on its console'
complete -c pvhprobe -l timing -d 'Also measure what one CPUID costs here (median of 301 executions)'
complete -c pvhprobe -l list -d 'List the known hypervisor signatures and kernel models, and exit'

# Help
complete -c pvhprobe -s '?' -l help -d 'Give the help list'
complete -c pvhprobe -l usage -d 'Give a short usage message'
complete -c pvhprobe -s V -l version -d 'Print the program version'
