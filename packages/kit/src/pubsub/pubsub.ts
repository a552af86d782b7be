// Fan-out messages to every instance (e.g. chat tokens to whichever router holds the socket).
// Delivery is at most once: messages sent while a subscriber is disconnected are lost, and
// onInterrupted tells subscribers when that may have happened.
export type Unsubscribe = () => Promise<void>;

export interface PubSub {
  publish(channel: string, message: unknown): Promise<void>;
  subscribe(channel: string, onMessage: (message: unknown) => void): Promise<Unsubscribe>;
  /** Called whenever the subscribing connection drops, so messages may have been missed. */
  onInterrupted(listener: () => void): void;
  close(): Promise<void>;
}
