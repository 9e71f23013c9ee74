// Random parts of the names of temporary files, created beside their final path with O_EXCL and
// renamed over it. They need to be unique, not secret (the directories are root's), so
// Math.random does: node:crypto would cost a boot stage about a quarter of Node's own start-up
// (loading it and seeding OpenSSL's generator), only to name a file.
export function randomHex(digits: number): string {
  let out = '';
  while (out.length < digits)
    out += Math.floor(Math.random() * 0x1_0000_0000)
      .toString(16)
      .padStart(8, '0');
  return out.slice(0, digits);
}
