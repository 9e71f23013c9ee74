#!/bin/bash
# The config needs the network (fetch-offline touched /run/ignition/neednet): bring it up with
# dracut's systemd-networkd, configured from ip=/nameserver= on the kernel command line (or
# networkd's defaults), wait until a link is configured, and give the resolver the DNS servers
# DHCP handed out (the initramfs has no resolved).
set -uo pipefail

networkd=/usr/lib/systemd/systemd-networkd
[[ -x $networkd ]] || networkd=/lib/systemd/systemd-networkd
if [[ ! -x $networkd ]]; then
    echo "kindling: the config needs the network, but this initramfs has no network handler (build it with dracut's systemd-networkd module)" >&2
    exit 1
fi

echo "kindling: the config needs the network; starting systemd-networkd"
# The on-demand drop-in's condition holds now that the flag exists.
systemctl start systemd-networkd.service || exit 1

# Fetches retry on their own; the wait only spares them a few failed attempts.
wait_online="${networkd%/*}/systemd-networkd-wait-online"
if ! "$wait_online" --any --timeout=60; then
    echo "kindling: no network link configured after 60 s; fetching anyway (fetches retry)" >&2
fi

if [[ ! -s /etc/resolv.conf ]]; then
    servers=()
    read -r -a words < /proc/cmdline
    for w in "${words[@]}"; do
        [[ $w == nameserver=* ]] && servers+=("${w#nameserver=}")
    done
    for lease in /run/systemd/netif/leases/*; do
        [[ -f $lease ]] || continue
        while IFS='=' read -r key value; do
            [[ $key == DNS ]] && servers+=($value)
        done < "$lease"
    done
    if ((${#servers[@]})); then
        rm -f /etc/resolv.conf
        printf 'nameserver %s\n' "${servers[@]}" > /etc/resolv.conf
    fi
fi
networkctl --no-pager --no-legend list 2> /dev/null | sed 's/^/kindling: link /' || true
exit 0
