/**
 * Object literals of a program rewritten as stores into an empty object, or into a dictionary where
 * they run once (literal-stores.mjs), and how many of each.
 */
export function literalsAsStores(text: string): { text: string; count: number; dictionaries: number };

/** The name of esbuild's helper for lazily started modules in a program's text, if it has one. */
export function moduleInitializer(text: string): string | undefined;
