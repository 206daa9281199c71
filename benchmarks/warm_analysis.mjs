// Runs Session.analyze (WebAssembly, threads) several times in one Node
// process on the same folder and prints each run's stage times. The first
// run pays for touching fresh memory (the heap grows to about 2 GB), while
// later runs reuse the memory the allocator kept.
//
// Usage: node benchmarks/warm_analysis.mjs [FOLDER] [--repeat N]
//   FOLDER defaults to $LUNGLENS_DATA/ct/LIDC-IDRI-0002; N defaults to 3.
import { loadLunglens } from '../wasm/node_loader.mjs';
import { parseBenchmarkArguments } from './benchmark_arguments.mjs';
import { readIntoSession } from './read_into_session.mjs';

const { folder, repeat } = parseBenchmarkArguments('warm_analysis');
const lunglens = await loadLunglens({ threads: true });
for (let run = 1; run <= repeat; run++) {
  const session = new lunglens.Session();
  readIntoSession(session, folder);
  const start = performance.now();
  const result = session.analyze(-1, '2026-01-01T00:00:00Z', undefined);
  const seconds = (performance.now() - start) / 1000;
  const stages = Object.entries(result.timings).map(([stage, s]) => `${stage} ${s.toFixed(2)}`).join(', ');
  console.log(`run ${run}: ${seconds.toFixed(2)} s (${stages})${result.ok ? '' : ' FAILED'}`);
  session.delete();
}
process.exit(0);
