// Generated from src/model/spec.ts by `npm run gen`. Do not edit.

/**
 * An Ignition config.
 */
export interface Config {
ignition: Ignition
kernelArguments?: KernelArguments
passwd?: Passwd
storage?: Storage
systemd?: Systemd
}
/**
 * Metadata about the configuration itself.
 * 
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "Ignition".
 */
export interface Ignition {
config?: IgnitionConfig
proxy?: Proxy
security?: Security
timeouts?: Timeouts
/**
 * The semantic version of the spec this config is written for.
 */
version: string
}
/**
 * Configs to merge into or replace this one.
 * 
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
 * A remote or inline piece of data.
 * 
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "Resource".
 */
export interface Resource {
/**
 * Compression of the data: "" or "gzip".
 */
compression?: ("" | "gzip")
/**
 * Extra HTTP headers sent with http(s) requests.
 */
httpHeaders?: HTTPHeader[]
/**
 * URL of the data (http, https, tftp, s3, arn, gs or data).
 */
source?: string
verification?: Verification
}
/**
 * An HTTP header.
 * 
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "HTTPHeader".
 */
export interface HTTPHeader {
/**
 * Header name.
 */
name: string
/**
 * Header value; in a merged config an entry without a value removes the header.
 */
value?: string
}
/**
 * How to verify fetched data.
 * 
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
 * Proxies used for HTTP(S) fetches.
 * 
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
 * Options related to security.
 * 
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "Security".
 */
export interface Security {
tls?: TLS
}
/**
 * Options related to TLS.
 * 
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
 * Options related to HTTP timeouts.
 * 
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
 * Kernel arguments that must or must not be present.
 * 
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
 * Users and groups.
 * 
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
 * A group.
 * 
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
 * A user.
 * 
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
 * Disks, arrays, encrypted volumes, filesystems and filesystem entries.
 * 
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
}
/**
 * A directory.
 * 
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
path: string
user?: NodeUser
}
/**
 * Group of a filesystem entry.
 * 
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
 * Owner of a filesystem entry.
 * 
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
 * A disk to partition.
 * 
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "Disk".
 */
export interface Disk {
/**
 * Absolute path of the device.
 */
device: string
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
 * A GPT partition.
 * 
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
 * A regular file.
 * 
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
path: string
user?: NodeUser
}
/**
 * A filesystem.
 * 
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "Filesystem".
 */
export interface Filesystem {
/**
 * Absolute path of the device (a tag for virtiofs).
 */
device: string
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
}
/**
 * A symbolic or hard link.
 * 
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
path: string
/**
 * Link target (for hard links, a path in the target root).
 */
target: string
user?: NodeUser
}
/**
 * A LUKS2 encrypted volume.
 * 
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "Luks".
 */
export interface Luks {
cex?: Cex
clevis?: Clevis
/**
 * Absolute path of the underlying device.
 */
device: string
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
name: string
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
 * IBM Crypto Express secure keys.
 * 
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
 * Clevis binding.
 * 
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
 * A custom clevis pin.
 * 
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
 * A tang server.
 * 
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
url: string
}
/**
 * A software RAID array.
 * 
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "Raid".
 */
export interface Raid {
/**
 * Member devices.
 */
devices: string[]
/**
 * RAID level (linear, raid0, raid1, raid4, raid5, raid6, raid10).
 */
level: string
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
 * systemd units.
 * 
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "Systemd".
 */
export interface Systemd {
/**
 * Units.
 */
units?: Unit[]
}
/**
 * A systemd unit.
 * 
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "Unit".
 */
export interface Unit {
/**
 * Unit file contents.
 */
contents?: string
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
name: string
}
/**
 * A systemd drop-in.
 * 
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "Dropin".
 */
export interface Dropin {
/**
 * Drop-in contents.
 */
contents?: string
/**
 * Drop-in name ending in .conf.
 */
name: string
}
