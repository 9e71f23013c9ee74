// files: users and groups, files, directories, links, units, then what earlier stages left in the
// state (LUKS key files and /etc/crypttab, provider output files), the result file and relabel.
import path from 'node:path';
import { aliasPath, crypttabLine, luksFilesFragment } from '../../disks/index.js';
import { mergeConfigs } from '../../config/merge.js';
import type { Config } from '../../generated/types.js';
import { commandError, type Host } from '../../host/host.js';
import { LATEST } from '../../model/versions.js';
import type { Stage, StageContext } from '../stage.js';
import { decodeDataUrl } from '../../fetch/dataurl.js';
import { planSteps } from './plan/describe.js';
import { runFilesStage } from './run.js';

/** `cryptsetup luksUUID`, on the disks stage's alias of the device when it made one. */
async function luksUuid(host: Host, device: string): Promise<string> {
  const alias = aliasPath(host.paths.runDir, device);
  const argv = [host.tools.cryptsetup, 'luksUUID', host.fs.existsSync(alias) ? alias : device];
  const r = await host.run(argv);
  if (r.code !== 0) throw new Error(`creating crypttab entries: gathering luks uuid: ${commandError(argv, r)}`);
  return r.stdout.trim();
}

/** The crypttab lines and key files for the config's LUKS volumes, as an Ignition fragment. */
async function luksFragment(config: Config, ctx: StageContext): Promise<Config | undefined> {
  const volumes = config.storage?.luks ?? [];
  if (volumes.length === 0) return undefined;
  const keyDir = ctx.host.paths.luksKeyDir;
  const crypttab: string[] = [];
  const keyFiles: { name: string; path: string; contents: Buffer; mode: number }[] = [];
  for (const l of volumes) {
    const line = crypttabLine(l, await luksUuid(ctx.host, l.device), keyDir);
    crypttab.push(line);
    if (line.split(' ')[2] === 'none') continue;
    const url = ctx.state.luksPersistKeyFiles?.[l.name];
    if (!url) throw new Error(`creating crypttab entries: missing persisted keyfile for ${l.name}`);
    keyFiles.push({ name: l.name, path: path.posix.join(keyDir, l.name), contents: decodeDataUrl(url).data, mode: 0o600 });
  }
  return luksFilesFragment({ crypttab, keyFiles }, { keyDir, keyDirExists: ctx.host.fs.existsSync(path.join(ctx.root, keyDir)) });
}

/** The config plus what earlier stages left for this one. */
async function withArtifacts(config: Config, ctx: StageContext): Promise<Config> {
  let full = config;
  const luks = await luksFragment(config, ctx);
  if (luks) full = mergeConfigs(full, luks);
  const provided = ctx.state.providerOutputFiles ?? [];
  if (provided.length > 0) full = mergeConfigs(full, { ignition: { version: LATEST }, storage: { files: provided } });
  return full;
}

export const files: Stage = {
  name: 'files',
  liveRefusals: () => [],
  async plan(config, ctx) {
    return planSteps(await runFilesStage(config, ctx.host, { root: ctx.root, mode: ctx.mode, dryRun: true, userConfigProvided: ctx.userConfigProvided }));
  },
  async run(config, ctx) {
    const full = await withArtifacts(config, ctx);
    await runFilesStage(full, ctx.host, {
      root: ctx.root,
      mode: ctx.mode,
      fetcher: ctx.fetcher,
      notatedDirectories: ctx.state.notatedDirectories ?? [],
      userConfigProvided: ctx.userConfigProvided,
    });
    // The keys now live only in the (possibly encrypted) root, not in the initramfs's state.
    ctx.state.luksPersistKeyFiles = null;
  },
};
