// Reads a V8 .cpuprofile (node --cpu-prof) and lists the functions with the most self time,
// grouped by function and file, as a share of the busy time (idle samples left out). The profile
// covers the process's whole life, start-up included, which a 20 s load dwarfs.
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export function topSelfTime(file: string, root: string, limit = 40): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodeById = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<string, number>();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const { functionName, url, lineNumber } = nodeById.get(id)!.callFrame;
    if (functionName === '(idle)') return;
    // Code compiled from TypeScript on the fly reports line 1; its line says nothing then.
    const file = url ? path.relative(root, url.replace(/^file:\/\//, '')) : '';
    const key = `${functionName || '(anonymous)'} ${file}${file && lineNumber > 0 ? `:${lineNumber + 1}` : ''}`.trim();
    const delta = profile.timeDeltas[i] ?? 0;
    selfUs.set(key, (selfUs.get(key) ?? 0) + delta);
    totalUs += delta;
  });
  const rows = [...selfUs.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit);
  const lines = rows.map(([key, us]) => `${((100 * us) / totalUs).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`);
  return [`self time, top ${limit} of ${(totalUs / 1e6).toFixed(1)} s busy (${path.basename(file)})`, ...lines].join('\n');
}

/**
 * The share of busy time spent under (inclusive) any function from files whose path contains
 * one of `files`: what a feature costs, its callees (crypto, the Redis client) included.
 */
export function inclusiveShare(file: string, files: string[]): number {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodeById = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const inFeature = new Map<number, boolean>();
  const underFeature = (id: number | undefined): boolean => {
    if (id === undefined) return false;
    const known = inFeature.get(id);
    if (known !== undefined) return known;
    const { url } = nodeById.get(id)!.callFrame;
    const answer = files.some((part) => url.includes(part)) || underFeature(parentOf.get(id));
    inFeature.set(id, answer);
    return answer;
  };
  let busyUs = 0;
  let featureUs = 0;
  profile.samples.forEach((id, i) => {
    if (nodeById.get(id)!.callFrame.functionName === '(idle)') return;
    const delta = profile.timeDeltas[i] ?? 0;
    busyUs += delta;
    if (underFeature(id)) featureUs += delta;
  });
  return busyUs === 0 ? 0 : featureUs / busyUs;
}
