// Generated from transpiler/butane/model.ts by `npm run gen`. Do not edit.

export interface Config {
boot_device?: BootDevice
grub?: Grub
ignition?: Ignition
kernelArguments?: KernelArguments
metadata?: Metadata
openshift?: OpenShift
passwd?: Passwd
storage?: Storage
systemd?: Systemd
/**
 * The Butane variant (fcos, flatcar, openshift, r4e, fiot).
 */
variant?: string
/**
 * The version of the Butane variant.
 */
version?: string
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "BootDevice".
 */
export interface BootDevice {
/**
 * Boot disk layout.
 */
layout?: string
luks?: BootDeviceLuks
mirror?: BootDeviceMirror
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "BootDeviceLuks".
 */
export interface BootDeviceLuks {
cex?: Cex
/**
 * Device of the root partition (s390x).
 */
device?: string
/**
 * Allow discards.
 */
discard?: boolean
/**
 * Tang servers.
 */
tang?: Tang[]
/**
 * How many pins must succeed.
 */
threshold?: number
/**
 * Bind to the TPM2.
 */
tpm2?: boolean
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "Cex".
 */
export interface Cex {
/**
 * Use a CEX secure key.
 */
enabled?: boolean
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "Tang".
 */
export interface Tang {
/**
 * The server's advertisement (JSON), for binding offline.
 */
advertisement?: string
/**
 * Thumbprint of a trusted signing key.
 */
thumbprint?: string
/**
 * URL of the tang server.
 */
url?: string
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "BootDeviceMirror".
 */
export interface BootDeviceMirror {
/**
 * Disks to mirror the boot disk onto.
 */
devices?: string[]
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "Grub".
 */
export interface Grub {
/**
 * GRUB superusers.
 */
users?: GrubUser[]
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "GrubUser".
 */
export interface GrubUser {
/**
 * User name.
 */
name?: string
/**
 * PBKDF2 hash from grub2-mkpasswd-pbkdf2.
 */
password_hash?: string
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "Ignition".
 */
export interface Ignition {
config?: IgnitionConfig
proxy?: Proxy
security?: Security
timeouts?: Timeouts
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "IgnitionConfig".
 */
export interface IgnitionConfig {
/**
 * Configs fetched and merged into this one, in order.
 */
merge?: Resource[]
replace?: Resource
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "Resource".
 */
export interface Resource {
/**
 * Compression of the data: "" or "gzip".
 */
compression?: string
/**
 * Extra HTTP headers sent with http(s) requests.
 */
httpHeaders?: HTTPHeader[]
/**
 * Contents of the resource, inline.
 */
inline?: string
/**
 * Path of a file under --files-dir whose contents become the resource.
 */
local?: string
/**
 * URL of the data (http, https, tftp, s3, arn, gs or data).
 */
source?: string
verification?: Verification
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "HTTPHeader".
 */
export interface HTTPHeader {
/**
 * Header name.
 */
name?: string
/**
 * Header value; in a merged config an entry without a value removes the header.
 */
value?: string
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "Verification".
 */
export interface Verification {
/**
 * Hash of the (decompressed) data as <function>-<hex>: sha512 or sha256.
 */
hash?: string
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "Proxy".
 */
export interface Proxy {
/**
 * Proxy URL for plain HTTP requests.
 */
httpProxy?: string
/**
 * Proxy URL for HTTPS requests.
 */
httpsProxy?: string
/**
 * Hosts, domains (".x" for subdomains), IPs and CIDRs reached without a proxy; "*" disables proxying.
 */
noProxy?: string[]
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "Security".
 */
export interface Security {
tls?: TLS
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "TLS".
 */
export interface TLS {
/**
 * PEM certificate bundles trusted for HTTPS fetches, in addition to the system authorities.
 */
certificateAuthorities?: Resource[]
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "Timeouts".
 */
export interface Timeouts {
/**
 * Seconds to wait for response headers (default 10; 0 waits forever).
 */
httpResponseHeaders?: number
/**
 * Seconds a fetch may take in total, retries included (default 0: no limit).
 */
httpTotal?: number
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "KernelArguments".
 */
export interface KernelArguments {
/**
 * Arguments added when missing (an entry with spaces is one exact sequence).
 */
shouldExist?: string[]
/**
 * Arguments removed when present.
 */
shouldNotExist?: string[]
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "Metadata".
 */
export interface Metadata {
/**
 * MachineConfig labels.
 */
labels?: {
[k: string]: string
}
/**
 * MachineConfig name.
 */
name?: string
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "OpenShift".
 */
export interface OpenShift {
/**
 * RHCOS extensions.
 */
extensions?: string[]
/**
 * Enable FIPS mode.
 */
fips?: boolean
/**
 * Kernel arguments.
 */
kernel_arguments?: string[]
/**
 * Kernel type.
 */
kernel_type?: string
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "Passwd".
 */
export interface Passwd {
/**
 * Groups to create, modify or delete.
 */
groups?: PasswdGroup[]
/**
 * Users to create, modify or delete.
 */
users?: PasswdUser[]
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "PasswdGroup".
 */
export interface PasswdGroup {
/**
 * Group ID.
 */
gid?: number
/**
 * Group name (Ignition does not check it).
 */
name?: string
/**
 * Hashed group password.
 */
passwordHash?: string
/**
 * false deletes the group.
 */
shouldExist?: boolean
/**
 * Create a system group.
 */
system?: boolean
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "PasswdUser".
 */
export interface PasswdUser {
/**
 * GECOS field.
 */
gecos?: string
/**
 * Supplementary groups.
 */
groups?: string[]
/**
 * Home directory.
 */
homeDir?: string
/**
 * User name (Ignition does not check it).
 */
name?: string
/**
 * Do not create the home directory.
 */
noCreateHome?: boolean
/**
 * Do not add the user to the lastlog and faillog databases.
 */
noLogInit?: boolean
/**
 * Do not create a group with the same name as the user.
 */
noUserGroup?: boolean
/**
 * Hashed password (crypt(3) format).
 */
passwordHash?: string
/**
 * Primary group.
 */
primaryGroup?: string
/**
 * Login shell.
 */
shell?: string
/**
 * false deletes the user.
 */
shouldExist?: boolean
/**
 * Files under --files-dir holding SSH keys, one per line.
 */
ssh_authorized_keys_local?: string[]
/**
 * SSH public keys written to the user's authorized keys.
 */
sshAuthorizedKeys?: string[]
/**
 * Create a system account.
 */
system?: boolean
/**
 * User ID.
 */
uid?: number
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "Storage".
 */
export interface Storage {
/**
 * Directories to create.
 */
directories?: Directory[]
/**
 * Disks to partition.
 */
disks?: Disk[]
/**
 * Files to write.
 */
files?: File[]
/**
 * Filesystems to create and mount.
 */
filesystems?: Filesystem[]
/**
 * Symbolic and hard links to create.
 */
links?: Link[]
/**
 * LUKS2 encrypted volumes.
 */
luks?: Luks[]
/**
 * Software RAID arrays.
 */
raid?: Raid[]
/**
 * Directory trees under --files-dir copied into the config.
 */
trees?: Tree[]
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "Directory".
 */
export interface Directory {
group?: NodeGroup
/**
 * Permission bits (decimal in JSON; default 0755 for new directories).
 */
mode?: number
/**
 * Replace whatever exists at the path.
 */
overwrite?: boolean
/**
 * Absolute path.
 */
path?: string
user?: NodeUser
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "NodeGroup".
 */
export interface NodeGroup {
/**
 * Group ID.
 */
id?: number
/**
 * Group name, looked up in the target root.
 */
name?: string
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "NodeUser".
 */
export interface NodeUser {
/**
 * User ID.
 */
id?: number
/**
 * User name, looked up in the target root.
 */
name?: string
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "Disk".
 */
export interface Disk {
/**
 * Absolute path of the device.
 */
device?: string
/**
 * Partitions on the disk (GPT).
 */
partitions?: Partition[]
/**
 * Erase the partition table before partitioning.
 */
wipeTable?: boolean
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "Partition".
 */
export interface Partition {
/**
 * Unique partition GUID.
 */
guid?: string
/**
 * Partition name (PARTLABEL), at most 36 characters.
 */
label?: string
/**
 * Partition number; 0 takes the lowest free number.
 */
number?: number
/**
 * Allow resizing an existing partition that differs only in size.
 */
resize?: boolean
/**
 * false deletes the partition (with wipePartitionEntry).
 */
shouldExist?: boolean
/**
 * Size in MiB; 0 fills the largest free block.
 */
sizeMiB?: number
/**
 * Start in MiB; 0 is the start of the largest free block.
 */
startMiB?: number
/**
 * Partition type GUID.
 */
typeGuid?: string
/**
 * Allow deleting and recreating a partition that does not match.
 */
wipePartitionEntry?: boolean
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "File".
 */
export interface File {
/**
 * Data appended to the file, in order.
 */
append?: Resource[]
contents?: Resource
group?: NodeGroup
/**
 * Permission bits (decimal in JSON; default 0644 for new files).
 */
mode?: number
/**
 * Replace whatever exists at the path.
 */
overwrite?: boolean
/**
 * Absolute path.
 */
path?: string
user?: NodeUser
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "Filesystem".
 */
export interface Filesystem {
/**
 * Absolute path of the device (a tag for virtiofs).
 */
device?: string
/**
 * Filesystem type.
 */
format?: string
/**
 * Filesystem label.
 */
label?: string
/**
 * Options used when mounting during provisioning.
 */
mountOptions?: string[]
/**
 * Extra mkfs arguments.
 */
options?: string[]
/**
 * Mount point during provisioning, relative to the target root.
 */
path?: string
/**
 * Filesystem UUID.
 */
uuid?: string
/**
 * Wipe an existing filesystem instead of reusing it.
 */
wipeFilesystem?: boolean
/**
 * Generate a mount (or swap) unit for the filesystem.
 */
with_mount_unit?: boolean
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "Link".
 */
export interface Link {
group?: NodeGroup
/**
 * Create a hard link instead of a symbolic link.
 */
hard?: boolean
/**
 * Replace whatever exists at the path.
 */
overwrite?: boolean
/**
 * Absolute path.
 */
path?: string
/**
 * Link target (for hard links, a path in the target root).
 */
target?: string
user?: NodeUser
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "Luks".
 */
export interface Luks {
cex?: Cex
clevis?: Clevis
/**
 * Absolute path of the underlying device.
 */
device?: string
/**
 * Allow discards through the mapping.
 */
discard?: boolean
keyFile?: Resource
/**
 * LUKS label, at most 47 characters.
 */
label?: string
/**
 * Mapping name (/dev/mapper/<name>).
 */
name?: string
/**
 * Extra cryptsetup luksOpen arguments.
 */
openOptions?: string[]
/**
 * Extra cryptsetup luksFormat arguments.
 */
options?: string[]
/**
 * LUKS UUID.
 */
uuid?: string
/**
 * Format even when a LUKS volume already exists.
 */
wipeVolume?: boolean
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "Clevis".
 */
export interface Clevis {
custom?: ClevisCustom
/**
 * Tang servers.
 */
tang?: Tang[]
/**
 * How many pins must succeed (default 1).
 */
threshold?: number
/**
 * Bind to the TPM2.
 */
tpm2?: boolean
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "ClevisCustom".
 */
export interface ClevisCustom {
/**
 * Pin configuration (JSON).
 */
config?: string
/**
 * The pin needs the network at boot.
 */
needsNetwork?: boolean
/**
 * Pin name.
 */
pin?: string
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "Raid".
 */
export interface Raid {
/**
 * Member devices.
 */
devices?: string[]
/**
 * RAID level (linear, raid0, raid1, raid4, raid5, raid6, raid10).
 */
level?: string
/**
 * Array name (/dev/md/<name>); Ignition does not check it.
 */
name?: string
/**
 * Extra mdadm --create arguments.
 */
options?: string[]
/**
 * Number of spare devices.
 */
spares?: number
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "Tree".
 */
export interface Tree {
/**
 * Mode of the directories created from the tree.
 */
dir_mode?: number
/**
 * Mode of the files created from the tree.
 */
file_mode?: number
group?: NodeGroup
/**
 * Directory under --files-dir.
 */
local?: string
/**
 * Destination root of the tree (default /).
 */
path?: string
user?: NodeUser
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "Systemd".
 */
export interface Systemd {
/**
 * Podman quadlet files.
 */
quadlets?: Quadlet[]
/**
 * Units.
 */
units?: Unit[]
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "Quadlet".
 */
export interface Quadlet {
/**
 * Quadlet file contents.
 */
contents?: string
/**
 * File under --files-dir holding the contents.
 */
contents_local?: string
/**
 * Drop-ins for the quadlet.
 */
dropins?: QuadletDropin[]
/**
 * Quadlet file name (.container, .volume, .network, .kube, .image, .build, .pod or .artifact).
 */
name?: string
/**
 * Install for root (/etc/containers/systemd) instead of all users.
 */
rootful?: boolean
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "QuadletDropin".
 */
export interface QuadletDropin {
/**
 * Drop-in contents.
 */
contents?: string
/**
 * File under --files-dir holding the contents.
 */
contents_local?: string
/**
 * Drop-in name ending in .conf.
 */
name?: string
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "Unit".
 */
export interface Unit {
/**
 * Unit file contents.
 */
contents?: string
/**
 * File under --files-dir holding the unit contents.
 */
contents_local?: string
/**
 * Drop-in files.
 */
dropins?: Dropin[]
/**
 * Enable (true) or disable (false) through a preset.
 */
enabled?: boolean
/**
 * Mask the unit (symlink to /dev/null).
 */
mask?: boolean
/**
 * Unit name with its extension.
 */
name?: string
}
/**
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "Dropin".
 */
export interface Dropin {
/**
 * Drop-in contents.
 */
contents?: string
/**
 * File under --files-dir holding the drop-in contents.
 */
contents_local?: string
/**
 * Drop-in name ending in .conf.
 */
name?: string
}
