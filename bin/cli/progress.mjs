// Progress of an analysis on stderr: a redrawn bar when stderr is a terminal,
// otherwise one line when a stage starts and one when it ends, so logs stay readable.

const BAR_WIDTH = 30;

// Returns {update(stage, done, total) -> true, finish()}; update never cancels.
export function createProgress({ quiet = false, stream = process.stderr } = {}) {
  if (quiet) return { update: () => true, finish: () => {} };

  if (stream.isTTY) {
    let drawn = false;
    return {
      update(stage, done, total) {
        const filled = total > 0 ? Math.floor((done * BAR_WIDTH) / total) : 0;
        stream.write(`\r${stage.padEnd(12)} [${'#'.repeat(filled)}${' '.repeat(BAR_WIDTH - filled)}] ${done}/${total}`);
        drawn = true;
        return true;
      },
      finish() {
        if (drawn) stream.write('\n');
        drawn = false;
      },
    };
  }

  let current = null;
  return {
    update(stage, done, total) {
      if (stage !== current) {
        current = stage;
        stream.write(`lunglens: ${stage}\n`);
      }
      if (done === total && total > 1) stream.write(`lunglens: ${stage} done (${done}/${total})\n`);
      return true;
    },
    finish() {},
  };
}
