#!/bin/bash
# dracut module for Kindling: runs the first-boot provisioning stages in the initramfs, with the
# units, ordering, targets and kernel arguments of Ignition's 30ignition module, so distro glue
# written for Ignition works unchanged.
#
# Packaging puts Kindling's boot bundle from `npm run build` into this directory, as Ignition's
# packaging does with its binary: dist/kindling-boot.cjs (the stage command, the kernel-argument
# helper and the failure report, in one file) and its V8 code cache dist/kindling-boot.cache.
# `npm run build:initramfs` does that in a private copy of dracut's module tree.

# The stages' tools: without these the disks, mount and files stages cannot run at all.
kindling_required_tools() {
    echo node mount umount blkid lsblk udevadm sgdisk partx wipefs mkfs.ext4 useradd usermod groupadd
}

check() {
    local t missing=()
    for t in $(kindling_required_tools); do
        command -v "$t" > /dev/null || missing+=("$t")
    done
    if ((${#missing[@]})); then
        derror "kindling: missing ${missing[*]} (Debian: apt-get install nodejs gdisk util-linux e2fsprogs passwd udev)"
        return 1
    fi
    if [[ ! -f $moddir/kindling-boot.cjs ]]; then
        derror "kindling: kindling-boot.cjs is not in $moddir (npm run build writes it to dist/)"
        return 1
    fi
    # Only when asked for (-m/--add kindling, or a distro module depending on it), like 30ignition.
    return 255
}

depends() {
    local deps="systemd systemd-initrd dracut-systemd udev-rules rootfs-block fs-lib"
    # /dev/mapper names and dm udev rules for LUKS volumes.
    require_binaries dmsetup > /dev/null 2>&1 && deps+=" dm"
    # The network comes up on demand (kindling-network.service); networkd orders it properly,
    # where network-legacy reaches network-online.target before the NIC even exists.
    require_binaries networkctl "$systemdutildir"/systemd-networkd > /dev/null 2>&1 && deps+=" systemd-networkd"
    echo "$deps"
    return 0
}

installkernel() {
    # Everything a config may ask for, whatever the host uses: filesystems, RAID, dm-crypt and
    # its ciphers, config drives (iso9660, udf), fw_cfg and the virtio devices of VMs, hyperv KVP,
    # vsock for applehv.
    hostonly='' instmods \
        ext4 xfs btrfs vfat nls_cp437 nls_iso8859-1 isofs udf loop \
        md_mod raid0 raid1 raid10 raid456 dm_mod dm_crypt =crypto \
        qemu_fw_cfg virtio_pci virtio_blk virtio_scsi virtio_net sr_mod \
        hv_utils vsock vmw_vsock_virtio_transport
}

install() {
    local unit

    # Node and the boot bundle (with its code cache); `kindling-boot` is what the units run.
    inst_multiple node
    local f
    for f in "$moddir"/kindling-boot.cjs "$moddir"/kindling-boot.cache; do
        [[ -f $f ]] && inst_simple "$f" "/usr/lib/kindling/${f##*/}"
    done
    inst_script "$moddir/kindling-boot.sh" /usr/bin/kindling-boot
    # Distro glue written for Ignition calls /usr/bin/ignition with the same flags.
    [[ -e $initdir/usr/bin/ignition ]] || ln_r /usr/bin/kindling-boot /usr/bin/ignition
    inst_script "$moddir/kindling-kargs-helper.sh" /usr/sbin/ignition-kargs-helper

    # The stages' tools, then what is optional (features some configs use, present or not).
    inst_multiple $(kindling_required_tools)
    inst_multiple -o \
        mkfs.xfs mkfs.btrfs mkfs.fat mkfs.vfat mkswap mdadm cryptsetup dmsetup \
        userdel groupmod groupdel chpasswd setfiles restorecon chattr \
        systemd-escape modprobe losetup sfdisk e2label xfs_admin \
        chccwdev vmur cio_ignore zkey zkey-cryptsetup vmware-rpctool VBoxControl socat
    # clevis and what its bind scripts call (tang over curl, tpm2, sss, luksmeta).
    inst_multiple -o \
        clevis clevis-encrypt-tang clevis-encrypt-sss clevis-encrypt-tpm2 clevis-decrypt \
        clevis-decrypt-tang clevis-decrypt-sss clevis-decrypt-tpm2 clevis-luks-bind \
        clevis-luks-common-functions clevis-luks-unlock clevis-luks-list jose luksmeta curl pwmake \
        tpm2_create tpm2_createpolicy tpm2_createprimary tpm2_load tpm2_unseal tpm2_pcrread \
        mktemp cat tr sed grep awk head tail cut seq id sort uniq wc date sleep cp chmod readlink

    # udev: unformatted LUKS volumes as ready devices, CD-ROM ids for config drives, md names.
    inst_rules 60-cdrom_id.rules 63-md-raid-arrays.rules
    inst_simple "$moddir/99-xx-kindling-systemd-cryptsetup.rules" /usr/lib/udev/rules.d/99-xx-kindling-systemd-cryptsetup.rules
    inst_simple "$moddir/kindling-luks.conf" /etc/security/pwquality.conf.d/kindling-luks.conf

    inst_simple "$moddir/kindling-generator" "$systemdutildir/system-generators/kindling-generator"
    inst_script "$moddir/kindling-setup-user.sh" /usr/lib/kindling/kindling-setup-user
    inst_script "$moddir/kindling-network-up.sh" /usr/lib/kindling/kindling-network-up

    for unit in kindling-complete.target kindling-diskful.target kindling-subsequent.target kindling-diskful-subsequent.target; do
        inst_simple "$moddir/$unit" "$systemdsystemunitdir/$unit"
    done
    # Every stage is required by kindling-complete.target, which the generator pulls into
    # initrd.target only on a first boot; remounting /sysroot only where there is a root disk.
    for unit in kindling-setup-user.service kindling-fetch-offline.service kindling-network.service \
        kindling-fetch.service kindling-kargs.service kindling-disks.service kindling-mount.service kindling-files.service; do
        kindling_install_unit "$unit" kindling-complete.target
    done
    kindling_install_unit kindling-remount-sysroot.service kindling-diskful.target

    # networkd starts only when something needs the network (see the drop-in).
    if [[ -e $initdir$systemdsystemunitdir/systemd-networkd.service ]]; then
        for unit in systemd-networkd.service systemd-networkd.socket systemd-networkd-wait-online.service; do
            inst_simple "$moddir/networkd-on-demand.conf" "$systemdsystemunitdir/$unit.d/50-kindling-on-demand.conf"
        done
    fi

    # The failure summary on the console, whether the emergency shell is allowed or not.
    inst_hook emergency 20 "$moddir/kindling-emergency.sh"
    inst_hook shutdown-emergency 20 "$moddir/kindling-emergency.sh"
}

kindling_install_unit() {
    inst_simple "$moddir/$1" "$systemdsystemunitdir/$1"
    $SYSTEMCTL -q --root="$initdir" add-requires "$2" "$1" || exit 1
}
