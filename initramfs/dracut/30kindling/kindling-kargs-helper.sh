#!/bin/sh
# Ignition's kernel-argument helper contract, served by `kindling kargs-helper` (BLS entries).
exec /usr/bin/node /usr/lib/kindling/kindling-boot.cjs kargs-helper "$@"
