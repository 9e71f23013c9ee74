#!/bin/sh
# dracut emergency hook (sourced, so no exit): when a Kindling stage failed, its redacted failure
# report goes to the console before the shell prompt or the power-off.
if [ -f /run/kindling/failure.json ]; then
    /usr/bin/node /usr/lib/kindling/kindling-boot.cjs failure /run/kindling/failure.json > /dev/console 2>&1 || cat /run/kindling/failure.json > /dev/console
elif systemctl --quiet is-failed 'kindling-*' 2> /dev/null; then
    {
        echo "kindling: a first-boot unit failed before writing a failure report:"
        systemctl --no-pager --no-legend --state=failed list-units 'kindling-*'
        echo "kindling: see journalctl -b -u 'kindling-*'"
    } > /dev/console 2>&1
fi
