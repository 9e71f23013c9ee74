// Suffixes for temporary files created beside their final path with O_EXCL (and renamed over
// it). They need to be unique, not secret: the process id and a counter make them unique across
// the processes of a boot, a random part avoids leftovers of an earlier one. node:crypto would
// cost a boot stage about a quarter of Node's own start-up, only to name a file.
let counter = 0;

export function tempSuffix(): string {
  counter += 1;
  return `${process.pid.toString(36)}-${counter.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
