// Finds BPF programs, maps and links of nettrace's that no living process owns: what a
// run would leave behind in the kernel. Used by the reliability tests (with the addon
// from src/) and by the bench's 50-run version (from dist/), hence plain JavaScript that
// is handed the addon's listKernelObjects.
//
// Other tests run in parallel and start nettrace processes of their own, so "no nt_
// object exists" would be a flaky check. Instead: an object is leaked when it is
// nettrace's (named nt_..., or a link to such a program), was created after the
// baseline, and nothing alive keeps it: no process holds an fd to it, to a link using
// it, or to a program using it (a program keeps its maps). Everything nettrace creates
// is fd-owned, so once its process is gone none of its objects may stay reachable;
// freeing is deferred a little by the kernel, so the check retries until it settles.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

const isNettraceName = (name) => name.startsWith('nt_');

/** Ids of BPF objects held through some process's fds, read from /proc/PID/fdinfo. */
export function heldIds(ignorePids = []) {
  const held = { prog: new Set(), map: new Set(), link: new Set() };
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid) || ignorePids.includes(Number(pid))) continue;
    let fds;
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // the process ended, or is a kernel thread
    }
    for (const fd of fds) {
      let info;
      try {
        if (!readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('anon_inode:bpf')) continue;
        info = readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8');
      } catch {
        continue;
      }
      for (const [, kind, id] of info.matchAll(/^(prog|map|link)_id:\s*(\d+)/gm)) held[kind].add(Number(id));
    }
  }
  return held;
}

/**
 * @param {{
 *   (kind: 'prog'): { id: number, name: string, mapIds: number[] }[],
 *   (kind: 'map'): { id: number, name: string }[],
 *   (kind: 'link'): { id: number, progId: number }[],
 * }} listKernelObjects  src/native/bpf.ts's, or a fake
 */
export function createLeakDetector(listKernelObjects) {
  /** The highest id of each kind now: objects created later have higher ids. */
  function baseline() {
    const last = (objects) => objects.reduce((m, o) => Math.max(m, o.id), 0);
    return { prog: last(listKernelObjects('prog')), map: last(listKernelObjects('map')), link: last(listKernelObjects('link')) };
  }

  /**
   * nettrace's objects newer than `since` that nothing alive keeps. `ignorePids` counts
   * those processes as gone already (the detector's own test: a live run's objects must
   * all be found).
   */
  function unownedObjects(since, ignorePids = []) {
    const progs = listKernelObjects('prog');
    const maps = listKernelObjects('map');
    const links = listKernelObjects('link');
    const held = heldIds(ignorePids);
    // What the held fds keep alive: links keep their program, programs their maps.
    const liveProgs = new Set(held.prog);
    for (const l of links) if (held.link.has(l.id)) liveProgs.add(l.progId);
    const liveMaps = new Set(held.map);
    for (const p of progs) if (liveProgs.has(p.id)) for (const m of p.mapIds) liveMaps.add(m);

    const ours = progs.filter((p) => p.id > since.prog && isNettraceName(p.name));
    const ourIds = new Set(ours.map((p) => p.id));
    return {
      progs: ours.filter((p) => !liveProgs.has(p.id)),
      maps: maps.filter((m) => m.id > since.map && isNettraceName(m.name) && !liveMaps.has(m.id)),
      links: links.filter((l) => l.id > since.link && ourIds.has(l.progId) && !held.link.has(l.id)),
    };
  }

  /**
   * Waits until no unowned nettrace object newer than `since` remains (the kernel frees
   * released objects after an RCU grace period), and returns what is still there after
   * `timeoutMs`: nothing when nothing leaked.
   */
  async function waitForNoLeaks(since, timeoutMs = 3000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const leaks = unownedObjects(since);
      if (leakCount(leaks) === 0 || Date.now() > deadline) return leaks;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  return { baseline, unownedObjects, waitForNoLeaks };
}

export function leakCount(leaks) {
  return leaks.progs.length + leaks.maps.length + leaks.links.length;
}
