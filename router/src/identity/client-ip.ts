// The client's address: the socket's peer, or, behind `trustedProxies` proxies that each append
// to X-Forwarded-For, the entry the outermost trusted proxy saw (entries left of it can be forged).
import type { IncomingMessage } from 'node:http';

const IPV4_MAPPED = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/;

const normalize = (address: string) => address.replace(IPV4_MAPPED, '$1');

export function clientIpOf(req: IncomingMessage, trustedProxies: number): string {
  const socketIp = normalize(req.socket.remoteAddress ?? 'unknown');
  if (trustedProxies === 0) return socketIp;
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (forwarded.length === 0) return socketIp;
  return normalize(forwarded[Math.max(0, forwarded.length - trustedProxies)]!);
}
