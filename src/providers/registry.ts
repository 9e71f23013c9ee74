// The provider behind each platform id current Ignition accepts. Add a platform: one file in this
// folder, its line here and its id in platforms.ts (TypeScript rejects either without the other).
// (The kernel command line source, cmdline.ts, is not a platform.)
import { akamai } from './akamai.js';
import { aliyun } from './aliyun.js';
import { applehv } from './applehv.js';
import { aws } from './aws.js';
import { azure } from './azure.js';
import { azurestack } from './azurestack.js';
import { cloudstack } from './cloudstack.js';
import { digitalocean } from './digitalocean.js';
import { exoscale } from './exoscale.js';
import { file } from './file.js';
import { gcp } from './gcp.js';
import { hetzner } from './hetzner.js';
import { hyperv } from './hyperv.js';
import { ibmcloud } from './ibmcloud.js';
import { kubevirt } from './kubevirt.js';
import { metal } from './metal.js';
import { nutanix } from './nutanix.js';
import { nvidiabluefield } from './nvidiabluefield.js';
import { brightbox, openstack } from './openstack.js';
import { oraclecloud } from './oraclecloud.js';
import { packet } from './packet.js';
import { isPlatformId, type PlatformId } from './platforms.js';
import type { Provider } from './provider.js';
import { powervs } from './powervs.js';
import { proxmoxve } from './proxmoxve.js';
import { qemu } from './qemu.js';
import { scaleway } from './scaleway.js';
import { upcloud } from './upcloud.js';
import { virtualbox } from './virtualbox.js';
import { vmware } from './vmware.js';
import { vultr } from './vultr.js';
import { zvm } from './zvm.js';

const providers: { readonly [Id in PlatformId]: Provider } = {
  akamai,
  aliyun,
  applehv,
  aws,
  azure,
  azurestack,
  brightbox,
  cloudstack,
  digitalocean,
  exoscale,
  file,
  gcp,
  hetzner,
  hyperv,
  ibmcloud,
  kubevirt,
  metal,
  nutanix,
  nvidiabluefield,
  openstack,
  oraclecloud,
  packet,
  powervs,
  proxmoxve,
  qemu,
  scaleway,
  upcloud,
  virtualbox,
  vmware,
  vultr,
  zvm,
};

export function getProvider(id: string): Provider | undefined {
  return isPlatformId(id) ? providers[id] : undefined;
}
