#!/bin/sh
# `kindling boot` (Ignition's stage command) under the initramfs's Node: the boot bundle.
exec /usr/bin/node /usr/lib/kindling/kindling-boot.cjs "$@"
