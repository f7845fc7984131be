/**
 * A promise-queue mutex. Why: the history is read-modify-written as a whole
 * storage item; two panel tabs sending `orders:seen` at the same moment would
 * otherwise both read the old value and the second write would drop the
 * first one's orders (no lost update: test/hostile/storage.test.ts).
 *
 * A failing task never wedges the queue: the next task runs either way, and
 * the caller of the failing task gets its rejection.
 */
export interface Mutex {
  run<T>(task: () => Promise<T> | T): Promise<T>;
  /** Resolves once every task queued so far has settled (for tests and shutdown). */
  idle(): Promise<void>;
}

export function createMutex(): Mutex {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(task: () => Promise<T> | T): Promise<T> {
      const result = tail.then(() => task());
      // The queue continues whatever this task's outcome.
      tail = result.then(
        () => undefined,
        () => undefined,
      );
      return result;
    },
    idle(): Promise<void> {
      return tail.then(() => undefined);
    },
  };
}

/**
 * The one queue of the background's history and layout-flag writes
 * (storage/history/, storage/layout.ts): "clear all" removes both, so a flag
 * raised at the same moment never lands half before and half after it.
 */
export const storageWriteLock = createMutex();
