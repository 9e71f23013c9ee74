// Plain-TCP connections for the two metadata services that need more than "connect to the
// URL's host": Scaleway answers only clients whose source port is below 1024, and OpenStack's
// IPv6 link-local address is only reachable through a named interface (fe80::...%eth0), which a
// URL cannot carry. http:// only: neither service speaks TLS.
import net from 'node:net';
import { socketConnector, type Connector } from './client.js';

const DIAL_TIMEOUT_MS = 30_000;
/** How many busy source ports to skip before giving up on one connection. */
const PORT_TRIES = 64;

export interface PinnedConnection {
  /** Picks the source port of each new connection (another is picked when one is in use). */
  sourcePort?: () => number;
  /** Connects to this host instead of the URL's (e.g. `fe80::a9fe:a9fe%eth0`). */
  host?: string;
}

/** Connections that follow `pin`, one per request; destroy() closes any still open. */
export function pinnedConnector(pin: PinnedConnection): Connector {
  return socketConnector((urlHost, port, done) => {
    const host = pin.host ?? urlHost;
    let tries = 0;
    const attempt = (): void => {
      const localPort = pin.sourcePort?.();
      const sock = net.connect({ host, port, ...(localPort ? { localPort } : {}) });
      const timer = setTimeout(() => sock.destroy(new Error(`dial tcp ${host}:${port}: i/o timeout`)), DIAL_TIMEOUT_MS);
      sock.once('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        sock.destroy();
        // Another socket holds this source port (or its TIME_WAIT does): take another one.
        if (e.code === 'EADDRINUSE' && pin.sourcePort && ++tries < PORT_TRIES) attempt();
        else done(e);
      });
      sock.once('connect', () => {
        clearTimeout(timer);
        sock.removeAllListeners('error');
        sock.setNoDelay(true);
        done(null, sock);
      });
    };
    attempt();
  });
}

/** A random privileged port, 1..1022 (Scaleway's range). */
export function randomPrivilegedPort(): number {
  return 1 + Math.floor(Math.random() * 1022);
}
