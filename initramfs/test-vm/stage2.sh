#!/bin/sh
# PID 1 of the test VM, stage 2 (the host's own /bin/sh, on the overlaid host root): load the
# drivers the host kernel lacks, run the job, report its exit status on the console, power off.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export TMPDIR=/run/kindling-tmp
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs shm /dev/shm
# What udev would add: bash process substitution (clevis) needs /dev/fd.
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
# modprobe resolves dependencies from the host's /lib/modules/<guest kernel version>.
modprobe -a $(cat /run/kindling-vm/guest-modules) || echo "kindling-vm: modprobe failed"
ip link set lo up 2>/dev/null || busybox ip link set lo up
echo "@@KINDLING-VM-READY $(cut -d' ' -f1 /proc/uptime)@@"
sh /run/kindling-vm/job
code=$?
# Kernel messages are kept off the console (loglevel=1) so they do not split the job's output.
[ "$code" = 0 ] || { echo "kindling-vm: job failed, last kernel messages:"; dmesg | tail -n 40; }
echo "@@KINDLING-VM-EXIT $code@@"
sync
echo o >/proc/sysrq-trigger
# PID 1 must not exit (panic) while power-off tears down the 9p root: wait with shell builtins only.
while :; do :; done
