/** A problem with the command line (a flag, its value, a filter that matches nothing): the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {}
