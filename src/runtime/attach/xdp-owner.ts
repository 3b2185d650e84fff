// Who holds an interface's XDP hook when ours cannot attach: the kernel answers "File
// exists" / "Device or resource busy" and says no more. iproute2 reads the attached
// program's id and name over netlink (`ip -j -d link show`), so the diagnostic can name
// the owner and point at tc, which runs beside any XDP program.
import { childProcess } from '../../util/child-process.js';

export interface XdpOwner {
  id: number;
  name: string;
}

/** The XDP program attached to `ifname`, or undefined when none is or ip(8) cannot tell. */
export function xdpOwner(ifname: string): XdpOwner | undefined {
  try {
    const out = childProcess().execFileSync('ip', ['-j', '-d', 'link', 'show', 'dev', ifname], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 2000 });
    const prog = (JSON.parse(out) as Array<{ xdp?: { prog?: { id?: number; name?: string } } }>)[0]?.xdp?.prog;
    return prog?.id !== undefined ? { id: prog.id, name: prog.name ?? '' } : undefined;
  } catch {
    return undefined;
  }
}
