import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/**
 * Which proxies in front of us may say who the client is (X-Forwarded-For): none, the nearest
 * `n` hops, or the listed addresses, subnets and presets (loopback, linklocal, uniquelocal).
 * Never "everyone": then the client writes its own address and every per-address limit is void.
 */
export type TrustProxy = false | number | string[];

/** Parses TRUST_PROXY; throws a RangeError that says what to write instead. */
export function parseTrustProxy(value: string): TrustProxy {
  const v = value.trim();
  if (v === '' || v === 'false' || v === '0') return false;
  if (v === 'true') {
    throw new RangeError(
      '"true" would trust an X-Forwarded-For the client writes itself: give the number of proxies in front (e.g. 1) or their addresses (e.g. loopback or 10.0.0.5)',
    );
  }
  if (/^\d+$/.test(v)) return Number(v);
  const list = v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  // proxy-addr refuses what is not an address, a subnet or a preset.
  proxyaddr.compile(list);
  return list;
}

/**
 * The client's address by the same rules as express's req.ip, for requests express does not see
 * (a WebSocket upgrade).
 */
export function clientAddressOf(trust: TrustProxy): (req: IncomingMessage) => string {
  const trusted =
    trust === false
      ? () => false
      : typeof trust === 'number'
        ? (_addr: string, i: number) => i < trust
        : proxyaddr.compile(trust);
  return (req) => proxyaddr(req, trusted);
}
