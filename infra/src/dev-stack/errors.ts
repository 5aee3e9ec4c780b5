/** A failure whose message says it all: main prints it as one line, without a stack. */
export class DevStackError extends Error {
  override name = 'DevStackError';
}
