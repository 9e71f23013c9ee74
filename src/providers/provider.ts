// The contract between the engine and a platform provider (Ignition's internal/providers/*). A
// provider knows where its platform keeps the user config and how to ask for it; the engine decides
// what to do with the bytes (decompress, parse, render, cache). Adding a platform is one file here
// plus one line in registry.ts.
import type { Host, Logger } from '../host/host.js';

/**
 * Where a provider looks, for tests only: the engine's callers in tests pass these in-process. They
 * never come from a config, a flag or the environment, so a machine can't be pointed elsewhere.
 */
export interface ProviderSeams {
  /** Replaces `scheme://host[:port]` of every metadata-service URL (e.g. `http://127.0.0.1:PORT`). */
  metadataOrigin?: string;
  /** Root of the kernel's sysfs (default `/sys`): qemu fw_cfg, nvidiabluefield bootfifo. */
  sysRoot?: string;
  /** Directory of `by-label` links (default `/dev/disk/by-label`). */
  byLabelDir?: string;
  /** Scales the provider's waits (device polls, give-up timers), e.g. 0.01 in tests. */
  waitScale?: number;
  /** Directory of `by-id` links (default `/dev/disk/by-id`): qemu's virtio disk on s390x/ppc64le. */
  byIdDir?: string;
  /** systemd-networkd's DHCP leases (default `/run/systemd/netif/leases`): cloudstack. */
  leaseDir?: string;
  /** Hyper-V KVP pool files (default `/var/lib/hyperv`). */
  kvpDir?: string;
  /** openstack: up non-loopback interfaces with IPv6 (default: from the system). */
  ipv6Interfaces?: string[];
  /** `process.arch` as the provider sees it (qemu: fw_cfg, or virtio-blk on s390x/ppc64). */
  arch?: string;
  /** Anything a single provider needs beyond the above (e.g. the hyperv KVP pool directory). */
  [key: string]: unknown;
}

export interface ProviderContext {
  host: Host;
  log: Logger;
  /** The process environment (IGNITION_CONFIG_FILE for `file`, ...). */
  env: Readonly<Record<string, string | undefined>>;
  /** Working directory (the `file` platform's default `./config.ign`). */
  cwd: string;
  /** fetch-offline: anything needing the network must throw NeedNetError (src/fetch/errors.ts). */
  offline: boolean;
  /** `--fetch-timeout` in ms: bounds the provider's HTTP fetch (Ignition's HTTPTotal for it). */
  fetchTimeoutMs: number;
  /** Aborted when the stage gives up. */
  signal: AbortSignal;
  seams: ProviderSeams;
  /**
   * Fetches an Ignition resource (any scheme: data, http(s), tftp, s3, arn, gs) with the stage's
   * fetch settings: Ignition's retries, bounded by the fetch timeout, NeedNetError when offline.
   * For `ignition.config.url`; metadata services with their own methods and headers use their own
   * HTTP calls (which must honour `offline`, `fetchTimeoutMs` and `signal` the same way).
   */
  fetchResource(res: { source: string; httpHeaders?: { name: string; value?: string | null }[] }): Promise<Buffer>;
}

/** A file a provider asks the files stage to write (Ignition's FetchWithFiles; state `providerOutputFiles`). */
export interface ProviderFile {
  path: string;
  /** Base64 of the contents. */
  contents: string;
  mode: number;
}

export interface ProviderResult {
  /** The raw user config exactly as the platform gave it (after the platform's own encoding is undone); null = the platform says there is none. */
  config: Buffer | null;
  files?: ProviderFile[];
}

export interface Provider {
  /** The `--platform` / `ignition.platform.id` value. */
  readonly id: string;
  /**
   * Fetches the user config. Throws a FetchError (or another Error whose message is Ignition's) on
   * failure, NeedNetError when offline and the network is needed.
   */
  fetch(ctx: ProviderContext): Promise<ProviderResult>;
  /** Runs before any config is acquired, in every stage (Ignition's Init, e.g. the AWS region hint). */
  init?(ctx: ProviderContext): Promise<void>;
  /** Called after each stage with its outcome (Ignition's Status hook; packet posts events). */
  status?(ctx: ProviderContext, stage: string, error?: Error): Promise<void>;
  /** Erases the config from the platform after boot (`ignition-rmcfg`; vmware, virtualbox). */
  delConfig?(ctx: ProviderContext): Promise<void>;
}
