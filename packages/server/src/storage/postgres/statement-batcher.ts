import { StorageUnavailableError } from '../types.ts';

interface Call<I, R> {
  item: I;
  /** The statement's key of the item ('' without one). */
  key: string;
  resolve(value: R): void;
  reject(error: unknown): void;
}

export interface BatchedStatement<I, R> {
  /**
   * Calls with the same key never share a batch, so each key sees its writes in order, one at a time.
   * Without it (reads) any calls may share a batch.
   */
  key: ((item: I) => string) | undefined;
  /** Runs one call on its own. */
  one(item: I): Promise<R>;
  /** Runs several calls (distinct keys) as one statement; results in the order of `items`. */
  many(items: I[]): Promise<R[]>;
}

/** Upper bound of calls per statement, so that a burst does not build one huge statement. */
const MAX_BATCH = 256;
/**
 * Batches of one kind on the wire at a time. Two measured better than one (the next batch is on its way
 * while PostgreSQL answers the previous one) and than three or four (smaller batches, more commits); with
 * two, one batch stuck on a dead connection or a row lock does not hold up the calls behind it.
 */
const MAX_IN_FLIGHT = 2;

/**
 * Coalesces concurrent calls of one kind into one statement: one round trip, one commit and one
 * execution in PostgreSQL instead of one each per call. A call goes out after the current I/O phase
 * (`setImmediate`, which gathers the calls made by the requests read in that phase), unless
 * MAX_IN_FLIGHT batches are on the wire already: then it waits for one of them to return and goes out with
 * everything that arrived meanwhile. So a lone call waits only for the end of the I/O phase and its own
 * round trip, and under load every round trip carries many calls. A batch of one call runs the plain
 * single-row statement.
 *
 * A batch that fails because PostgreSQL is unavailable fails every call in it. Any other failure (a bad
 * value in one call, a deadlock between nodes) makes each call run again on its own, so that it fails
 * alone.
 */
export class StatementBatcher<I, R> {
  readonly #statement: BatchedStatement<I, R>;
  readonly #maxInFlight: number;
  #queue: Call<I, R>[] = [];
  /** Batches on the wire. */
  #inFlight = 0;
  /** A flush is scheduled. */
  #scheduled = false;
  /** Keys of the calls on the wire (with `key`). */
  readonly #keysInFlight = new Set<string>();

  constructor(statement: BatchedStatement<I, R>, maxInFlight = MAX_IN_FLIGHT) {
    this.#statement = statement;
    this.#maxInFlight = maxInFlight;
  }

  run(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const key = this.#statement.key?.(item) ?? '';
      this.#queue.push({ item, key, resolve, reject });
      if (!this.#scheduled && this.#inFlight < this.#maxInFlight) {
        this.#scheduled = true;
        setImmediate(this.#flush);
      }
    });
  }

  readonly #flush = (): void => {
    this.#scheduled = false;
    while (this.#queue.length > 0 && this.#inFlight < this.#maxInFlight) {
      const batch = this.#take();
      if (batch.length === 0) return; // every queued call waits for a call of its key on the wire
      this.#inFlight++;
      void this.#execute(batch).then(() => this.#done(batch));
    }
  };

  #done(batch: Call<I, R>[]): void {
    this.#inFlight--;
    if (this.#statement.key) for (const call of batch) this.#keysInFlight.delete(call.key);
    this.#flush();
  }

  /**
   * Takes up to MAX_BATCH queued calls, in order; with keys, only calls whose key is neither in the batch
   * nor on the wire, the others staying queued in order.
   */
  #take(): Call<I, R>[] {
    const queue = this.#queue;
    if (this.#statement.key === undefined) {
      if (queue.length <= MAX_BATCH) {
        this.#queue = [];
        return queue;
      }
      return queue.splice(0, MAX_BATCH);
    }
    const taken = this.#keysInFlight;
    const waiting = new Set<string>();
    const batch: Call<I, R>[] = [];
    const rest: Call<I, R>[] = [];
    for (const call of queue) {
      if (batch.length < MAX_BATCH && !taken.has(call.key) && !waiting.has(call.key)) {
        taken.add(call.key);
        batch.push(call);
      } else {
        waiting.add(call.key); // a later call of this key must stay behind this one
        rest.push(call);
      }
    }
    this.#queue = rest;
    return batch;
  }

  /** Settles every call of the batch; never rejects. */
  async #execute(batch: Call<I, R>[]): Promise<void> {
    if (batch.length === 1) return this.#runAlone(batch[0]!);
    let results: R[];
    try {
      results = await this.#statement.many(batch.map((call) => call.item));
    } catch (error) {
      if (error instanceof StorageUnavailableError) {
        for (const call of batch) call.reject(error);
        return;
      }
      await Promise.all(batch.map((call) => this.#runAlone(call)));
      return;
    }
    for (let i = 0; i < batch.length; i++) batch[i]!.resolve(results[i]!);
  }

  async #runAlone(call: Call<I, R>): Promise<void> {
    try {
      call.resolve(await this.#statement.one(call.item));
    } catch (error) {
      call.reject(error);
    }
  }
}
