// `ws`, with a hold on each socket a client opens, so a test can drop or inspect it. The list
// starts empty for every test.
import WebSocket from 'ws';

export const sockets: WebSocket[] = [];

export class TrackedWebSocket extends WebSocket {
  constructor(...args: ConstructorParameters<typeof WebSocket>) {
    super(...args);
    sockets.push(this);
  }
}

beforeEach(() => {
  sockets.length = 0;
});
