import { cliNumber, commonStartOptions } from './cli';
import { DeliveryTimers } from './delivery';
import { jsonFieldMap } from './http';
import { SlidingWindow } from './rate-limit';
import { addWithId, appendBounded, assignKnown, checkKnown } from './state';

describe('SlidingWindow', () => {
  it('takes up to the limit per key and says how long until the oldest hit leaves the window', () => {
    const w = new SlidingWindow(2, 1000);
    expect(w.attempt('k', 0)).toBeNull();
    expect(w.attempt('k', 100)).toBeNull();
    expect(w.attempt('k', 400)).toBe(600);
    expect(w.take('other', 400)).toBe(true);
    expect(w.take('k', 1000)).toBe(true); // the hit at 0 has left
    w.reset();
    expect(w.take('k', 1000)).toBe(true);
  });
});

describe('state helpers', () => {
  it('checkKnown / assignKnown refuse keys the defaults do not have', () => {
    const target = { a: 1, b: 2 };
    assignKnown(target, { b: 3 }, { a: 0, b: 0 }, 'fault');
    expect(target).toEqual({ a: 1, b: 3 });
    expect(() => checkKnown({ c: 1 }, { a: 0 }, 'switch')).toThrow('unknown switch c');
  });

  it('appendBounded keeps the newest entries; addWithId stores and returns the record', () => {
    const ring = [1, 2];
    appendBounded(ring, 3, 2);
    expect(ring).toEqual([2, 3]);
    const list: Array<{ id: number; name: string }> = [];
    expect(addWithId(list, 7, { name: 'x' })).toEqual({ id: 7, name: 'x' });
    expect(list).toHaveLength(1);
  });
});

describe('DeliveryTimers', () => {
  it('is idle once every scheduled job settled, and schedules nothing after stop()', async () => {
    const t = new DeliveryTimers();
    const ran: number[] = [];
    t.later(5, () => void ran.push(1));
    t.later(10, async () => void ran.push(2));
    await t.idle(1000);
    expect(ran).toEqual([1, 2]);
    t.stop();
    t.later(0, () => void ran.push(3));
    await t.idle(10);
    await new Promise((r) => setTimeout(r, 20));
    expect(ran).toEqual([1, 2]);
    expect(t.stopped).toBe(true);
  });

  it('idle() rejects when jobs are still pending after the timeout', async () => {
    const t = new DeliveryTimers();
    t.later(200, () => undefined);
    await expect(t.idle(10)).rejects.toThrow(/still pending/);
    t.stop();
  });
});

describe('CLI and body helpers', () => {
  it('parses the common flags and refuses a non-number', () => {
    expect(commonStartOptions({ employees: '5', port: '0', host: 'h', seed: '2', 'time-scale': '60' })).toEqual({
      employees: 5,
      port: 0,
      host: 'h',
      seed: 2,
      timeScale: 60,
      now: undefined,
    });
    expect(() => cliNumber('port', 'abc')).toThrow('--port must be a number, got abc');
  });

  it('jsonFieldMap flattens a JSON object to strings and refuses anything else', () => {
    expect(jsonFieldMap('{"a":1,"b":null,"c":"x"}')).toEqual({ a: '1', b: '', c: 'x' });
    expect(jsonFieldMap('[1]')).toBeNull();
    expect(jsonFieldMap('{oops')).toBeNull();
  });
});
