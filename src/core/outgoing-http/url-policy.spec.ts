import { UrlPolicy, UrlPolicyError } from './url-policy';

describe('UrlPolicy', () => {
  const open = new UrlPolicy({ allowPrivate: true, deny: [] });
  const strict = new UrlPolicy({ allowPrivate: false, deny: ['203.0.113.0/24', '93.184.216.34', 'Internal.Example'] });

  const urls: [string, string, UrlPolicy, boolean][] = [
    ['public https', 'https://example.com/hook', strict, true],
    ['public http with a port', 'http://example.com:8080/x', strict, true],
    ['ftp', 'ftp://example.com/x', open, false],
    ['file', 'file:///etc/passwd', open, false],
    ['javascript', 'javascript:alert(1)', open, false],
    ['not a URL', 'not a url', open, false],
    ['a metadata host name', 'http://metadata.google.internal/computeMetadata', open, false],
    ['the link-local metadata address', 'http://169.254.169.254/latest', open, false],
    ['the IPv6 metadata address', 'http://[fd00:ec2::254]/', open, false],
    ['loopback when private is allowed', 'http://127.0.0.1:3000/', open, true],
    ['loopback when private is not', 'http://127.0.0.1:3000/', strict, false],
    ['IPv6 loopback when private is not', 'http://[::1]/', strict, false],
    ['a private network when private is not', 'http://10.1.2.3/', strict, false],
    ['a denied range', 'http://203.0.113.9/', strict, false],
    ['a denied address', 'http://93.184.216.34/', strict, false],
    ['the address next to a denied one', 'http://93.184.216.35/', strict, true],
    ['a denied host, in any case', 'http://INTERNAL.example/', strict, false],
    ['the unspecified address', 'http://0.0.0.0/', open, false],
  ];
  it.each(urls)('%s: %s', (_, url, policy, allowed) => {
    if (allowed) expect(policy.checkUrl(url)).toBeInstanceOf(URL);
    else expect(() => policy.checkUrl(url)).toThrow(UrlPolicyError);
  });

  const addresses: [string, string, UrlPolicy, boolean][] = [
    ['IPv4-mapped IPv6 loopback when private is not', '::ffff:127.0.0.1', strict, false],
    ['IPv4-mapped link-local always', '::ffff:169.254.169.254', open, false],
    ['multicast', '224.0.0.1', open, false],
    ['broadcast', '255.255.255.255', open, false],
    ['carrier-grade NAT when private is not', '100.64.0.1', strict, false],
    ['the Alibaba metadata address', '100.100.100.200', open, false],
    ['a public address', '93.184.216.36', strict, true],
    ['a public IPv6 address', '2606:2800:220:1::1', strict, true],
  ];
  it.each(addresses)('%s: %s', (_, address, policy, allowed) => {
    if (allowed) expect(() => policy.checkAddress(address)).not.toThrow();
    else expect(() => policy.checkAddress(address)).toThrow(UrlPolicyError);
  });
});
