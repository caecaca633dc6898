// The V8 heap limit the API server runs under wherever this project starts it (`npm start`, the bench;
// the Dockerfile sets the same NODE_OPTIONS). Without it V8 sizes the limit from the machine's memory
// (about 4 GiB here) and lets the heap grow lazily toward it: 200–300 MiB under a write load that keeps
// ~60 MiB alive. 512 MiB keeps the write server near 170 MiB and leaves the heaviest answer (a list of
// 10,000 provinces known at an instant far in the past, replayed in slices) room to spare.
export const HEAP_LIMIT_MIB = 512;

/** NODE_OPTIONS for the server: the operator's own, with the heap limit added unless they set one. */
export function serverNodeOptions(existing = process.env.NODE_OPTIONS ?? '') {
  // Node accepts the flag with dashes or underscores.
  if (/--max[-_]old[-_]space[-_]size[= ]/.test(existing)) return existing;
  return `${existing} --max-old-space-size=${HEAP_LIMIT_MIB}`.trim();
}

// glibc's malloc keeps one arena per thread that allocates, up to 8 per core, and returns little of an
// arena's freed memory: the threads that compress answers (libuv's pool) and V8's GC helpers each kept
// their own; two arenas keep the peak lower (docs/performance.md). An operator's own MALLOC_ARENA_MAX wins.
export const MALLOC_ARENAS = 2;

/** The server process's environment: the caller's, with the heap limit and the malloc arenas above. */
export function serverProcessEnv(env = process.env) {
  return { ...env, NODE_OPTIONS: serverNodeOptions(env.NODE_OPTIONS ?? ''), MALLOC_ARENA_MAX: env.MALLOC_ARENA_MAX ?? String(MALLOC_ARENAS) };
}
