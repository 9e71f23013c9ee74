// Read-only probes of the current machine state: partition tables (sgdisk) and signatures (blkid).
import type { Host } from '../host/host.js';
import { parseBlkidExport, parseWipefsJson } from './filesystems.js';
import { DisksError, type FsProbe, type PartitionTable } from './model.js';
import { parsePrint, parseInfo } from './sgdisk.js';
import type { Runner } from './exec.js';

export async function readTable(run: Runner, dev: string): Promise<PartitionTable> {
  const sg = run.host.tools.sgdisk;
  const print = await run.must([sg, '--print', dev], `reading partition table of ${JSON.stringify(dev)}`);
  const { sectorSize, numbers } = parsePrint(print.stdout);
  if (numbers.length === 0) return { sectorSize, partitions: [] };
  const info = await run.must([sg, ...numbers.map((n) => `--info=${n}`), dev], `reading partition table of ${JSON.stringify(dev)}`);
  return { sectorSize, partitions: parseInfo(info.stdout, numbers) };
}

/**
 * Type/UUID/label of what is on a device. blkid exits 2 when it finds nothing and 8 when several
 * signatures compete; then, like Ignition's retry "allowing ambivalence", the first one wins.
 */
export async function probeFs(run: Runner, dev: string, host: Host = run.host): Promise<FsProbe> {
  const argv = [host.tools.blkid, '-p', '-o', 'export', dev];
  const r = await run.try(argv);
  if (r.code === 0) return parseBlkidExport(r.stdout);
  if (r.code === 2) return { type: '', uuid: '', label: '' };
  if (r.code === 8) {
    host.log.warn(`multiple signatures found on ${JSON.stringify(dev)}; using the first one`);
    const w = await run.must([host.tools.wipefs, '--no-act', '--json', dev], `determining filesystem type of ${JSON.stringify(dev)}`);
    return w.stdout.trim() ? parseWipefsJson(w.stdout) : { type: '', uuid: '', label: '' };
  }
  throw new DisksError(`determining filesystem type of ${JSON.stringify(dev)}: blkid exited ${r.code}: ${r.stderr.trim()}`);
}
