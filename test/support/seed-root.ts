// A target root like an unpacked image: the account database (root only) that shadow-utils'
// `--root` needs, for tests that create users against a real root.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** With `loginDefs`, also the uid/gid ranges, so ids do not depend on the host's /etc/login.defs. */
export function seedAccounts(root: string, opts: { loginDefs?: boolean } = {}): void {
  fs.mkdirSync(path.join(root, 'etc'), { recursive: true });
  const w = (f: string, text: string, mode = 0o644) => fs.writeFileSync(path.join(root, 'etc', f), text, { mode });
  w('passwd', 'root:x:0:0:root:/root:/bin/sh\n');
  w('group', 'root:x:0:\n');
  w('shadow', 'root:*:19000:0:99999:7:::\n', 0o600);
  w('gshadow', 'root:*::\n', 0o600);
  if (opts.loginDefs) w('login.defs', 'UID_MIN 1000\nUID_MAX 60000\nGID_MIN 1000\nGID_MAX 60000\nUSERGROUPS_ENAB yes\n');
}
