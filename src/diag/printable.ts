// Text from a config shown on a terminal: control characters (an escape sequence in a key can
// retitle or recolour the terminal), C1 controls and bidirectional overrides are shown escaped
// (`\x1b`, `\u202e`) instead of being sent as they are. Tabs and line breaks are kept.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const escapeOne = (c: string) => {
  const n = c.charCodeAt(0);
  return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
};

export function printable(s: string): string {
  return s.replace(UNSAFE, escapeOne);
}
