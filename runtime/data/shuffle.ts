// shuffle(): tf.data's buffer shuffle. The buffer fills with the first `bufferSize`
// elements; each step emits a uniformly drawn one and refills its place with the next
// input element, so the order is only as random as the buffer is large, and memory holds
// exactly the buffer.

/** `src`'s elements in buffer-shuffled order drawn from `rng`. */
export async function* shuffled<T>(src: AsyncIterable<T>, bufferSize: number, rng: () => number): AsyncGenerator<T> {
  const it = src[Symbol.asyncIterator]();
  let done = false;
  try {
    const buf: T[] = [];
    while (buf.length < bufferSize) {
      const r = await it.next();
      if (r.done) {
        done = true;
        break;
      }
      buf.push(r.value);
    }
    while (buf.length > 0) {
      const i = Math.floor(rng() * buf.length);
      const out = buf[i];
      // the last element fills the hole: order inside the buffer does not matter
      buf[i] = buf[buf.length - 1];
      buf.pop();
      yield out;
      if (!done) {
        const r = await it.next();
        if (r.done) done = true;
        else buf.push(r.value);
      }
    }
    done = true;
  } finally {
    // the consumer stopped early: let the input release what it holds
    if (!done) await it.return?.();
  }
}
