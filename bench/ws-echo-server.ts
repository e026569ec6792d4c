/**
 * The baseline for the webchat bench: a bare `ws` server that answers each message frame at once
 * with one message frame of the same shape, and nothing else (no parsing beyond JSON, no state).
 */
import { WebSocketServer } from 'ws';

const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
let seq = 0;
server.on('connection', (socket) => {
  socket.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as { type: string; id?: string; text?: string };
    if (frame.type === 'hello')
      socket.send(JSON.stringify({ type: 'welcome', conversationId: 'echo', token: 'echo', created: true }));
    if (frame.type !== 'message') return;
    seq += 1;
    socket.send(
      JSON.stringify({
        type: 'message',
        entry: { seq, from: 'bot', text: frame.text, suggestedActions: [], at: new Date().toISOString() },
      }),
    );
  });
});
server.on('listening', () => {
  const address = server.address();
  process.stdout.write(
    `${JSON.stringify({ msg: 'server.started', url: `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}` })}\n`,
  );
});
