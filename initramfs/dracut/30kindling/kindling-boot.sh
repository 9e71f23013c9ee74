#!/bin/sh
# The stage command, `kindling boot` (Ignition's flags): the bundle under the initramfs's Node.
exec /usr/bin/node /usr/lib/kindling/kindling-boot.cjs "$@"
