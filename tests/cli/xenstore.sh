#!/bin/sh
# xenstore.sh PVHPROBE - the xenstore evidence against a server that speaks
# the real xenstore wire protocol on a Unix socket (tests/xenstore/
# fake-xenstored.py; libxenstore connects to it through XENSTORED_PATH).
# Debian's xenstored needs a running Xen hypervisor (it opens
# /dev/xen/privcmd and evtchn), so it cannot serve on a machine like this.
set -u
bin=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
bundle="$top/tests/bundles/xen-pvh-domu"
tmp=$(mktemp -d)
. "$top/tests/lib/tap.sh"
need_jq
cleanup() { [ -n "${srv:-}" ] && kill "$srv" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM

if ! "$bin" -i "$bundle" -v | grep -q 'xenstore:'; then
	notok "the verbose report has a xenstore line"
fi
if "$bin" -i "$bundle" -v | grep -q 'xenstore: not built in'; then
	echo "# pvhprobe was built without libxenstore: only the 'not built' path is testable"
	"$bin" -i "$bundle" -j | jq -e '.evidence.xen.xenstore.built == false and .evidence.xen.xenstore.error != null' >/dev/null &&
		ok "a build without libxenstore says so" || notok "a build without libxenstore says so"
	echo "$pass passed, $fail failed"
	[ "$fail" = 0 ]
	exit
fi

start_server() {
	/usr/bin/python3 "$top/tests/xenstore/fake-xenstored.py" "$tmp/sock" "$1" >"$tmp/srv.out" 2>&1 &
	srv=$!
	i=0
	while [ ! -S "$tmp/sock" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
}
stop_server() { kill "$srv" 2>/dev/null; wait "$srv" 2>/dev/null; srv=; rm -f "$tmp/sock"; }

start_server ok
out=$(XENSTORED_PATH="$tmp/sock" "$bin" -i "$bundle" -j)
printf "%s\n" "$out" | jq -e '.evidence.xen.xenstore.error == null and .evidence.xen.xenstore.domid == "7"' >/dev/null &&
	ok "domid read from xenstore" || notok "domid read from xenstore: $(printf "%s\n" "$out" | jq -c .evidence.xen.xenstore)"
printf "%s\n" "$out" | jq -e '.evidence.xen.xenstore.name == "pvh-guest-\u001b[31m'"'"'quoted'"'"'"' >/dev/null &&
	ok "hostile domain name kept intact in JSON" || notok "hostile domain name kept intact in JSON"
txt=$(XENSTORED_PATH="$tmp/sock" "$bin" -i "$bundle" -v)
echo "$txt" | grep -q 'xenstore: domid 7, name "pvh-guest-\\x1b\[31m'"'"'quoted'"'"'"' &&
	ok "hostile domain name escaped in text" || notok "hostile domain name escaped in text"
if printf '%s' "$txt" | LC_ALL=C grep -q "$(printf '\033')"; then notok "no raw ESC in text"; else ok "no raw ESC in text"; fi
stop_server

start_server stuck
t0=$(date +%s)
out=$(XENSTORED_PATH="$tmp/sock" "$bin" -i "$bundle" -j)
t1=$(date +%s)
printf "%s\n" "$out" | jq -e '.evidence.xen.xenstore.error != null and .evidence.xen.xenstore.domid == null' >/dev/null &&
	ok "a stuck xenstored is reported: $(printf "%s\n" "$out" | jq -r .evidence.xen.xenstore.error)" || notok "a stuck xenstored is reported"
[ $((t1 - t0)) -le 5 ] && ok "and does not hang ($((t1 - t0)) s)" || notok "a stuck xenstored made pvhprobe wait $((t1 - t0)) s"
stop_server

out=$(XENSTORED_PATH="$tmp/nothing-here" "$bin" -i "$bundle" -j)
printf "%s\n" "$out" | jq -e '.evidence.xen.xenstore.error != null' >/dev/null &&
	ok "no xenstored: $(printf "%s\n" "$out" | jq -r .evidence.xen.xenstore.error)" || notok "no xenstored is reported"

out=$(env -u XENSTORED_PATH "$bin" -i "$bundle" -j)
printf "%s\n" "$out" | jq -e '.evidence.xen.xenstore.error == "replayed tree" and .evidence.xen.xenstore.domid == null' >/dev/null &&
	ok "a replayed tree never reads this machine's xenstore" || notok "a replayed tree read this machine's xenstore"

# This machine: off Xen, xenstore is not tried (on Xen there is nothing
# machine-independent to assert here).
if [ "$(cat /sys/hypervisor/type 2>/dev/null)" != xen ] && [ ! -e /dev/xen/xenbus ]; then
	out=$(env -u XENSTORED_PATH "$bin" -j 2>/dev/null)
	printf "%s\n" "$out" | jq -e '.evidence.xen.xenstore.error == "not on Xen"' >/dev/null &&
		ok "not tried off Xen" || notok "not tried off Xen"
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
