/**
 * A reason the server cannot start that the operator can fix (a directory in use, a missing
 * permission, a database of another version). main.ts prints its message alone, without a stack.
 */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}
