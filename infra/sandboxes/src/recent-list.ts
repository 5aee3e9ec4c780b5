// A sandbox left running for days must not grow without bound; Mailpit keeps 500 by default.
const KEPT = 1000;

/** What a sandbox received, newest first, the oldest forgotten past a thousand. */
export class RecentList<T> {
  #items: T[] = [];

  constructor(private readonly idOf: (item: T) => string) {}

  add(item: T): void {
    this.#items.unshift(item);
    this.#items.length = Math.min(this.#items.length, KEPT);
  }

  /** Copies, so a caller cannot change what the sandbox holds. */
  all(): T[] {
    return this.#items.map((item) => structuredClone(item));
  }

  /** The stored item itself: the sandbox updates it in place (an SMS's status). */
  find(id: string): T | undefined {
    return this.#items.find((item) => this.idOf(item) === id);
  }

  clear(): void {
    this.#items = [];
  }
}
