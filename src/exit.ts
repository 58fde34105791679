// How mmutt's process ends when its output cannot be written, and once it has gone out: for
// the command line's entry (src/start.ts, which answers --version itself) and for the CLI.

/**
 * `mmutt matrix | head -1`: when the reader goes away, end quietly with 141, as a process
 * killed by SIGPIPE does, without finishing work nobody will read. Another failed write (a
 * full disk: ENOSPC) ends with 74 (EX_IOERR) and one line on stderr, never in silence.
 */
export function guardOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(141);
      // stderr that fails too has its own handler: then there is no one left to tell.
      if (stream === process.stdout) process.stderr.write(`mmutt: cannot write the output: ${e.code ?? e.message}${e.code === 'ENOSPC' ? ' (no space left on the device)' : ''}\n`, () => process.exit(74));
      else process.exit(74);
    });
  }
}

/**
 * End with `code` once everything written has gone out (a write to a pipe may still be under
 * way: process.exit() at once would cut it off). Left to end by itself, Node would first wait
 * for V8's background work, such as the concurrent marking of a garbage collection begun as
 * the command finished, which nobody needs: a tenth of a `run`'s start-up. A write that
 * failed ends through guardOutput's handler instead, which its error event reaches after the
 * write's callback.
 */
export function endAfterOutput(code: number): void {
  process.exitCode = code;
  process.stdout.write('', (e) => {
    if (!e) process.stderr.write('', (e2) => e2 || process.exit(code));
  });
}
