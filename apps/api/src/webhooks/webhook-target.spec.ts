import { AddressNotAllowed, isLocalName, isPublicAddress, literalAddress, postTo, resolveTarget } from './webhook-target.js';

describe('webhook targets', () => {
  test.each([
    '127.0.0.1', '127.255.0.9', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
    '224.0.0.1', '255.255.255.255', '::1', '::', 'fd00::1', 'fc12:3456::1', 'fe80::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:a9fe:a9fe',
    '64:ff9b::a9fe:a9fe', '2002:7f00:1::', 'not-an-address',
  ])('%s is not public', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  test.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '192.169.0.1', '2606:4700:4700::1111', '64:ff9b::808:808', '2002:808:808::'])('%s is public', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  test('hosts written as addresses, in every spelling the URL parser accepts', () => {
    expect(literalAddress(new URL('http://0x7f000001/'))).toBe('127.0.0.1');
    expect(literalAddress(new URL('http://017700000001:5432/'))).toBe('127.0.0.1');
    expect(literalAddress(new URL('http://127.1/'))).toBe('127.0.0.1');
    expect(literalAddress(new URL('http://[::1]:8080/'))).toBe('::1');
    expect(literalAddress(new URL('http://[::ffff:127.0.0.1]/'))).toBe('::ffff:7f00:1');
    expect(literalAddress(new URL('https://newsroom.example/hook'))).toBeNull();
    expect(isLocalName(new URL('http://LOCALHOST./'))).toBe(true);
    expect(isLocalName(new URL('http://api.localhost:3000/'))).toBe(true);
    expect(isLocalName(new URL('http://localhost.example/'))).toBe(false);
  });

  test('resolution refuses a name that resolves inside, and allows it when private targets are allowed', async () => {
    await expect(resolveTarget(new URL('http://localhost:1/'), false)).rejects.toBeInstanceOf(AddressNotAllowed);
    await expect(resolveTarget(new URL('http://0x7f000001:5432/'), false)).rejects.toBeInstanceOf(AddressNotAllowed);
    await expect(resolveTarget(new URL('http://[::1]/'), true)).resolves.toEqual({ address: '::1', family: 6 });
    await expect(resolveTarget(new URL('http://93.184.215.14/'), false)).resolves.toEqual({ address: '93.184.215.14', family: 4 });
  });
});

describe('postTo', () => {
  test('connects to the checked address, not to whatever the name resolves to now (a name that cannot resolve at all)', async () => {
    const { createServer } = await import('node:http');
    const seen: { host?: string; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ host: req.headers.host, body });
        res.writeHead(302, { location: 'http://169.254.169.254/' }).end('moved');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const url = new URL(`http://rebinding.invalid:${port}/hook`);
      const status = await postTo(url, { address: '127.0.0.1', family: 4 }, { 'content-type': 'application/json' }, '{"a":1}', AbortSignal.timeout(5000));
      expect(status).toBe(302); // a redirect is an answer, not followed
      expect(seen).toEqual([{ host: `rebinding.invalid:${port}`, body: '{"a":1}' }]);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
