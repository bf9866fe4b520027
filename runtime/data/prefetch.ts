// prefetch(): keeps up to `bufferSize` requests for the next elements in flight, so the
// input pipeline (an async generator, a file read, a slow map) works while the consumer
// (a training step) does. Requests are queued on the input's own async iterator, which
// serves them in order.

/** `src`'s elements, produced up to `bufferSize` ahead of the consumer. */
export async function* prefetched<T>(src: AsyncIterable<T>, bufferSize: number): AsyncGenerator<T> {
  const it = src[Symbol.asyncIterator]();
  const ahead: Promise<IteratorResult<T>>[] = [];
  const request = (): void => {
    const p = it.next();
    // a request still in flight when the consumer stops may fail; that must not surface as
    // an unhandled rejection (an awaited one still throws to the consumer)
    p.catch(() => {});
    ahead.push(p);
  };
  let done = false;
  try {
    for (let i = 0; i < bufferSize; i++) request();
    for (;;) {
      const r = await ahead.shift()!;
      if (r.done) {
        done = true;
        return;
      }
      // ask for the next one before handing this one over, so production overlaps consumption
      request();
      yield r.value;
    }
  } finally {
    if (!done) await it.return?.();
  }
}
