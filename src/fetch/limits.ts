// Size bounds of what Kindling reads into memory, apart from the fetcher that enforces them when
// fetching: a command that only reads a config from a file imports this, not the HTTP stack.

/**
 * The most Kindling reads into memory as one config (or CA bundle, key file): fetched, gunzipped or
 * given on the command line. Far above any real config; a bound on time and memory for hostile ones.
 */
export const MAX_CONFIG_BYTES = 64 * 1024 * 1024;
