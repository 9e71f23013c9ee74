// The process's standard streams. When the reader of stdout or stderr goes away (`kindling ... |
// head`), the program ends quietly with status 141 (128 + SIGPIPE), as a Unix tool killed by
// SIGPIPE does; Node ignores SIGPIPE, so without this every such write is an unhandled EPIPE.
// `process.exit` still runs the 'exit' handlers (temporary files are removed there).
export const EXIT_CLOSED_PIPE = 141;

export function endQuietlyWhenPipesClose(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') process.stderr.write(`kindling: cannot write to standard output: ${e.message}\n`);
    process.exit(e.code === 'EPIPE' ? EXIT_CLOSED_PIPE : 1);
  });
  process.stderr.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? EXIT_CLOSED_PIPE : 1));
}
