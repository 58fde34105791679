// Why a split search views its growable shared buffers through fixed-length typed arrays
// (src/explore/shared.ts, docs/performance.md): random reads and writes of 2^24 words through
// a plain Int32Array, one over a SharedArrayBuffer, a length-tracking one over a growable
// SharedArrayBuffer, and a fixed-length one over the same growable buffer.
// usage: node bench/typed-views.mjs
function time(name, e) {
  const t = performance.now();
  let x = 12345;
  let s = 0;
  const n = e.length;
  for (let i = 0; i < 3e7; i++) {
    x = (x * 1103515245 + 12345) | 0;
    const k = (x >>> 8) % (n - 2);
    s += e[k];
    e[k + 1] = s;
  }
  console.log(`${name.padEnd(44)} ${(performance.now() - t).toFixed(0).padStart(5)} ms`);
}
const N = 1 << 24;
for (let round = 0; round < 2; round++) {
  time('Int32Array', new Int32Array(N));
  time('over a SharedArrayBuffer', new Int32Array(new SharedArrayBuffer(N * 4)));
  time('length-tracking, over a growable one', new Int32Array(new SharedArrayBuffer(N * 4, { maxByteLength: N * 16 })));
  time('fixed length, over a growable one', new Int32Array(new SharedArrayBuffer(N * 4, { maxByteLength: N * 16 }), 0, N));
}
