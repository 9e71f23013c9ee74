/** Object literals of a program rewritten as stores into an empty object (literal-stores.mjs). */
export function literalsAsStores(text: string): { text: string; count: number };
