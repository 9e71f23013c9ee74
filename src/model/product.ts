// Kindling's own version: one place for the CLI's --version, SARIF, the boot log and the
// User-Agent. It is package.json's, so a release bumps one number. Imported by name, so that the
// build keeps only that field: the whole file as an object literal cost every start 40 property
// transitions.
import { version } from '../../package.json';

export const PRODUCT_VERSION: string = version;
