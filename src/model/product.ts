// Kindling's own version: one place for the CLI's --version, SARIF, the boot log and the
// User-Agent. It is package.json's, so a release bumps one number.
import pkg from '../../package.json' with { type: 'json' };

export const PRODUCT_VERSION: string = pkg.version;
