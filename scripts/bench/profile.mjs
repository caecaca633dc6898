// Summarize a V8 CPU profile (.cpuprofile): self time by where the code lives (an npm package, a file
// of the app, Node's internals, or the VM: GC, idle, native).
import { readFileSync } from 'node:fs';

function place(frame) {
  const url = frame.url || '';
  if (!url) return frame.functionName || '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return `app: ${url.slice(dist + '/dist/'.length).replace(/\.js$/, '')}`;
  return url.replace(/^file:\/\//, '');
}

export function summarizeProfile(file, top = 14) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const deltas = profile.timeDeltas ?? [];
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = deltas[i + 1] ?? deltas[i] ?? 0;
    const node = byId.get(id);
    const key = place(node.callFrame);
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  });
  const idle = self.get('(idle)') ?? 0;
  const busy = total - idle;
  const rows = [...self.entries()]
    .filter(([k]) => k !== '(idle)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([where, us]) => ({ where, ms: Math.round(us / 1000), shareOfBusy: Math.round((us / Math.max(1, busy)) * 1000) / 10 }));
  return { wallMs: Math.round(total / 1000), busyMs: Math.round(busy / 1000), idleMs: Math.round(idle / 1000), top: rows };
}
