// Peak resident memory of a gateway's process tree, sampled from /proc while it runs (Linux).
import { readFileSync, readdirSync } from 'node:fs';

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0; // gone already
  }
}

function descendants(pid: number): number[] {
  let children: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      children = children.concat(readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
    }
  } catch {
    return [];
  }
  return children.concat(...children.map(descendants));
}

/** Resident memory of a process and its descendants now, in MB. */
export const treeRssMb = (pid: number) => Math.round(treeRssKb(pid) / 1024);

/** Resident memory of a process and its descendants now, in kB. */
export const treeRssKb = (pid: number) => [pid, ...descendants(pid)].reduce((sum, each) => sum + statusKb(each, 'VmRSS'), 0);

export function sampleRss(pid: number, intervalMs = 200) {
  let peakKb = treeRssKb(pid);
  const timer = setInterval(() => (peakKb = Math.max(peakKb, treeRssKb(pid))), intervalMs);
  return {
    /** Peak in MB; the root's own high-water mark covers peaks between two samples. */
    stop(): number {
      clearInterval(timer);
      peakKb = Math.max(peakKb, treeRssKb(pid), statusKb(pid, 'VmHWM'));
      return Math.round(peakKb / 1024);
    },
  };
}
