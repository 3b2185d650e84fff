#!/bin/busybox sh
# /init of the guest's initramfs (busybox only). Loads the kernel's own virtio, 9p and
# overlay modules, mounts the host's / (9p, read-only) as the lower layer of an overlay
# whose upper layer is this initramfs's /rw/upper (already holding the preload files,
# see preload.js) so the guest can write, adds the kernel's modules folder and the job
# share, then makes the overlay the root and runs the job's script as PID 1.
/bin/busybox mkdir -p /proc /sys
/bin/busybox mount -t proc proc /proc
/bin/busybox --install -s /bin
export PATH=/bin

fail() {
  echo "vm-init: $*" >&2
  echo o >/proc/sysrq-trigger
  sleep 10
}

mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in $(cat /modules/order); do
  insmod "/modules/$m.ko" || fail "insmod $m failed"
done

# 9p over virtio; cache=loose for the host's / and the modules (read-only and unchanging
# while the guest runs: no revalidation round trips), no cache for the job share
# (results must land).
p9='trans=virtio,version=9p2000.L,msize=262144'
mkdir -p /lower /newroot
mount -t 9p -o "$p9,ro,cache=loose" hostroot /lower || fail "mounting the host's / failed"
mount -t overlay overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work /newroot || fail "overlay mount failed"

# Fresh /tmp and /run: the host's (read-only underneath) hold other runs' files.
mount -t tmpfs -o mode=1777 tmpfs /newroot/tmp
mount -t tmpfs -o mode=0755 tmpfs /newroot/run
mkdir -p /newroot/run/vm "/newroot/usr/lib/modules/$(uname -r)"
mount -t 9p -o "$p9,cache=none" job /newroot/run/vm || fail "mounting the job share failed"
mount -t 9p -o "$p9,ro,cache=loose" modules "/newroot/usr/lib/modules/$(uname -r)" || fail "mounting the modules failed"

mount --move /proc /newroot/proc
mount --move /sys /newroot/sys
mount --move /dev /newroot/dev
mount -t tracefs tracefs /newroot/sys/kernel/tracing
mount -t debugfs debugfs /newroot/sys/kernel/debug
mount -t bpf bpf /newroot/sys/fs/bpf
mount -t cgroup2 cgroup2 /newroot/sys/fs/cgroup
mkdir -p /newroot/dev/pts /newroot/dev/shm
mount -t devpts devpts /newroot/dev/pts
mount -t tmpfs tmpfs /newroot/dev/shm

# switch_root would delete this initramfs's files, the overlay's upper layer among them:
# move the overlay onto / and chroot by hand. It must be PID 1 itself that changes root
# (exec, not a child): the kernel runs modprobe for on-demand modules (veth,
# sch_ingress ...) in PID 1's root.
cd /newroot
mount --move . /
exec chroot . /bin/sh /run/vm/guest.sh
