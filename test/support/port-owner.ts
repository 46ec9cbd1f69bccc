import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Inodes of the sockets listening on `port` (Linux's /proc/net/tcp and tcp6); null where /proc is not there. */
function listeningInodes(port: number): Set<string> | null {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      return null;
    }
    for (const line of text.split('\n').slice(1)) {
      const columns = line.trim().split(/\s+/);
      // local_address is column 1, st (0A = LISTEN) column 3, inode column 9.
      if (columns.length > 9 && columns[3] === '0A' && columns[1].endsWith(hex)) inodes.add(columns[9]);
    }
  }
  return inodes;
}

/**
 * Whether process `pid` holds the socket listening on `port`: false when another process does
 * (a port handed out by freePort can be taken by another test's server before the child binds
 * it), null when this system cannot tell.
 */
export function listensOn(pid: number, port: number): boolean | null {
  const inodes = listeningInodes(port);
  if (!inodes) return null;
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return null;
  }
  return fds.some((fd) => {
    try {
      const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
      return link.startsWith('socket:[') && inodes.has(link.slice('socket:['.length, -1));
    } catch {
      return false;
    }
  });
}
