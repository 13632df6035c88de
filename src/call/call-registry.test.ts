import { CallRegistry } from './call-registry';
import type { CallSession } from './call-session';

function session(callId: string): CallSession {
  return { provider: 'twilio', callId, status: 'completed', transferNumber: null, ended: false } as unknown as CallSession;
}

test('onBusyChange is told when the first call starts and when the last one ends, not in between', () => {
  const changes: boolean[] = [];
  const registry = new CallRegistry(10, 5000, (busy) => changes.push(busy));
  const a = session('CA1');
  const b = session('CA2');
  registry.add(a);
  registry.add(b);
  registry.ended(a);
  expect(changes).toEqual([true]);
  registry.ended(b);
  expect(changes).toEqual([true, false]);
  // A call that was never added (or already ended) does not count.
  registry.ended(b);
  registry.ended(session('CA3'));
  expect(changes).toEqual([true, false]);
});

test('a stream taking over its call keeps the registry busy until the newer session ends', () => {
  const changes: boolean[] = [];
  const registry = new CallRegistry(10, 5000, (busy) => changes.push(busy));
  const first = session('CA1');
  const second = session('CA1');
  registry.add(first);
  registry.add(second);
  registry.ended(first);
  expect(changes).toEqual([true]);
  registry.ended(second);
  expect(changes).toEqual([true, false]);
});
