// MCP over a WebSocket (subprotocol "mcp"), with the `ws` client: the SDK's own WebSocket
// transport needs a global WebSocket (absent from Node 20) and takes no headers, so a server
// behind an API key or a private-network guard could not be reached with it.
import WebSocket from 'ws';
import type { LookupFunction } from 'node:net';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

export interface WebSocketTransportOptions {
  headers?: Record<string, string>;
  /** Resolves the host (only to addresses users may reach). */
  lookup?: LookupFunction;
  /** Refuses the URL before connecting: a host that is an IP address is never looked up. */
  checkUrl?: (url: URL) => Promise<unknown>;
  /** Largest message accepted, in bytes. */
  maxPayload?: number;
}

export class WebSocketClientTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private socket?: WebSocket;

  constructor(
    private readonly url: URL,
    private readonly options: WebSocketTransportOptions = {},
  ) {}

  async start(): Promise<void> {
    if (this.socket) throw new Error('WebSocketClientTransport already started');
    await this.options.checkUrl?.(this.url);
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(this.url, 'mcp', {
        headers: this.options.headers,
        lookup: this.options.lookup,
        maxPayload: this.options.maxPayload ?? 16 * 1024 * 1024,
        followRedirects: false,
      });
      this.socket = socket;
      socket.once('open', () => resolve());
      socket.once('error', (error) => {
        reject(error);
        this.onerror?.(error);
      });
      socket.once('close', () => this.onclose?.());
      socket.on('message', (data) => {
        let message: JSONRPCMessage;
        try {
          message = JSONRPCMessageSchema.parse(JSON.parse(data.toString()));
        } catch (error) {
          this.onerror?.(error as Error);
          return;
        }
        this.onmessage?.(message);
      });
    });
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) throw new Error('Not connected');
    await new Promise<void>((resolve, reject) => socket.send(JSON.stringify(message), (error) => (error ? reject(error) : resolve())));
  }

  async close(): Promise<void> {
    const socket = this.socket;
    if (!socket || socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.close();
      // A peer that never answers the closing handshake is cut off.
      setTimeout(() => {
        socket.terminate();
        resolve();
      }, 1000).unref();
    });
  }
}
