import { hostHeaderProblem, isValidHost } from './host-check';

describe('isValidHost', () => {
  test.each(['localhost', 'bridge.example.com', 'bridge.example.com.', '127.0.0.1:3000', 'my_service:8080', '[::1]', '[2001:db8::1]:443', 'a:65535'])(
    '%j is a host',
    (host) => expect(isValidHost(host)).toBe(true),
  );

  test.each(['', 'a b', 'a@b', 'a/b', 'host:', 'host:99999', 'host:8o', '::1', '[::1', '[::1]x', '[not-v6]', '.example.com', 'a..b', 'x'.repeat(300)])(
    '%j is not',
    (host) => expect(isValidHost(host)).toBe(false),
  );
});

describe('hostHeaderProblem', () => {
  test('no Host (HTTP/1.0) and a proxy chain of valid entries pass', () => {
    expect(hostHeaderProblem({})).toBeUndefined();
    expect(hostHeaderProblem({ host: 'a', 'x-forwarded-host': 'b.example.com, c:8080', 'x-forwarded-proto': 'https, http' })).toBeUndefined();
  });

  test('names the header and the code', () => {
    expect(hostHeaderProblem({ host: 'a b' })).toMatchObject({ code: 'bad_host', status: 400 });
    expect(hostHeaderProblem({ host: 'a', 'x-forwarded-proto': '' })).toMatchObject({ code: 'bad_forwarded_header', message: expect.stringContaining('X-Forwarded-Proto') });
  });
});
