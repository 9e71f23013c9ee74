// The version printed by `kindling --version` and recorded in SARIF output: package.json's.
import pkg from '../../package.json' with { type: 'json' };

export const VERSION: string = pkg.version;
