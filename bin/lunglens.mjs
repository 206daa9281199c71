#!/usr/bin/env node
// lunglens command-line tool for Node: `lunglens analyze PATH... --out DIR`
// over the WebAssembly module or the native build (see --help).
import { main } from './cli/main.mjs';

let status;
try {
  status = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`lunglens: internal error: ${error?.message ?? error}\n`);
  status = 1;
}
// Exits explicitly because the module's pthread workers may still be alive.
process.exit(status);
