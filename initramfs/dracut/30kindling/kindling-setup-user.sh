#!/bin/bash
# Hands the fetch stages a config delivered with the boot media, as the system config
# /run/ignition/user.ign (the first place Ignition's system provider looks):
#  - /config.ign, from an initrd appended for PXE (`kindling initrd wrap`, or coreos-installer's);
#  - else ignition/config.ign on the filesystem labelled "boot" (`kindling embed`, or
#    coreos-installer install), as Fedora CoreOS's coreos-ignition-setup-user does.
# Runs with a private mount namespace (MountFlags=slave), so the boot filesystem mount goes away
# with the unit.
set -euo pipefail

dest=/run/ignition/user.ign
mkdir -p /run/ignition

if [[ -e $dest ]]; then
    echo "kindling: $dest already exists; keeping it"
    exit 0
fi

install_config() {
    # 0600: a config may hold secrets.
    (umask 077 && cp "$1" "$dest")
    echo "kindling: using $2 as the system config"
}

if [[ -f /config.ign ]]; then
    install_config /config.ign "the config appended to the initramfs (/config.ign)"
    exit 0
fi

# A config named on the kernel command line is read before any system config: no need to look.
if grep -q 'ignition\.config\.url=' /proc/cmdline; then
    echo "kindling: ignition.config.url is on the kernel command line; not looking for an embedded config"
    exit 0
fi

# Disks present at power-on have been enumerated once udev's queue is empty.
udevadm settle --timeout=30 || true
bootfs=/dev/disk/by-label/boot
if [[ ! -e $bootfs ]]; then
    echo "kindling: no filesystem labelled boot; no embedded config"
    exit 0
fi
mnt=/run/kindling/bootfs
mkdir -p "$mnt"
# Read-only: nothing is changed on the boot filesystem, which the OS may also mount.
if ! mount -o ro "$bootfs" "$mnt"; then
    echo "kindling: cannot mount $bootfs ($(readlink -f "$bootfs")) read-only" >&2
    exit 1
fi
status=0
if [[ -f $mnt/ignition/config.ign ]]; then
    install_config "$mnt/ignition/config.ign" "ignition/config.ign from the boot filesystem" || status=$?
else
    echo "kindling: no ignition/config.ign on the boot filesystem"
fi
umount "$mnt" || true
exit $status
