#!/bin/sh
# `kindling boot` (Ignition's stage command) under the initramfs's Node: the boot bundle when the
# build made one, else the full CLI.
if [ -f /usr/lib/kindling/kindling-boot.cjs ]; then
    exec /usr/bin/node /usr/lib/kindling/kindling-boot.cjs "$@"
fi
exec /usr/bin/node /usr/lib/kindling/kindling.cjs boot "$@"
