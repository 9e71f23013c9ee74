// Kindling's own version: one place for the CLI's --version, the boot log and the User-Agent.
export const PRODUCT_VERSION = '0.1.0';
