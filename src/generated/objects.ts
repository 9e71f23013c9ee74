// Generated from src/model/spec.ts by `npm run gen`. Do not edit.
import type * as T from './types.js';

/** Every object of the config model, by its model name, as its generated type. */
export interface ModelObjects {
  Config: T.Config;
  Ignition: T.Ignition;
  IgnitionConfig: T.IgnitionConfig;
  Proxy: T.Proxy;
  Security: T.Security;
  TLS: T.TLS;
  Timeouts: T.Timeouts;
  Resource: T.Resource;
  HTTPHeader: T.HTTPHeader;
  Verification: T.Verification;
  KernelArguments: T.KernelArguments;
  Passwd: T.Passwd;
  PasswdGroup: T.PasswdGroup;
  PasswdUser: T.PasswdUser;
  Storage: T.Storage;
  Disk: T.Disk;
  Partition: T.Partition;
  Raid: T.Raid;
  Luks: T.Luks;
  Cex: T.Cex;
  Clevis: T.Clevis;
  ClevisCustom: T.ClevisCustom;
  Tang: T.Tang;
  Filesystem: T.Filesystem;
  NodeUser: T.NodeUser;
  NodeGroup: T.NodeGroup;
  File: T.File;
  Directory: T.Directory;
  Link: T.Link;
  Systemd: T.Systemd;
  Unit: T.Unit;
  Dropin: T.Dropin;
}
