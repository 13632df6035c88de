import { PendingStreams } from './pending-streams';

describe('sockets waiting to start', () => {
  test('are capped per address and in total; a release frees the place once', () => {
    const pending = new PendingStreams({ maxPending: 3, maxPendingPerAddress: 2 });
    const a1 = pending.admit('a');
    const a2 = pending.admit('a');
    expect(a1.ok && a2.ok).toBe(true);
    expect(pending.admit('a')).toMatchObject({ ok: false, reason: 'pending_per_address' });
    const b1 = pending.admit('b');
    expect(b1.ok).toBe(true);
    expect(pending.admit('c')).toMatchObject({ ok: false, reason: 'pending_total' });
    if (!a1.ok) throw new Error('unreachable');
    a1.release();
    a1.release();
    expect(pending.size).toBe(2);
    expect(pending.admit('a').ok).toBe(true);
    expect(pending.admit('c')).toMatchObject({ ok: false, reason: 'pending_total' });
  });

  test('refusals are logged on the first and every 100th, not each', () => {
    const pending = new PendingStreams({ maxPending: 0, maxPendingPerAddress: 0 });
    const logged = Array.from({ length: 250 }, () => pending.admit('x')).filter((a) => !a.ok && a.logNow).length;
    expect(logged).toBe(3);
  });
});
