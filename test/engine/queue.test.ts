import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../src/engine/index.js';

describe('EventQueue', () => {
  it('pops by time, then priority, then insertion order', () => {
    const queue = new EventQueue<string>(2);
    queue.push(5, 1, 'e');
    queue.push(1, 1, 'b');
    queue.push(1, 0, 'a');
    queue.push(1, 1, 'c');
    queue.push(3, 1, 'd');
    const order: string[] = [];
    for (let item = queue.pop(); item !== undefined; item = queue.pop()) order.push(item);
    expect(order).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('matches a sorted reference on random keys with ties', () => {
    const queue = new EventQueue<number>(4);
    const reference: { time: number; priority: number; seq: number }[] = [];
    let state = 12345;
    const draw = (n: number): number => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state % n;
    };
    for (let seq = 0; seq < 5000; seq++) {
      const time = draw(50);
      const priority = draw(3);
      queue.push(time, priority, seq);
      reference.push({ time, priority, seq });
    }
    reference.sort((a, b) => a.time - b.time || a.priority - b.priority || a.seq - b.seq);
    const popped: number[] = [];
    while (queue.size > 0) popped.push(queue.pop()!);
    expect(popped).toEqual(reference.map((r) => r.seq));
  });
});
