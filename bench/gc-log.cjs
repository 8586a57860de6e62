// Preloaded into a server by bench/gateway-tail.ts (`node --require bench/gc-log.cjs`): every garbage
// collection pause (its wall-clock start, kind and duration) written at exit to $BENCH_GC_LOG.<pid>.json.
const { PerformanceObserver, constants, performance } = require('node:perf_hooks');
const { writeFileSync } = require('node:fs');

const file = process.env.BENCH_GC_LOG;
if (file) {
  const kinds = {
    [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
    [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
    [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak',
  };
  const pauses = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      pauses.push([performance.timeOrigin + e.startTime, kinds[e.detail?.kind] ?? 'other', e.duration]);
  }).observe({ entryTypes: ['gc'] });
  process.on('exit', () => writeFileSync(`${file}.${process.pid}.json`, JSON.stringify(pauses)));
}
