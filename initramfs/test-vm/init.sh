#!/bin/sh
# PID 1 of the test VM, stage 1 (busybox, inside the initramfs): mount the host's root read-only over
# virtio 9p, put a tmpfs overlay on it so the guest can write without touching the host, then
# switch_root into it. After switch_root the kernel's own module requests (crypto ciphers for
# dm-crypt, ...) reach the host's kmod and /lib/modules, which is why this is not a mere chroot.
/bin/busybox --install -s /bin
export PATH=/bin
mkdir -p /proc /sys /dev /host /rw /newroot
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1

fail() {
  echo "kindling-vm: $*"
  echo "@@KINDLING-VM-EXIT 125@@"
  echo o >/proc/sysrq-trigger
  sleep 30
}

while read -r m; do
  insmod "/modules/$m" || fail "insmod $m failed"
done </modules/order

mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=262144 hostroot /host ||
  fail "mounting the host root over 9p failed"
# Writable layer and scratch space live in guest RAM; sparse test images stay cheap in tmpfs.
mount -t tmpfs -o size=90%,mode=755 rw /rw
mkdir -p /rw/upper /rw/work
mount -t overlay -o lowerdir=/host,upperdir=/rw/upper,workdir=/rw/work overlay /newroot ||
  fail "overlay over the host root failed"
# Scratch space for the tests is a tmpfs under /run (TMPDIR, set in stage 2). The host's /tmp stays
# visible through the overlay, because the checkout under test may live there.
mount -t tmpfs -o size=75%,mode=755 run /newroot/run
mkdir -p /newroot/run/kindling-vm /newroot/run/kindling-tmp
chmod 1777 /newroot/run/kindling-tmp
cp /job /guest-modules /stage2 /newroot/run/kindling-vm/
for d in proc sys dev; do mount --move "/$d" "/newroot/$d"; done
exec switch_root /newroot /bin/sh /run/kindling-vm/stage2
fail "switch_root failed"
