import { serviceRoom } from './service-room';

test('room is free capacity less the lines granted in the last 5 s, whose streams the database may not count yet', async () => {
  let clock = 0;
  const load = { instances: 2, capacity: 4, active: 1 };
  const room = serviceRoom({ load: async () => load }, { now: () => clock });
  expect(await room()).toBe(true); // 1 active + 0 granted < 4
  expect(await room()).toBe(true); // 1 + 1
  expect(await room()).toBe(true); // 1 + 2
  expect(await room()).toBe(false); // 1 + 3: all lines spoken for
  clock = 5001; // the grants' streams have started (or never will): the database's count alone
  load.active = 3;
  expect(await room()).toBe(true);
  expect(await room()).toBe(false);
});

test('a store that fails or does not answer within the bound means no room, and says why', async () => {
  const errors: unknown[] = [];
  const failing = serviceRoom({ load: async () => Promise.reject(new Error('connection refused')) }, { onError: (e) => errors.push(e) });
  expect(await failing()).toBe(false);
  const stuck = serviceRoom({ load: () => new Promise(() => undefined) }, { timeoutMs: 50, onError: (e) => errors.push(e) });
  expect(await stuck()).toBe(false);
  expect(errors.map((e) => (e as Error).message)).toEqual(['connection refused', "the service's load did not come within 50 ms"]);
});

test('a stream asking (it starts at once, and the database counts it) holds no line', async () => {
  const room = serviceRoom({ load: async () => ({ instances: 1, capacity: 2, active: 1 }) }, { now: () => 0 });
  expect(await room({ reserve: false })).toBe(true);
  expect(await room({ reserve: false })).toBe(true);
  expect(await room()).toBe(true);
  expect(await room()).toBe(false);
});
